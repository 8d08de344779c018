"""The import itself: all or nothing, in one transaction, audited.

Order: cases, referrals (with caregivers and risk factors), episodes (with interventions),
then contacts and measures, so each record's links exist before it. An episode linked to a
referral, or a contact to an episode, on the same file gets the key the bulk insert gave it.

Audit: one entry per record created (field names only, as the single-record actions write
them, through `recorder.record_many` under one lock), plus one summary entry for the import
with its counts and the uploaded file's SHA-256, so an auditor can match the entries to the
file the team kept. bench/outcomes_import.py measures what the per-record entries cost.

Once: `import_staged` first claims the staged import (staging.claim, a conditional UPDATE of
its row), so of several confirmations of one file only one writes it; the others raise
`AlreadyImported` with the counts the winner wrote. Rows Cradle already holds (plan.held)
are skipped.
"""

from __future__ import annotations

from django.db import transaction

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.outcomes import validation as rules
from cradle.outcomes.models import (
    Caregiver,
    Case,
    Contact,
    Episode,
    EpisodeIntervention,
    MeasureAdministration,
    Referral,
    ReferralRiskFactor,
)
from cradle.pooled.summaries import Keeper

from . import staging
from .checks import Checked
from .plan import FILE, plan_import
from .problems import FileProblems

BATCH = 2000
#: The steps of an import, for a background job's progress (the work happens inside one
#: transaction, so the steps are what can be told: jobs.running writes them beside the row).
STEPS = ("Checking every row again against Cradle's records", "Writing the cases",
         "Writing the referrals", "Writing the caregivers", "Writing the risk factors",
         "Writing the episodes of work", "Writing the interventions", "Writing the contacts",
         "Writing the outcome measures", "Writing the pooled summaries",
         "Writing the audit entries")


def _no_progress(done: int, total: int | None = None, phase: str = "") -> None:
    return None


def _new_case(team, reference: str, fields: dict) -> Case:
    return Case(team=team, team_reference=reference,
                nhs_number_pseudonym=fields.get("nhs_number_pseudonym") or None,
                baby_birth_month=fields.get("baby_birth_month", ""),
                birth_month_is_due_month=fields.get("birth_month_is_due_month", False),
                postcode_district=fields.get("postcode_district", ""))


class AlreadyImported(Exception):
    """Another confirmation of the same staged import wrote it; `counts` is what it wrote."""

    def __init__(self, counts: dict, imported_at):
        super().__init__("already imported")
        self.counts, self.imported_at = counts, imported_at


def _key(link: tuple[str, int] | None, created: dict) -> int | None:
    """The pk of a linked record: one created from the file (by its index in the file's list)
    or one in Cradle."""
    if link is None:
        return None
    where, key = link
    return created[key].pk if where == FILE else key


def _existing_cases_written_to(plan) -> set[int]:
    """The cases Cradle already holds that rows of the file add records to (their pooled
    summaries change: ADR 0023)."""
    return {plan.existing[row.reference]
            for kind in ("referrals", "episodes", "contacts", "measures")
            for _index, row in plan.new_rows(kind) if row.reference in plan.existing}


def summary_note(counts: dict[str, int], file_sha256: str) -> str:
    parts = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items()
                      if count or not name.startswith("held_"))
    return f"Bulk import from a spreadsheet: {parts}. File SHA-256 {file_sha256}."


