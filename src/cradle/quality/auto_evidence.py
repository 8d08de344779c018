"""Evidence Cradle fills in itself: computed afresh each time a review is shown, so it is
always current, and read through the functions the register and the pooled reports already use.

- staffing by profession (whole-time equivalents) from the register;
- the team definition's verdict (directory.classification.verdict_for);
- outcome measure completion and the did-not-attend rate over the last 12 months, from the
  pooled facts of the team's case records (pooled.extract, exact: only the team and
  coordinators see a review);
- training delivered (events and attendees) from the same facts; supervision and consultation
  given to other professionals from the team's workforce activity records.

Nothing recorded is shown as not known, never as 0: a team whose records are kept elsewhere
has simply not told Cradle.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from cradle.directory.classification import verdict_for
from cradle.directory.models import Profession, Service
from cradle.outcomes.instruments import REGISTRY
from cradle.outcomes.models import WorkforceActivity
from cradle.pooled.data import Scope
from cradle.pooled.extract import extract

from .models import AutoSource

PERIOD_DAYS = 365


@dataclass
class AutoEvidence:
    source: str
    label: str
    known: bool
    lines: list[str] = field(default_factory=list)
    note: str = ""


def period(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    return on - datetime.timedelta(days=PERIOD_DAYS - 1), on


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


def _staffing(team: Service, **_) -> AutoEvidence:
    rows = list(team.staffing.all())
    label = AutoSource.REGISTER_STAFFING.label
    if not rows:
        return AutoEvidence(AutoSource.REGISTER_STAFFING, label, False,
                            note="The register holds no staffing for this team: not known.")
    names = dict(Profession.choices)
    total = sum(row.wte for row in rows)
    return AutoEvidence(AutoSource.REGISTER_STAFFING, label, True, [
        *(f"{names.get(row.profession, row.profession)}: {row.wte.normalize():f} WTE"
          for row in rows), f"Total: {total.normalize():f} WTE"])


def _verdict(team: Service, **_) -> AutoEvidence:
    verdict = verdict_for(team)
    return AutoEvidence(AutoSource.DEFINITION_VERDICT, AutoSource.DEFINITION_VERDICT.label,
                        True, [verdict.in_words, verdict.summary])


def _completion(team: Service, *, facts, since, until, **_) -> AutoEvidence:
    label = AutoSource.OUTCOME_COMPLETION.label
    lines = []
    for code in sorted(REGISTRY):
        sums = facts.change_of(code)
        if sums and sums.with_baseline:
            lines.append(f"{REGISTRY[code].name}: {_percent(sums.pairs, sums.with_baseline)} "
                         f"({sums.pairs} of {sums.with_baseline} ended episodes with a start "
                         f"measure also have an end measure)")
    note = f"Episodes ended {since:%-d %B %Y} to {until:%-d %B %Y}."
    if not lines:
        return AutoEvidence(AutoSource.OUTCOME_COMPLETION, label, False, note=(
            "No ended episode with a start measure is recorded in Cradle for the last 12 "
            "months: not known."))
    return AutoEvidence(AutoSource.OUTCOME_COMPLETION, label, True, lines, note)


def _dna(team: Service, *, facts, since, until, **_) -> AutoEvidence:
    label = AutoSource.DNA_RATE.label
    attended = facts.contact_outcomes.get("attended", 0)
    missed = facts.contact_outcomes.get("did_not_attend", 0)
    if not attended + missed:
        return AutoEvidence(AutoSource.DNA_RATE, label, False, note=(
            "No attended or missed contact is recorded in Cradle for the last 12 months: "
            "not known."))
    return AutoEvidence(AutoSource.DNA_RATE, label, True, [
        f"{_percent(missed, attended + missed)} did not attend ({missed} of "
        f"{attended + missed} contacts attended or not attended; cancellations excluded)"],
        f"Contacts {since:%-d %B %Y} to {until:%-d %B %Y}.")


def _training(team: Service, *, facts, since, until, **_) -> AutoEvidence:
    label = AutoSource.TRAINING_DELIVERED.label
    if not facts.training_events:
        return AutoEvidence(AutoSource.TRAINING_DELIVERED, label, False, note=(
            "No training event is recorded in Cradle for the last 12 months: not known."))
    return AutoEvidence(AutoSource.TRAINING_DELIVERED, label, True, [
        f"{facts.training_events} training event{'s' if facts.training_events != 1 else ''}",
        f"{facts.professionals_trained} attendees recorded"],
        f"{since:%-d %B %Y} to {until:%-d %B %Y}.")


def _supervision(team: Service, *, since, until, **_) -> AutoEvidence:
    label = AutoSource.SUPERVISION_RECORDED.label
    rows = (WorkforceActivity.objects.current()
            .filter(team=team, kind__in=("supervision", "consultation"), on__gte=since,
                    on__lte=until)
            .order_by().values("kind").annotate(sessions=Count("pk"), people=Sum("attendees")))
    counts = {row["kind"]: row for row in rows}
    if not counts:
        return AutoEvidence(AutoSource.SUPERVISION_RECORDED, label, False, note=(
            "No supervision or consultation given to other professionals is recorded in "
            "Cradle for the last 12 months: not known."))
    lines = []
    for kind, words in (("supervision", "supervision session"),
                        ("consultation", "consultation")):
        if kind in counts:
            sessions, people = counts[kind]["sessions"], counts[kind]["people"]
            lines.append(f"{sessions} {words}{'s' if sessions != 1 else ''}"
                         + (f", {people} attendees recorded" if people else ""))
    return AutoEvidence(AutoSource.SUPERVISION_RECORDED, label, True, lines,
                        f"{since:%-d %B %Y} to {until:%-d %B %Y}. Given to other "
                        "professionals; a team's own internal supervision is not recorded "
                        "in Cradle.")


READERS = {
    AutoSource.REGISTER_STAFFING: _staffing,
    AutoSource.DEFINITION_VERDICT: _verdict,
    AutoSource.OUTCOME_COMPLETION: _completion,
    AutoSource.DNA_RATE: _dna,
    AutoSource.TRAINING_DELIVERED: _training,
    AutoSource.SUPERVISION_RECORDED: _supervision,
}
NEEDS_FACTS = {AutoSource.OUTCOME_COMPLETION, AutoSource.DNA_RATE,
               AutoSource.TRAINING_DELIVERED}


def evidence_for(team: Service, sources, on: datetime.date) -> dict[str, AutoEvidence]:
    """The current automatic evidence for each of `sources` (AutoSource values)."""
    wanted = [source for source in dict.fromkeys(sources) if source in READERS]
    since, until = period(on)
    facts = (extract(Scope(team_ids=(team.pk,), start=since, end=until))
             if NEEDS_FACTS & set(wanted) else None)
    return {source: READERS[source](team, facts=facts, since=since, until=until)
            for source in wanted}
