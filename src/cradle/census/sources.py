"""What other sources say of a service's census fields, for the review's conflict flags.

Public claims (the register updates, an earlier census's claim) say a status on a date; an
earlier round's accepted facts say a value of any field. A claim counts when its evidence lies
within the confirmation window before the round's reference date (ADR 0018's 24 months), so a
2019 report does not "conflict" with a 2027 answer.
"""

from __future__ import annotations

from cradle.directory.confirmation import CENSUS_DATASET_PREFIX
from cradle.directory.evidence_dates import CONFIRMATION_WINDOW_MONTHS, confirms_on
from cradle.directory.models import Service

from .diff import OtherSource
from .models import CensusFact


def other_sources(service: Service, census_round, *, exclude_answer=None) -> list[OtherSource]:
    on = census_round.reference_date
    found = []
    for claim in service.claims.exclude(dataset=f"{CENSUS_DATASET_PREFIX}{census_round.pk}"):
        if claim.evidence_from and confirms_on(claim.evidence_from, claim.evidence_to, on,
                                               CONFIRMATION_WINDOW_MONTHS):
            label = ("an earlier census" if claim.dataset.startswith(CENSUS_DATASET_PREFIX)
                     else f"a public source ({claim.get_strength_display().lower()} evidence)")
            found.append(OtherSource("status", claim.claimed_status, label,
                                     claim.evidence_date_text))
    facts = (CensusFact.objects.filter(service=service).exclude(round=census_round)
             .select_related("round").order_by("field", "-effective_on"))
    if exclude_answer is not None:
        facts = facts.exclude(answer=exclude_answer)
    latest = {}
    for fact in facts:
        latest.setdefault(fact.field, fact)
    found += [OtherSource(fact.field, fact.value, f"the census “{fact.round.name}”",
                          fact.effective_on.isoformat()) for fact in latest.values()]
    return found
