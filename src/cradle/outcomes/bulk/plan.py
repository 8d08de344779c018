"""The checks that need the database, and what an import would create.

Run twice: for the dry run's preview, and again inside the confirming transaction (the team's
cases may have changed in between), so the counts shown are the counts written.

Links between sheets are found here, in the file or in the database: the referral an episode
follows (the case's referral on the episode's referred_on date), and the episode a contact
belongs to (the case's episode starting on the contact's episode_started_on date), whose end
the contact's date is then checked against with the action's own rule.

A withdrawn case (corrections.py) takes no more rows: each row naming it is refused. Other
withdrawn records are neither held nor linked to.

Rows Cradle already holds (by each kind's natural key, see `held`) are marked held: the
preview lists them and the import skips them. A held referral or episode is linked to as the
record Cradle holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from cradle.outcomes import validation as rules
from cradle.outcomes.models import Case, Episode, Referral

from .checks import CASE_COLUMNS, Checked
from .columns import RECORD_TYPES
from .held import KEYS, held_rows
from .parsing import column_name
from .problems import Problem

CASE_FIELDS = ("nhs_number_pseudonym", "baby_birth_month", "birth_month_is_due_month",
               "postcode_district")
WHAT = {"nhs_number_pseudonym": "NHS number", "baby_birth_month": "month of birth",
        "birth_month_is_due_month": "due-month answer", "postcode_district": "postcode district"}
COLUMN = {field_name: column for column, field_name in CASE_COLUMNS.items()}


#: Where a linked record is: ("file", index in the Checked list) or ("database", pk).
FILE, DATABASE = "file", "database"
NO_CASE = ("Cradle has no case with this team reference: add the family on the referrals "
           "sheet, or create the case first")

WITHDRAWN_CASE = ("the case with this team reference was withdrawn: nothing more is recorded "
                  "on it; give the family a new reference if they are a case after all")


@dataclass
class Plan:
    checked: Checked
    existing: dict[str, int] = field(default_factory=dict)  # reference -> case pk
    new_cases: dict[str, dict] = field(default_factory=dict)  # reference -> case fields
    episode_referral: dict[int, tuple[str, int]] = field(default_factory=dict)
    contact_episode: dict[int, tuple[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: Listed in the preview for the user to check; they do not stop the import.
    warnings: list[Problem] = field(default_factory=list)
    #: kind -> {index in the Checked list: pk of the record Cradle already holds}
    held: dict[str, dict[int, int]] = field(default_factory=lambda: {kind: {} for kind in KEYS})

    def new_rows(self, kind: str) -> list[tuple[int, object]]:
        """(index, row) of the rows of `kind` the import writes: those Cradle does not hold."""
        held = self.held[kind]
        return [(index, row) for index, row in enumerate(getattr(self.checked, kind))
                if index not in held]

    def held_rows(self) -> list:
        """The rows skipped as already held, in the file's order."""
        return [getattr(self.checked, kind)[index]
                for kind in KEYS for index in sorted(self.held[kind])]

    @property
    def counts(self) -> dict[str, int]:
        checked = self.checked
        referrals = [row for _i, row in self.new_rows("referrals")]
        episodes = [row for _i, row in self.new_rows("episodes")]
        named = {row.reference for rows in (checked.referrals, checked.episodes,
                                            checked.contacts, checked.measures) for row in rows}
        return {
            "cases": len(self.new_cases),
            "existing_cases": len(named & set(self.existing)),
            "referrals": len(referrals),
            "caregivers": sum(len(r.caregivers) for r in referrals),
            "risk_factors": sum(len(r.risk_factors) for r in referrals),
            "episodes": len(episodes),
            "ended_episodes": sum(1 for e in episodes if e.ended_on is not None),
            "interventions": sum(len(e.interventions) for e in episodes),
            "contacts": len(checked.contacts) - len(self.held["contacts"]),
            "measures": len(checked.measures) - len(self.held["measures"]),
            **{f"held_{kind}": len(self.held[kind]) for kind in KEYS},
        }


def _existing_cases(team) -> dict[str, dict]:
    rows = Case.objects.current().filter(team=team).values_list("pk", "team_reference", *CASE_FIELDS)
    return {row[1]: {"pk": row[0], **dict(zip(CASE_FIELDS, row[2:], strict=True))}
            for row in rows.iterator(chunk_size=5000)}


