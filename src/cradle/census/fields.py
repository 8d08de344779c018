"""The register fields a census asks about, in sections (plain data, no Django).

A service's answers and its register entry are both flat dicts keyed by these field keys, with
plain values: text, whole numbers, True/False/None, WTE as text with two decimals ("1.50"), and
sorted lists of keys or area codes ("la:E08000035"). `diff.py` compares two such dicts.
"""

from __future__ import annotations

from dataclasses import dataclass

from cradle.directory.definition import ALL_CRITERIA
from cradle.directory.vocabulary import FUNDING_SOURCES, INTERVENTIONS, PROFESSIONS

TEXT, NUMBER, WTE, CHOICE, YES_NO, AREAS, MANY = (
    "text", "number", "wte", "choice", "yes_no", "areas", "many")
# Kinds a coordinator can edit in a review box; lists are accepted or rejected as a whole.
EDITABLE_KINDS = frozenset({TEXT, NUMBER, WTE, CHOICE, YES_NO})

# The register's statuses (directory.models.Status: tests/integration/test_census.py holds the
# two equal); an answer outside them is edited to one of them, or rejected (ADR 0024).
STATUS_CHOICES = (("operating", "Operating"), ("paused", "Paused"), ("closed", "Closed"),
                  ("planned", "Planned"))
REGISTER_STATUSES = frozenset(key for key, _label in STATUS_CHOICES)
ACCEPTS_FROM_CHOICES = (("conception", "From conception (pregnancy)"), ("birth", "From birth"),
                        ("later", "From later than birth"))
RESPONDENT_ROLES = (("team_manager", "Team manager or service lead"),
                    ("clinical_lead", "Clinical lead"),
                    ("administrator", "Administrator"),
                    ("commissioner", "Commissioner"),
                    ("other", "Someone else in the team"))


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str
    section: str
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def editable(self) -> bool:
        return self.kind in EDITABLE_KINDS


@dataclass(frozen=True)
class Section:
    key: str
    title: str


SECTIONS = (
    Section("status", "Status"),
    Section("coverage", "Areas covered"),
    Section("staffing", "Staffing"),
    Section("interventions", "Interventions offered"),
    Section("ages", "Ages accepted"),
    Section("referral", "Referral routes"),
    Section("contact", "Contact details"),
    Section("funding", "Funding"),
    Section("criteria", "The definition of a team"),
)
SECTION_KEYS = tuple(section.key for section in SECTIONS)

FIELDS: tuple[Field, ...] = (
    Field("status", "Status", CHOICE, "status", STATUS_CHOICES),
    Field("coverage", "Local authorities and health areas covered", AREAS, "coverage"),
    *(Field(f"staffing.{key}", f"{label} (WTE)", WTE, "staffing") for key, label in PROFESSIONS),
    Field("interventions", "Interventions offered", MANY, "interventions", INTERVENTIONS),
    Field("accepts_from", "Accepts families from", CHOICE, "ages", ACCEPTS_FROM_CHOICES),
    Field("accepts_to_months", "Accepts children up to (months)", NUMBER, "ages"),
    Field("professional_referral", "Professionals can refer", YES_NO, "referral"),
    Field("self_referral", "Families can refer themselves", YES_NO, "referral"),
    Field("referral_pathway", "How to refer", TEXT, "referral"),
    Field("contact_phone", "Phone", TEXT, "contact"),
    Field("contact_email", "Email", TEXT, "contact"),
    Field("website", "Website", TEXT, "contact"),
    Field("funding", "Funding sources", MANY, "funding", FUNDING_SOURCES),
    *(Field(f"criterion.{c.key}", c.question, YES_NO, "criteria") for c in ALL_CRITERIA),
)
FIELDS_BY_KEY = {field.key: field for field in FIELDS}


# The longest text each text field takes: what the register's columns hold (directory.Service),
# else the answer form's 1,000 characters. The form and the file import both apply it.
TEXT_MAX_LENGTHS = {"contact_phone": 40, "contact_email": 254, "website": 500}
TEXT_MAX_LENGTH = 1000


def text_max_length(key: str) -> int:
    return TEXT_MAX_LENGTHS.get(key, TEXT_MAX_LENGTH)


def fields_of(section: str) -> tuple[Field, ...]:
    return tuple(field for field in FIELDS if field.section == section)


def in_words(field: Field, value) -> str:
    """A value as a page shows it; unknown is "Not known", never blank or 0."""
    if field.kind == WTE and value is None:
        return "None"
    if value == []:
        return "None"
    if value is None or value == "":
        return "Not known"
    if field.kind == YES_NO:
        return "Yes" if value else "No"
    if field.kind in (CHOICE, MANY):
        labels = dict(field.choices)
        items = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(item, item) for item in items)
    if field.kind == AREAS:
        return "; ".join(value)
    return str(value)


def parse_value(field: Field, text: str):
    """A coordinator's edited value, typed as text, as the field holds it. ValueError says
    what is wrong in words a page can show."""
    text = text.strip()
    if field.kind == TEXT:
        return text
    if field.kind == NUMBER:
        if not text.isdigit() or int(text) > 216:
            raise ValueError("enter a whole number of months from 0 to 216")
        return int(text)
    if field.kind == WTE:
        if not text:
            return None
        try:
            wte = round(float(text), 2)
        except ValueError:
            raise ValueError("enter a whole-time equivalent such as 0.5 or 1.2") from None
        if not 0 < wte < 1000:
            raise ValueError("enter a whole-time equivalent above 0 (blank for none)")
        return f"{wte:.2f}"
    if field.kind == YES_NO:
        words = {"yes": True, "no": False}
        if text.lower() not in words:
            raise ValueError("enter yes or no")
        return words[text.lower()]
    if field.kind == CHOICE:
        if text not in dict(field.choices):
            raise ValueError(f"enter one of {', '.join(dict(field.choices))}")
        return text
    raise ValueError("this change can only be accepted or rejected")
