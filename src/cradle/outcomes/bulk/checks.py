"""Every row of every sheet checked, with the rules the single-record actions use.

Nothing stops at the first problem: each row is checked column by column and every problem is
kept, so the preview can list every bad row and column at once. A clean row becomes a
normalised record (dates as dates, keys not labels, the NHS number already replaced by its
keyed pseudonym); `plan` then adds the checks that need the database.

The rules are not copied: each value goes through the same helpers as the actions
(`validation.checked_choice`, `checked_date`, `nhs_number_pseudonym`, `checked_birth_month`, `checked_postcode`, `checked_keys`,
`checked_reference_text`, `validation.caregiver`, `validation.referral_decision`), measures through
`instruments.score`, and episodes and contacts (episode_checks.py) through the episode and
contact rules in `validation`. A refusal (`InvalidRecord`, or the engine's `ValueError`)
becomes a Problem against the column it is about.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from cradle.outcomes import validation as rules
from cradle.outcomes import vocabulary as v
from cradle.outcomes.instruments import REGISTRY
from cradle.outcomes.instruments import score as score_instrument

from . import cells
from .columns import MAX_CAREGIVERS, MAX_ITEMS, RISK_SEPARATOR, SUBSCALES, listing, lookup
from .episode_checks import (
    ContactRow,
    EpisodeRow,
    check_contact,
    check_episode,
    one_episode_a_day,
)
from .limits import Budget
from .parsing import Sheet
from .problems import Problem
from .rows import FAILED, RowCheck

#: Case columns of a referral row, and the Case field each one sets.
CASE_COLUMNS = {"nhs_number": "nhs_number_pseudonym", "baby_birth_month": "baby_birth_month",
                "birth_month_is_due_month": "birth_month_is_due_month",
                "postcode_district": "postcode_district"}

REFERRERS = lookup(v.REFERRER_TYPES)
RELATIONSHIPS = lookup(v.RELATIONSHIPS)
ETHNIC = lookup(v.ETHNIC_CATEGORIES)
DECISIONS = lookup(v.DECISIONS)
TIMEPOINTS = lookup(v.TIMEPOINTS)
RISKS = lookup(v.RISK_FACTORS)
RISK_KEYS = tuple(v.RISK_FACTOR_DOMAIN)

_ENGINE_COLUMN = re.compile(r"^(item (\d+)|total|subscale (\w+))")


@dataclass
class ReferralRow:
    sheet: str
    row: int
    reference: str
    case_fields: dict  # only the case columns the row gave, as Case field -> value
    referred_on: datetime.date
    referrer_type: str
    caregivers: list[dict] = field(default_factory=list)
    single_caregiver_household: bool | None = None
    first_time_parent: bool | None = None
    risk_factors: list[str] = field(default_factory=list)
    decision: str = ""
    decided_on: datetime.date | None = None


@dataclass
class MeasureRow:
    sheet: str
    row: int
    reference: str
    instrument: str
    timepoint: str
    administered_on: datetime.date
    entered_as: str
    items: list | None
    total: float
    subscales: dict
    band: str
    caseness: bool | None
    flags: list[str]
    complete: bool


@dataclass
class Checked:
    referrals: list[ReferralRow] = field(default_factory=list)
    episodes: list[EpisodeRow] = field(default_factory=list)
    contacts: list[ContactRow] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: What a user would be asked to confirm on a form: listed in the preview, not blocking.
    warnings: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    # Refused rows others may name (their problems are listed already): not staged, since a
    # file with any problem is never staged.
    refused_references: set = field(default_factory=set)
    refused_episodes: set = field(default_factory=set)


# --------------------------------------------------------------------------------------------
# Referrals
# --------------------------------------------------------------------------------------------

def _case_fields(row: RowCheck) -> dict:
    found = {}
    if not cells.is_blank(row.cell("nhs_number")):
        found["nhs_number_pseudonym"] = row.take("nhs_number", rules.nhs_number_pseudonym,
                                                 cells.text(row.cell("nhs_number")))
    due = row.take("birth_month_is_due_month", cells.yes_no,
                   row.cell("birth_month_is_due_month"))
    if not cells.is_blank(row.cell("baby_birth_month")):
        found["baby_birth_month"] = row.take(
            "baby_birth_month", rules.checked_birth_month, cells.month(row.cell("baby_birth_month")),
            None, due=due is not FAILED and bool(due))
    if due is not None:
        found["birth_month_is_due_month"] = due
    if due is True and cells.is_blank(row.cell("baby_birth_month")):
        row.problem("baby_birth_month", "give the expected due month")
    if not cells.is_blank(row.cell("postcode_district")):
        found["postcode_district"] = row.take("postcode_district", rules.checked_postcode,
                                              cells.text(row.cell("postcode_district")))
    return found


def _caregiver_column(message: str, n: int) -> str:
    for part in ("relationship", "age", "ethnic_category"):
        if part.replace("_", " ") in message:
            return f"caregiver_{n}_{part}"
    return f"caregiver_{n}_relationship"


def _caregivers(row: RowCheck) -> list[dict]:
    people = []
    for n in range(1, MAX_CAREGIVERS + 1):
        names = [f"caregiver_{n}_{part}" for part in ("relationship", "age", "ethnic_category")]
        if all(cells.is_blank(row.cell(name)) for name in names):
            continue
        relationship = row.take(names[0], cells.choice, row.cell(names[0]), RELATIONSHIPS,
                                listing(v.RELATIONSHIPS))
        age = row.take(names[1], cells.whole_number, row.cell(names[1]))
        ethnic = row.take(names[2], cells.choice, row.cell(names[2]), ETHNIC,
                          ", ".join(v.keys(v.ETHNIC_CATEGORIES)))
        if FAILED in (relationship, age, ethnic):
            continue
        person = {"relationship": relationship or None, "age_at_referral": age}
        if ethnic:
            person["ethnic_category"] = ethnic
        try:
            checked = rules.caregiver(n - 1, person)
        except rules.InvalidRecord as error:
            message = " ".join(error.message_dict["caregivers"])
            row.problem(_caregiver_column(message, n), message)
            continue
        people.append({"relationship": checked.relationship,
                       "age_at_referral": checked.age_at_referral,
                       "ethnic_category": checked.ethnic_category})
    return people


def check_referral(sheet: Sheet, number: int, values: dict,
                   problems: list[Problem]) -> ReferralRow | None:
    row = RowCheck(sheet, number, values, problems)
    reference = row.reference()
    case_fields = _case_fields(row)
    referred_on = row.date("referred_on", "the date of referral")
    referrer = (row.take("referrer_type", cells.choice, row.cell("referrer_type"), REFERRERS,
                         listing(v.REFERRER_TYPES))
                if row.required("referrer_type", "who referred the family") else FAILED)
    if referrer is not FAILED:
        referrer = row.take("referrer_type", rules.checked_choice, "referrer_type", referrer,
                            v.REFERRER_TYPES)
    caregivers = _caregivers(row)
    flags = {}
    for name in ("single_caregiver_household", "first_time_parent"):
        answer = row.take(name, cells.yes_no, row.cell(name))
        if answer is not FAILED:
            flags[name] = row.take(name, rules.checked_optional_bool, name, answer)
    risks = [RISKS.get(key, key) for key in cells.key_list(row.cell("risk_factors"),
                                                           RISK_SEPARATOR)]
    risks = row.take("risk_factors", rules.checked_keys, "risk_factors", risks, RISK_KEYS)
    decision = row.take("decision", cells.choice, row.cell("decision"), DECISIONS,
                        listing(v.DECISIONS))
    decided_on = row.take("decided_on", cells.date, row.cell("decided_on"))
    if decided_on not in (None, FAILED):
        decided_on = row.take("decided_on", rules.checked_date, "decided_on", decided_on)
    if FAILED not in (decision, decided_on, referred_on):
        try:
            decision, decided_on = rules.referral_decision(decision, decided_on, referred_on)
        except rules.InvalidRecord as error:
            for name, messages in error.message_dict.items():
                row.problem(name, " ".join(messages))
    if row.failed:
        return None
    return ReferralRow(sheet.name, number, reference, case_fields, referred_on, referrer,
                       caregivers, flags.get("single_caregiver_household"),
                       flags.get("first_time_parent"), risks, decision, decided_on)


def _consistent_cases(rows: list[ReferralRow], problems: list[Problem]) -> None:
    """Rows of one family give the same case details; two families never one NHS number."""
    first: dict[str, tuple[int, dict]] = {}
    owners: dict[str, tuple[str, int]] = {}
    columns = {field_name: column for column, field_name in CASE_COLUMNS.items()}
    for row in rows:
        seen_row, seen = first.setdefault(row.reference, (row.row, dict(row.case_fields)))
        if seen_row != row.row:
            for name, value in row.case_fields.items():
                if name in seen and seen[name] != value:
                    problems.append(Problem(row.sheet, row.row, columns[name], f"differs from "
                                            f"row {seen_row}, which has the same team "
                                            "reference: give the case's details the same in "
                                            "every row, or only once"))
                seen.setdefault(name, value)
        pseudonym = row.case_fields.get("nhs_number_pseudonym")
        if pseudonym:
            owner = owners.setdefault(pseudonym, (row.reference, row.row))
            if owner[0] != row.reference:
                problems.append(Problem(row.sheet, row.row, "nhs_number", f"row {owner[1]} "
                                        "gives the same NHS number for another team reference"))


# --------------------------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------------------------

def _engine_column(message: str, fallback: str) -> str:
    match = _ENGINE_COLUMN.match(message)
    if not match:
        return fallback
    if match[2]:
        return f"item_{match[2]}"
    if match[3]:
        return f"subscale_{match[3]}"
    return "total"


def check_measure(sheet: Sheet, number: int, values: dict,
                  problems: list[Problem]) -> MeasureRow | None:
    row = RowCheck(sheet, number, values, problems)
    reference = row.reference()
    code = cells.text(row.cell("instrument")).lower()
    if not code:
        row.problem("instrument", "give the instrument's code: " + ", ".join(sorted(REGISTRY)))
    elif code not in REGISTRY:
        row.problem("instrument", "choose one of: " + ", ".join(sorted(REGISTRY)))
    timepoint = (row.take("timepoint", cells.choice, row.cell("timepoint"), TIMEPOINTS,
                          listing(v.TIMEPOINTS))
                 if row.required("timepoint", "the timepoint") else FAILED)
    administered_on = row.date("administered_on", "the date the measure was given")
    total = row.take("total", cells.number, row.cell("total"))
    items = {n: row.take(f"item_{n}", cells.whole_number, row.cell(f"item_{n}"))
             for n in range(1, MAX_ITEMS + 1)}
    subscales = {name: row.take(f"subscale_{name}", cells.number, row.cell(f"subscale_{name}"))
                 for name in SUBSCALES}
    if row.failed or code not in REGISTRY:
        return None
    inst = REGISTRY[code]
    given_items = [n for n, value in items.items() if value is not None]
    given_subscales = {name: value for name, value in subscales.items() if value is not None}
    given = [what for what, present in (("items", given_items), ("total", total is not None),
                                        ("subscales", given_subscales)) if present]
    if len(given) != 1:
        row.problem("total", "give the item scores, the total or the subscale totals" if not
                    given else "give only one of the item scores, the total or the subscale "
                    "totals, not " + " and ".join(given))
        return None
    entered_as = given[0]
    arguments = {}
    if entered_as == "items":
        for n in given_items:
            if n > len(inst.items):
                row.problem(f"item_{n}", f"{code} has {len(inst.items)} items: leave this "
                            "column blank" if inst.items else
                            f"{code} has no item scores: give the total")
        if row.failed:
            return None
        arguments["items"] = [items[n] for n in range(1, len(inst.items) + 1)]
        fallback = f"item_{given_items[0]}"
    elif entered_as == "total":
        arguments["total"] = total
        fallback = "total"
    else:
        arguments["subscales"] = given_subscales
        fallback = f"subscale_{next(iter(given_subscales))}"
    try:
        result = score_instrument(code, **arguments)
    except ValueError as error:
        row.problem(_engine_column(str(error), fallback), str(error))
        return None
    return MeasureRow(sheet.name, number, reference, code, timepoint, administered_on,
                      entered_as, arguments.get("items"), result.total, dict(result.subscales),
                      result.band or "", result.caseness, list(result.flags), result.complete)


# --------------------------------------------------------------------------------------------

#: Each sheet's row check; its clean rows go to the Checked list of the same name.
CHECKS = {"referrals": check_referral, "episodes": check_episode, "contacts": check_contact,
          "measures": check_measure}


def _refused_key(values: dict, date_column: str | None = None):
    """The team reference (and a date) of a refused row, as far as they can be read, so that
    the rows naming it are not also reported as naming nothing."""
    reference = cells.text(values.get("team_reference"))
    if date_column is None:
        return reference
    try:
        return reference, cells.date(values.get(date_column))
    except cells.CellError:
        return None


def check_sheets(sheets: list[Sheet], budget: Budget | None = None) -> Checked:
    """Check every row of every sheet; the result holds clean rows and every problem.
    `budget`: the file's, whose time the checks spend too (FileProblems when spent)."""
    checked = Checked()
    for sheet in sheets:
        check, kept = CHECKS[sheet.kind.key], getattr(checked, sheet.kind.key)
        for number, values in sheet.rows:
            if budget is not None:
                budget.tick()
            checked.rows_read += 1
            found = check(sheet, number, values, checked.problems)
            if found is not None:
                kept.append(found)
            elif sheet.kind.key == "referrals":
                checked.refused_references.add(_refused_key(values))
            elif sheet.kind.key == "episodes":
                checked.refused_episodes.add(_refused_key(values, "started_on"))
    _consistent_cases(checked.referrals, checked.problems)
    one_episode_a_day(checked.episodes, checked.problems)
    checked.warnings.extend(reference_warnings(checked.referrals))
    return checked


def reference_warnings(rows: list[ReferralRow]) -> list[Problem]:
    """A team reference that looks like a name, once per reference (its first row)."""
    found, seen = [], set()
    for row in rows:
        if row.reference in seen:
            continue
        seen.add(row.reference)
        found += [Problem(row.sheet, row.row, column, message)
                  for column, message in rules.team_reference_warnings(row.reference)]
    return found