def plan_import(team, checked: Checked) -> Plan:
    """Which cases exist and which the import creates; every problem the database shows."""
    plan = Plan(checked, problems=list(checked.problems), warnings=list(checked.warnings))
    existing = _existing_cases(team)
    withdrawn = set(Case.objects.withdrawn().filter(team=team)
                    .values_list("team_reference", flat=True))
    plan.existing = {ref: case["pk"] for ref, case in existing.items()}
    owner_of = {case["nhs_number_pseudonym"]: ref for ref, case in existing.items()
                if case["nhs_number_pseudonym"]}
    for row in checked.referrals:
        if row.reference in withdrawn:
            plan.problems.append(Problem(row.sheet, row.row, "team_reference", WITHDRAWN_CASE))
            continue
        case = existing.get(row.reference)
        if case is not None:
            for name, value in row.case_fields.items():
                if case[name] != value and not (name == "birth_month_is_due_month"
                                                and value is False and not case[name]):
                    plan.problems.append(Problem(
                        row.sheet, row.row, COLUMN[name], f"Cradle already has this case with "
                        f"a different {WHAT[name]}: leave the column blank, or correct the "
                        "case first"))
            continue
        fields = plan.new_cases.setdefault(row.reference, {})
        for name, value in row.case_fields.items():
            fields.setdefault(name, value)
        pseudonym = row.case_fields.get("nhs_number_pseudonym")
        if pseudonym and owner_of.get(pseudonym, row.reference) != row.reference:
            plan.problems.append(Problem(row.sheet, row.row, "nhs_number",
                                         "the team already has a case with this NHS number"))
    known = set(existing) | set(plan.new_cases)
    plan.held["referrals"] = held_rows(team, "referrals", [
        (index, plan.existing.get(row.reference), (row.referred_on, row.referrer_type))
        for index, row in enumerate(checked.referrals)])
    for rows in (checked.episodes, checked.contacts, checked.measures):
        for row in rows:
            if row.reference in withdrawn:
                plan.problems.append(Problem(row.sheet, row.row, "team_reference",
                                             WITHDRAWN_CASE))
            elif (row.reference not in known
                  and row.reference not in checked.refused_references):
                plan.problems.append(Problem(row.sheet, row.row, "team_reference", NO_CASE))
    if checked.episodes:
        _link_episodes(plan, team, known)
        _one_open_episode_per_referral(plan, team)
    if checked.contacts:
        _place_contacts(plan, team, known)
    plan.held["measures"] = held_rows(team, "measures", [
        (index, plan.existing.get(row.reference),
         (row.instrument, row.timepoint, row.administered_on))
        for index, row in enumerate(checked.measures)])
    if checked.measures:
        _measure_warnings(plan, team)
    # Sheets in the workbook's order (as read: referrals first), rows in the sheet's order.
    sheets = list(RECORD_TYPES)
    plan.problems.sort(key=lambda p: (sheets.index(column_name(p.sheet))
                                      if column_name(p.sheet) in sheets else 0, p.row))
    return plan


def _in_database(team, cases: set[int], model) -> dict[tuple, list[tuple]]:
    """(case pk, date) -> [(pk, ...)] of the team's records of `cases`: referrals by referral
    date, episodes by start date (with their end)."""
    if not cases:
        return {}
    fields = (("case_id", "referred_on", "pk") if model is Referral
              else ("case_id", "started_on", "pk", "ended_on"))
    found = defaultdict(list)
    for case_pk, day, *rest in (model.objects.current().filter(case__team=team)
                                .values_list(*fields)
                                .iterator(chunk_size=5000)):
        if case_pk in cases:
            found[case_pk, day].append(tuple(rest))
    return found


def _existing_cases_of(plan: Plan, rows) -> set[int]:
    return {plan.existing[row.reference] for row in rows if row.reference in plan.existing}


def _link_episodes(plan: Plan, team, known: set[str]) -> None:
    """Each episode's referral, by date. An episode of a case Cradle holds that starts on the
    day one of the case's episodes in Cradle starts is that episode (its natural key): held,
    and skipped. A referral on the file that Cradle holds is found among Cradle's."""
    checked = plan.checked
    in_file = defaultdict(list)
    for index, row in plan.new_rows("referrals"):
        in_file[row.reference, row.referred_on].append(index)
    referrals = _in_database(team, _existing_cases_of(
        plan, [row for row in checked.episodes if row.referred_on]), Referral)
    plan.held["episodes"] = held_rows(team, "episodes", [
        (index, plan.existing.get(row.reference), (row.started_on,))
        for index, row in enumerate(checked.episodes)])
    for index, row in enumerate(checked.episodes):
        case_pk = plan.existing.get(row.reference)
        if (index in plan.held["episodes"] or row.referred_on is None
                or row.reference not in known):
            continue
        found = ([(FILE, i) for i in in_file.get((row.reference, row.referred_on), ())]
                 + [(DATABASE, pk) for (pk,) in referrals.get((case_pk, row.referred_on), ())])
        if len(found) == 1:
            plan.episode_referral[index] = found[0]
        elif not found and row.reference not in checked.refused_references:
            plan.problems.append(Problem(
                row.sheet, row.row, "referred_on", "the case has no referral on this date, on "
                "the referrals sheet or in Cradle: give the date of one of its referrals, or "
                "leave the column blank"))
        elif found:
            plan.problems.append(Problem(
                row.sheet, row.row, "referred_on", f"the case has {len(found)} referrals on "
                "this date, so Cradle cannot tell which one the episode follows: leave the "
                "column blank and link the episode on its page"))