@transaction.atomic
def import_records(*, user, team, checked: Checked, file_sha256: str,
                   progress=_no_progress) -> dict[str, int]:
    """Write every checked record, or nothing: re-plans against the database inside the
    transaction and raises FileProblems if any problem is found. Returns the counts.
    `progress(done, total, phase)` is told each of the STEPS as it starts."""
    def step(index: int) -> None:
        progress(index, len(STEPS), STEPS[index])

    rules.require_team_permission(user, team.pk)
    step(0)
    plan = plan_import(team, checked)
    if plan.problems:
        raise FileProblems(plan.problems)
    summaries = Keeper()
    summaries.changing_cases(team.pk, _existing_cases_written_to(plan))
    step(1)
    cases = Case.objects.bulk_create(
        [_new_case(team, ref, fields) for ref, fields in plan.new_cases.items()],
        batch_size=BATCH)
    summaries.new_cases(team.pk, [case.pk for case in cases])
    case_pk = {**plan.existing, **{case.team_reference: case.pk for case in cases}}
    step(2)
    new_referrals = plan.new_rows("referrals")
    referrals = Referral.objects.bulk_create([
        Referral(case_id=case_pk[row.reference], referred_on=row.referred_on,
                 referrer_type=row.referrer_type,
                 single_caregiver_household=row.single_caregiver_household,
                 first_time_parent=row.first_time_parent, decision=row.decision,
                 decided_on=row.decided_on)
        for _index, row in new_referrals], batch_size=BATCH)
    referral_of = {index: referral for (index, _row), referral
                   in zip(new_referrals, referrals, strict=True)}
    step(3)
    caregivers = Caregiver.objects.bulk_create([
        Caregiver(referral_id=referral_of[index].pk, **person)
        for index, row in new_referrals for person in row.caregivers], batch_size=BATCH)
    step(4)
    risks = ReferralRiskFactor.objects.bulk_create([
        ReferralRiskFactor(referral_id=referral_of[index].pk, factor=factor)
        for index, row in new_referrals for factor in row.risk_factors], batch_size=BATCH)
    step(5)
    new_episodes = plan.new_rows("episodes")
    episodes = Episode.objects.bulk_create([
        Episode(case_id=case_pk[row.reference],
                referral_id=_key(plan.episode_referral.get(index), referral_of),
                started_on=row.started_on, ended_on=row.ended_on,
                discharge_reason=row.discharge_reason)
        for index, row in new_episodes], batch_size=BATCH)
    episode_of = {index: episode for (index, _row), episode
                  in zip(new_episodes, episodes, strict=True)}
    step(6)
    interventions = EpisodeIntervention.objects.bulk_create([
        EpisodeIntervention(episode_id=episode_of[index].pk, intervention=key)
        for index, row in new_episodes for key in row.interventions], batch_size=BATCH)
    step(7)
    contacts = Contact.objects.bulk_create([
        Contact(episode_id=_key(plan.contact_episode[index], episode_of), on=row.on,
                mode=row.mode, outcome=row.outcome, minutes=row.minutes,
                caregivers_attended=row.caregivers_attended, baby_attended=row.baby_attended)
        for index, row in plan.new_rows("contacts")], batch_size=BATCH)
    step(8)
    measures = MeasureAdministration.objects.bulk_create([
        MeasureAdministration(
            case_id=case_pk[row.reference], instrument=row.instrument, timepoint=row.timepoint,
            administered_on=row.administered_on, entered_as=row.entered_as, items=row.items,
            total=row.total, subscales=row.subscales, band=row.band, caseness=row.caseness,
            flags=row.flags, complete=row.complete)
        for _index, row in plan.new_rows("measures")], batch_size=BATCH)
    step(9)
    summaries.finish()
    step(10)
    rules.audit_created(user, [*cases, *referrals, *caregivers, *risks, *episodes,
                                *interventions, *contacts, *measures])
    counts = plan.counts
    recorder.record(actor=user, action=Action.LOAD, model_label="directory.service",
                    object_id=team.pk, note=summary_note(counts, file_sha256))
    return counts


def import_staged(*, user, team, token: str, progress=_no_progress) -> dict[str, int]:
    """Import the user's staged import `token` once: raises AlreadyImported if another
    confirmation claimed it, staging.StagingError if there is none (or its file is gone or
    changed), FileProblems if the re-plan finds a problem (nothing is then written and the
    import stays staged)."""
    rules.require_team_permission(user, team.pk)  # before the transaction: its first statement is the claim
    with transaction.atomic():
        if not staging.claim(token, user=user, team=team):
            staged = staging.staged_import(token, user=user, team=team)
            if staged is not None and staged.state == staged.IMPORTED:
                raise AlreadyImported(staged.counts, staged.imported_at)
            raise staging.StagingError("there is no staged import with this token")
        staged = staging.staged_import(token, user=user, team=team)
        checked = staging.load(token, staged.digest)
        counts = import_records(user=user, team=team, checked=checked,
                                file_sha256=staged.file_sha256, progress=progress)
        staging.record_counts(staged, counts)
    return counts
