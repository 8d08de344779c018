"""The import templates: one sheet (or CSV file) per record type, every column described.

Pure: the allowed values are generated from the vocabulary and the instrument registry, so the
column guide shown on the import page, printed in the XLSX template's guide sheet and used by
the checks cannot drift from what the actions accept.
"""

from __future__ import annotations

from dataclasses import dataclass

from cradle.directory import vocabulary as directory_vocabulary
from cradle.outcomes import vocabulary as v
from cradle.outcomes.instruments import REGISTRY

#: Caregivers a referral row can carry (caregiver_1_... to caregiver_N_...).
MAX_CAREGIVERS = 3
#: Separator of the keys in the risk_factors and interventions columns.
LIST_SEPARATOR = ";"
RISK_SEPARATOR = LIST_SEPARATOR
#: The most items any instrument has: the measures sheet has item_1 ... item_N.
MAX_ITEMS = max(len(inst.items) for inst in REGISTRY.values())
#: Every subscale any instrument takes as a recorded total, e.g. HADS anxiety and depression.
SUBSCALES = tuple(dict.fromkeys(sub.name for inst in REGISTRY.values()
                                for sub in inst.subscales))


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    accepts: str
    example: str = ""


@dataclass(frozen=True)
class RecordType:
    """One sheet of a workbook, or one CSV file."""

    key: str
    label: str
    description: str
    columns: tuple[Column, ...]

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required(self) -> list[str]:
        return [column.name for column in self.columns if column.required]


def listing(pairs) -> str:
    """ "key (Label), ..." for a controlled list."""
    return ", ".join(f"{pair[0]} ({pair[1]})" for pair in pairs)


def lookup(pairs) -> dict[str, str]:
    """Key or label (lower case) -> key: a cell may give either."""
    table = {}
    for pair in pairs:
        table[str(pair[1]).lower()] = pair[0]
        table[str(pair[0]).lower()] = pair[0]
    return table


DATE = "a date as YYYY-MM-DD (DD/MM/YYYY and date cells are accepted too), not in the future"
YES_NO_BLANK = "yes or no; leave blank if not known"


def _caregiver_columns() -> list[Column]:
    columns = []
    for n in range(1, MAX_CAREGIVERS + 1):
        first = n == 1
        columns += [
            Column(f"caregiver_{n}_relationship", False,
                   "The caregiver's relationship to the baby: " + listing(v.RELATIONSHIPS)
                   + ". Leave the three caregiver columns blank if there is no caregiver "
                     "to record.", "mother" if first else ""),
            Column(f"caregiver_{n}_age", False,
                   "Age at referral, whole years from 10 to 99; blank if not known.",
                   "28" if first else ""),
            Column(f"caregiver_{n}_ethnic_category", False,
                   "NHS Data Dictionary ethnic category code: " + listing(v.ETHNIC_CATEGORIES)
                   + ". Blank means Z (not stated).", "A" if first else ""),
        ]
    return columns


REFERRALS = RecordType(
    key="referrals",
    label="Referrals",
    description=(
        "One row per referral. A row whose team reference is new also creates the case, from "
        "the case columns (NHS number, month of birth, postcode district). Several referrals "
        "of one family share its team reference; give the case columns once or the same "
        "each time. For a case Cradle already has, leave the case columns blank (or the same "
        "as the case)."),
    columns=(
        Column("team_reference", True,
               "Your team's own reference for the family, up to 40 characters. Not a name, "
               "and not an NHS number.", "PIT-0042"),
        Column("nhs_number", False,
               "The baby's NHS number, 10 digits (spaces allowed). Checked by its check digit "
               "and kept only as a pseudonym.", ""),
        Column("baby_birth_month", False,
               "The baby's month of birth, or expected due month, as YYYY-MM.", "2025-01"),
        Column("birth_month_is_due_month", False,
               "yes if the month is the expected due month (baby not yet born); blank means "
               "no.", "no"),
        Column("postcode_district", False,
               "The postcode district, e.g. LS1. A full postcode is accepted and cut to its "
               "district: the rest is never stored.", "LS1"),
        Column("referred_on", True, "The date of referral: " + DATE + ".", "2025-02-03"),
        Column("referrer_type", True, "Who referred: " + listing(v.REFERRER_TYPES) + ".",
               "health_visitor"),
        *_caregiver_columns(),
        Column("single_caregiver_household", False, YES_NO_BLANK + ".", "no"),
        Column("first_time_parent", False, YES_NO_BLANK + ".", "yes"),
        Column("risk_factors", False,
               f"Risk factors, separated by '{RISK_SEPARATOR}': "
               + listing(v.RISK_FACTORS) + ".",
               f"perinatal_mental_illness{RISK_SEPARATOR}isolation"),
        Column("decision", False,
               "The decision on the referral, if made: " + listing(v.DECISIONS) + ".",
               "accepted"),
        Column("decided_on", False,
               "The date of the decision (needed with a decision): " + DATE
               + ", not before the referral.", "2025-02-10"),
    ),
)