def _place_contacts(plan: Plan, team, known: set[str]) -> None:
    """Each contact's episode, by its start date; then the contact's date within it, by the
    rule `actions.record_contact` applies."""
    checked = plan.checked
    in_file = {row.key: index for index, row in plan.new_rows("episodes")}
    episodes = _in_database(team, _existing_cases_of(plan, checked.contacts), Episode)
    for index, row in enumerate(checked.contacts):
        if row.reference not in known or row.episode_key in checked.refused_episodes:
            continue
        found = []
        if row.episode_key in in_file:
            position = in_file[row.episode_key]
            found.append((FILE, position, checked.episodes[position].ended_on))
        found += [(DATABASE, pk, ended_on) for pk, ended_on in episodes.get(
            (plan.existing.get(row.reference), row.episode_started_on), ())]
        if len(found) != 1:
            plan.problems.append(Problem(row.sheet, row.row, "episode_started_on", (
                "the case has no episode starting on this date, on the episodes sheet or in "
                "Cradle: give the start date of one of its episodes") if not found else (
                f"the case has {len(found)} episodes starting on this date, so Cradle cannot "
                "tell which one the contact belongs to")))
            continue
        where, key, ended_on = found[0]
        try:
            rules.contact_date(row.on, started_on=row.episode_started_on, ended_on=ended_on)
        except rules.InvalidRecord as error:
            plan.problems.append(Problem(row.sheet, row.row, "on",
                                         " ".join(error.message_dict["on"])))
            continue
        plan.contact_episode[index] = (where, key)
    plan.held["contacts"] = held_rows(team, "contacts", [
        (index, key if where == DATABASE else None, (checked.contacts[index].on,
                                                     checked.contacts[index].mode))
        for index, (where, key) in plan.contact_episode.items()])


def _one_open_episode_per_referral(plan: Plan, team) -> None:
    """The rule `actions.open_episode` applies: a referral has one open episode at a time."""
    open_in_cradle = set(Episode.objects.filter(
        case__team=team, ended_on__isnull=True, referral__isnull=False)
        .values_list("referral_id", flat=True))
    seen: dict[tuple[str, int], int] = {}
    for index in sorted(plan.episode_referral):
        row = plan.checked.episodes[index]
        if row.ended_on is not None:
            continue
        link = plan.episode_referral[index]
        already = seen.get(link) is not None or (link[0] == DATABASE
                                                 and link[1] in open_in_cradle)
        seen.setdefault(link, row.row)
        if already:
            try:
                rules.one_open_episode(1)
            except rules.InvalidRecord as error:
                plan.problems.append(Problem(row.sheet, row.row, "referred_on",
                                             " ".join(error.message_dict["referral"])))


def _first_dates(plan: Plan, team) -> dict[str, object]:
    """Each named case's first referral or episode start, on the file or in Cradle."""
    first: dict[str, object] = {}

    def note(reference, day):
        if day is not None and (reference not in first or day < first[reference]):
            first[reference] = day

    for row in plan.checked.referrals:
        note(row.reference, row.referred_on)
    for row in plan.checked.episodes:
        note(row.reference, row.started_on)
    reference_of = {pk: ref for ref, pk in plan.existing.items()}
    named = {reference_of[pk] for pk in reference_of
             if reference_of[pk] in {row.reference for row in plan.checked.measures}}
    wanted = [plan.existing[ref] for ref in named]
    for model, column in ((Referral, "referred_on"), (Episode, "started_on")):
        for case_pk, day in (model.objects.filter(case__team=team, case__in=wanted)
                             .values_list("case_id", column)):
            note(reference_of[case_pk], day)
    return first


def _measure_warnings(plan: Plan, team) -> None:
    """What the measure form would ask the user to confirm: a date before the case started,
    a second baseline of the same measure (on the file or in Cradle)."""
    from cradle.outcomes.instruments import REGISTRY
    from cradle.outcomes.models import MeasureAdministration

    first = _first_dates(plan, team)
    baselines: dict[tuple[str, str], object] = {}
    reference_of = {pk: ref for ref, pk in plan.existing.items()}
    for case_pk, code, day in (MeasureAdministration.objects
                               .filter(case__team=team, timepoint="baseline",
                                       case__in=list(reference_of))
                               .values_list("case_id", "instrument", "administered_on")):
        key = (reference_of[case_pk], code)
        baselines[key] = min(day, baselines.get(key, day))
    held = plan.held["measures"]
    for index, row in enumerate(plan.checked.measures):
        if index in held:
            continue
        key = (row.reference, row.instrument)
        earlier = baselines.get(key) if row.timepoint == "baseline" else None
        for column, message in rules.measure_warnings(
                instrument_name=REGISTRY[row.instrument].short_name, timepoint=row.timepoint,
                administered_on=row.administered_on, case_started_on=first.get(row.reference),
                earlier_baseline_on=earlier):
            plan.warnings.append(Problem(row.sheet, row.row, column, message))
        if row.timepoint == "baseline":
            baselines[key] = min(row.administered_on, baselines.get(key, row.administered_on))
