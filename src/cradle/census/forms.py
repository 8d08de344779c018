"""Forms of the census: opening a round, the answer form built from fields.FIELDS, the review,
and the public "tell us about a service" form."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from cradle.core.forms import DayMonthYearField
from cradle.geography.models import Area, Nation

from .fields import (
    AREAS,
    CHOICE,
    MANY,
    NUMBER,
    RESPONDENT_ROLES,
    SECTIONS,
    TEXT,
    WTE,
    YES_NO,
    Field,
    fields_of,
    text_max_length,
)

YES_NO_CHOICES = (("yes", "Yes"), ("no", "No"), ("", "Not known"))
BOOLEAN = {"yes": True, "no": False, "": None}
WORDS = {True: "yes", False: "no", None: ""}


def form_name(key: str) -> str:
    return key.replace(".", "__")


class RoundForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name of the round",
                           help_text="For example, Census of services 2027.")
    reference_date = DayMonthYearField(what="Reference date", label="Reference date",
                                       help_text="The date the answers describe. For example, "
                                                 "31 3 2027.")
    closes_on = DayMonthYearField(what="Closing date", label="Closing date",
                                  help_text="Answers are asked for by this date.")
    nation = forms.ChoiceField(choices=[("", "Every nation"), *Nation.choices], required=False,
                               label="Services in", widget=forms.RadioSelect)
    teams_only = forms.BooleanField(required=False, label="Only specialised parent-infant "
                                                          "relationship teams")
    reply_to = forms.EmailField(label="Replies go to", help_text="The coordinator's address.")


def _form_field(field: Field) -> forms.Field:
    if field.kind == CHOICE:
        return forms.ChoiceField(choices=field.choices, required=False, label=field.label,
                                 widget=forms.RadioSelect)
    if field.kind == YES_NO:
        return forms.ChoiceField(choices=YES_NO_CHOICES, required=False, label=field.label,
                                 widget=forms.RadioSelect)
    if field.kind == MANY:
        return forms.MultipleChoiceField(choices=field.choices, required=False,
                                         label=field.label,
                                         widget=forms.CheckboxSelectMultiple)
    if field.kind == WTE:
        return forms.DecimalField(required=False, label=field.label, min_value=0.01,
                                  max_value=999, decimal_places=2,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    if field.kind == NUMBER:
        return forms.IntegerField(required=False, label=field.label,
                                  validators=[MinValueValidator(0), MaxValueValidator(216)],
                                  widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    if field.kind == AREAS:
        return forms.CharField(
            required=False, label=field.label, widget=forms.Textarea(attrs={"rows": 6}),
            help_text="One area a line: its code as shown (for example la:E08000035), then its "
                      "name if you like. Remove a line to say you no longer cover it.")
    if field.key == "contact_email":
        return forms.EmailField(required=False, label=field.label,
                                max_length=text_max_length(field.key))
    if field.key == "website":
        return forms.URLField(required=False, label=field.label, assume_scheme="https",
                              max_length=text_max_length(field.key))
    widget = forms.Textarea(attrs={"rows": 3}) if field.key == "referral_pathway" else None
    assert field.kind == TEXT
    return forms.CharField(required=False, label=field.label,
                           max_length=text_max_length(field.key), widget=widget)


class AnswerForm(forms.Form):
    respondent_role = forms.ChoiceField(choices=RESPONDENT_ROLES, required=False,
                                        label="Your role", widget=forms.RadioSelect)

    def __init__(self, *args, area_names: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_names = area_names or {}
        for section in SECTIONS:
            for field in fields_of(section.key):
                self.fields[form_name(field.key)] = _form_field(field)
            self.fields[f"confirm_{section.key}"] = forms.BooleanField(
                required=False, label=f"I have checked “{section.title}”: it is right as shown, "
                                      "with any corrections I made")

    @classmethod
    def initial_from(cls, values: dict, confirmed: list[str], role: str,
                     names: dict[str, str]) -> dict:
        initial = {"respondent_role": role}
        for section in SECTIONS:
            initial[f"confirm_{section.key}"] = section.key in confirmed
            for field in fields_of(section.key):
                value = values.get(field.key)
                if field.kind == YES_NO:
                    value = WORDS[value]
                elif field.kind == AREAS:
                    value = "\n".join(f"{key} {names.get(key, '')}".strip()
                                      for key in value or [])
                initial[form_name(field.key)] = value
        return initial

    def clean_coverage(self):
        keys, unknown = [], []
        for line in self.cleaned_data["coverage"].splitlines():
            token = line.strip().split(" ", 1)[0] if line.strip() else ""
            if not token:
                continue
            if ":" not in token:
                unknown.append(token)
                continue
            keys.append(token)
        known = {f"{scheme}:{code}" for scheme, code in Area.objects.filter(
            code__in=[key.split(":", 1)[1] for key in keys]).values_list("scheme", "code")}
        unknown += [key for key in keys if key not in known]
        if unknown:
            raise forms.ValidationError(
                f"Not an area code Cradle knows: {', '.join(unknown[:5])}. Use the codes as "
                "shown, such as la:E08000035.")
        return sorted(set(keys))

    def values(self) -> dict:
        data, values = self.cleaned_data, {}
        for section in SECTIONS:
            for field in fields_of(section.key):
                value = data.get(form_name(field.key))
                if field.kind == YES_NO:
                    value = BOOLEAN[value or ""]
                elif field.kind == WTE:
                    value = f"{value:.2f}" if value is not None else None
                elif field.kind == CHOICE:
                    value = value or None
                elif field.kind == MANY:
                    value = sorted(value or [])
                elif field.kind == TEXT:
                    value = (value or "").strip()
                values[field.key] = value
        return values

    def confirmed(self) -> list[str]:
        return [s.key for s in SECTIONS if self.cleaned_data.get(f"confirm_{s.key}")]

    def sections(self):
        """(section, its bound fields, its confirm box) for the template."""
        return [(section, [self[form_name(f.key)] for f in fields_of(section.key)],
                 self[f"confirm_{section.key}"]) for section in SECTIONS]


class AnswersFileForm(forms.Form):
    file = forms.FileField(label="Answers file (CSV or XLSX)",
                           error_messages={"required": "Choose a file to check"})


class SuggestionForm(forms.Form):
    name = forms.CharField(max_length=300, label="Name of the service")
    nation = forms.ChoiceField(choices=Nation.choices, label="Nation", widget=forms.RadioSelect)
    place = forms.CharField(max_length=200, label="Where it works",
                            help_text="A town, city, council or health area.")
    postcode = forms.CharField(max_length=10, required=False, label="Postcode (optional)",
                               help_text="Of its base, if you know it.")
    website = forms.URLField(max_length=500, required=False, label="Website (optional)",
                             assume_scheme="https")
    description = forms.CharField(max_length=2000, required=False, label="What it does "
                                  "(optional)", widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="Do not include anything about a family or a "
                                            "patient.")
    contact_email = forms.EmailField(required=False, label="Your email (optional)",
                                     help_text="Only if you are happy for a coordinator to ask "
                                               "you about it. It is never published.")
