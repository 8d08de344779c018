"""FOI test helpers: a second coordinator checking entered answers (ADR 0031)."""

from cradle.foi import actions_answers
from cradle.foi.models import ResponseRecord, StructuredAnswer

SECOND_COORDINATOR = "second.coordinator@example.org"


def check_all(campaign, by: str = SECOND_COORDINATOR) -> int:
    """Mark every answer of the campaign waiting to be checked as checked, by `by`."""
    response_ids = list(ResponseRecord.objects.for_campaign(campaign).to_check()
                        .values_list("id", flat=True))
    answer_ids = list(StructuredAnswer.objects.for_campaign(campaign).to_check()
                      .values_list("id", flat=True))
    if not (response_ids or answer_ids):
        return 0
    return actions_answers.mark_checked(campaign=campaign, by=by, response_ids=response_ids,
                                        answer_ids=answer_ids)


def to_check_form(campaign, decision: str = "check", reason: str = "") -> dict:
    """The answers-to-check form choosing every answer waiting to be checked."""
    return {"decision": decision, "reason": reason,
            "response": [str(pk) for pk in ResponseRecord.objects.for_campaign(campaign)
                         .to_check().values_list("id", flat=True)],
            "answer": [str(pk) for pk in StructuredAnswer.objects.for_campaign(campaign)
                       .to_check().values_list("id", flat=True)]}