def _instrument_list() -> str:
    parts = []
    for code, inst in sorted(REGISTRY.items()):
        how = []
        if inst.items:
            how.append(f"{len(inst.items)} items")
        if inst.accepts_total:
            low, high = inst.total_range
            how.append(f"total {low:g} to {high:g}" if high != float("inf")
                       else f"total from {low:g}")
        if inst.subscales:
            how.append("subscales " + " and ".join(s.name for s in inst.subscales))
        parts.append(f"{code} ({inst.name}: {', '.join(how)})")
    return "; ".join(parts)


MEASURES = RecordType(
    key="measures",
    label="Measures",
    description=(
        "One row per administration of an outcome measure. Give either the item scores "
        "(item_1 onwards, item 1 first; leave a missing item blank), or the total, or, for "
        "instruments with subscales, the subscale totals: one of the three, not more. Each "
        "row is scored with the instrument's published rules. The team reference must be a "
        "case Cradle already has or one on the referrals sheet of the same workbook."),
    columns=(
        Column("team_reference", True, "Your team's reference for the family.", "PIT-0042"),
        Column("instrument", True, "The instrument's code: " + _instrument_list() + ".",
               "phq9"),
        Column("timepoint", True, "When it was given: " + listing(v.TIMEPOINTS) + ".",
               "baseline"),
        Column("administered_on", True, "The date it was given: " + DATE + ".",
               "2025-02-17"),
        Column("total", False, "The total score, if the items are not given.", ""),
        *(Column(f"item_{n}", False,
                 f"Item {n}'s score as on the instrument's scoring key"
                 + (" (the first item)." if n == 1 else "."),
                 str(example) if example is not None else "")
          for n, example in zip(range(1, MAX_ITEMS + 1),
                                [1, 2, 1, 0, 3, 1, 0, 2, 1] + [None] * MAX_ITEMS, strict=False)),
        *(Column(f"subscale_{name}", False,
                 f"The {name} subscale total, for instruments with a {name} subscale (e.g. "
                 + ", ".join(code for code, inst in sorted(REGISTRY.items())
                             if any(s.name == name for s in inst.subscales)) + ").", "")
          for name in SUBSCALES),
    ),
)

EPISODES = RecordType(
    key="episodes",
    label="Episodes",
    description=(
        "One row per episode of work with a family. The team reference must be a case Cradle "
        "already has or one on the referrals sheet of the same workbook. The start date "
        "identifies the episode (the contacts sheet names it by its start date), so one case "
        "cannot have two episodes starting on the same day. Give the end date and the "
        "discharge reason together, or leave both blank while the work goes on."),
    columns=(
        Column("team_reference", True, "Your team's reference for the family.", "PIT-0042"),
        Column("started_on", True, "The date the work started: " + DATE + ".", "2025-02-17"),
        Column("referred_on", False,
               "The date of the referral this work follows: one of the case's referrals, on "
               "the referrals sheet or already in Cradle. Leave blank if the episode follows "
               "no referral.", "2025-02-03"),
        Column("ended_on", False,
               "The date the work ended, if it has: " + DATE + ", not before the start. "
               "Needed with a discharge reason.", "2025-06-30"),
        Column("discharge_reason", False,
               "Why the work ended (needed with an end date): "
               + listing(v.DISCHARGE_REASONS) + ".", "planned"),
        Column("interventions", False,
               f"The interventions delivered, separated by '{LIST_SEPARATOR}': "
               + listing(directory_vocabulary.INTERVENTIONS) + ".",
               f"vig{LIST_SEPARATOR}circle_of_security"),
    ),
)

CONTACTS = RecordType(
    key="contacts",
    label="Contacts",
    description=(
        "One row per contact with a family, booked or held. The team reference and the "
        "episode's start date name the episode: one on the episodes sheet of the same "
        "workbook or one Cradle already has. A contact that did not take place (did not "
        "attend, or cancelled) has no attendees and no minutes."),
    columns=(
        Column("team_reference", True, "Your team's reference for the family.", "PIT-0042"),
        Column("episode_started_on", True,
               "The start date of the episode the contact belongs to, as a date YYYY-MM-DD.",
               "2025-02-17"),
        Column("on", True,
               "The date of the contact: " + DATE + ", within the episode (not before its "
               "start, not after its end).", "2025-02-24"),
        Column("mode", True, "How the contact was held: " + listing(v.CONTACT_MODES) + ".",
               "home_visit"),
        Column("outcome", True, "What happened: " + listing(v.CONTACT_OUTCOMES) + ".",
               "attended"),
        Column("minutes", False,
               # The limit is validation.MAX_CONTACT_MINUTES (a unit test holds them equal):
               # not imported, so the templates stay free of Django.
               "The length in whole minutes, 0 to 1440 (a whole day); blank means 0.",
               "60"),
        Column("caregivers_attended", False,
               "yes if one or more caregivers attended; blank means no.", "yes"),
        Column("baby_attended", False, "yes if the baby attended; blank means no.", "yes"),
    ),
)

RECORD_TYPES: dict[str, RecordType] = {
    kind.key: kind for kind in (REFERRALS, EPISODES, CONTACTS, MEASURES)}


def guide_rows(kind: RecordType) -> list[dict[str, str]]:
    """The column guide: column, required or optional, what it accepts, an example."""
    return [{"column": column.name, "required": "Required" if column.required else "Optional",
             "accepts": column.accepts, "example": column.example}
            for column in kind.columns]
