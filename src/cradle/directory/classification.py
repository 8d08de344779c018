"""Apply the team definition (definition.py) to services as the database records them.

`facts_for` reads a service's staffing, interventions and recorded evidence through its related
managers, so classifying many services costs three queries in all when the queryset was passed
through `with_facts` first.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from .definition import (
    ALL_CRITERIA,
    CRITERIA_BY_KEY,
    Classification,
    CriterionResult,
    Outcome,
    ServiceFacts,
    Status,
    classify,
)
from .models import CriterionEvidence, Service

#: The relations facts_for reads: prefetch them before classifying more than one service.
FACT_RELATIONS = ("staffing", "interventions", "evidence")

OUTCOME_IN_WORDS = {
    Outcome.TEAM: "Team",
    Outcome.NOT_A_TEAM: "Not a team",
    Outcome.NOT_ENOUGH_INFORMATION: "Not enough information",
}
# NHS.UK tag colours (nhsuk-tag--<colour>).
OUTCOME_TAG_COLOUR = {
    Outcome.TEAM: "green",
    Outcome.NOT_A_TEAM: "grey",
    Outcome.NOT_ENOUGH_INFORMATION: "yellow",
}


def with_facts(services: QuerySet) -> QuerySet:
    return services.prefetch_related(*FACT_RELATIONS)


def facts_for(service: Service) -> ServiceFacts:
    """What the register knows about a service, in the definition's terms.

    Evidence recorded against a key the definition does not know (for example one retired from
    it) is left out here; the service page still lists it.
    """
    return ServiceFacts(
        kind=service.kind,
        staffing={row.profession: float(row.wte) for row in service.staffing.all()},
        interventions=frozenset(row.intervention for row in service.interventions.all()),
        accepts_from=service.accepts_from or None,
        accepts_to_months=service.accepts_to_months,
        answers={row.criterion: row.answer for row in service.evidence.all()
                 if row.criterion in CRITERIA_BY_KEY},
    )


def classify_service(service: Service) -> Classification:
    return classify(facts_for(service))


@dataclass(frozen=True)
class CriterionLine:
    """One criterion or exclusion as a page shows it."""

    label: str
    question: str
    kind: str  # "Criterion" | "Exclusion"
    status: str  # in words: "Met", "Not met", "Applies", "Does not apply", "Not known yet"
    tag_colour: str
    reason: str
    basis: str


@dataclass(frozen=True)
class Verdict:
    """A classification in words, for templates."""

    classification: Classification

    @property
    def outcome(self) -> Outcome:
        return self.classification.outcome

    @property
    def is_team(self) -> bool:
        return self.outcome is Outcome.TEAM

    @property
    def in_words(self) -> str:
        return OUTCOME_IN_WORDS[self.outcome]

    @property
    def tag_colour(self) -> str:
        return OUTCOME_TAG_COLOUR[self.outcome]

    @property
    def summary(self) -> str:
        return self.classification.summary

    @property
    def lines(self) -> tuple[CriterionLine, ...]:
        return tuple(_line(result) for result in self.classification.results)


def status_in_words(result: CriterionResult) -> str:
    if result.status is Status.UNKNOWN:
        return "Not known yet"
    if result.criterion.kind == "exclusion":
        return "Applies" if result.status is Status.MET else "Does not apply"
    return "Met" if result.status is Status.MET else "Not met"


def _rules_out(result: CriterionResult) -> bool:
    ruling_out_status = Status.MET if result.criterion.kind == "exclusion" else Status.NOT_MET
    return result.status is ruling_out_status


def _line(result: CriterionResult) -> CriterionLine:
    if result.status is Status.UNKNOWN:
        colour = "yellow"
    else:
        colour = "red" if _rules_out(result) else "green"
    criterion = result.criterion
    return CriterionLine(
        label=criterion.label, question=criterion.question, kind=criterion.kind.capitalize(),
        status=status_in_words(result), tag_colour=colour, reason=result.reason,
        basis=result.basis.capitalize(),
    )


def verdict_for(service: Service) -> Verdict:
    return Verdict(classify_service(service))


def attach_verdicts(services: Iterable[Service]) -> list[Service]:
    """Classify each service, setting `service.verdict`. Pass a queryset through `with_facts`."""
    services = list(services)
    for service in services:
        service.verdict = verdict_for(service)
    return services


@dataclass(frozen=True)
class EvidenceLine:
    """A piece of recorded evidence as a page shows it."""

    label: str
    answer: str
    evidence: str
    source: str
    recorded_on: datetime.date


def describe_evidence(evidence: CriterionEvidence) -> EvidenceLine:
    criterion = CRITERIA_BY_KEY.get(evidence.criterion)
    is_exclusion = criterion is not None and criterion.kind == "exclusion"
    if evidence.answer is None:
        answer = "Not known"
    elif is_exclusion:
        answer = "Applies" if evidence.answer else "Does not apply"
    else:
        answer = "Yes" if evidence.answer else "No"
    label = criterion.label if criterion else evidence.criterion.replace("_", " ").capitalize()
    return EvidenceLine(label, answer, evidence.evidence, evidence.source, evidence.recorded_on)


_DEFINITION_ORDER = {criterion.key: i for i, criterion in enumerate(ALL_CRITERIA)}


def evidence_lines(service: Service) -> list[EvidenceLine]:
    """The service's recorded evidence in the definition's order (unknown keys last)."""
    rows = sorted(service.evidence.all(),
                  key=lambda row: (_DEFINITION_ORDER.get(row.criterion, len(ALL_CRITERIA)),
                                   row.criterion))
    return [describe_evidence(row) for row in rows]
