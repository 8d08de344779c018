"""Structured answers: entered from a reply (by a form, or a responses file), then checked
by a second coordinator, or returned for correction, before any figure uses them (ADR 0031).

Each write runs in one transaction with its audit entries (field names only). Impossible
answers are refused here, whatever the caller (answer_rules): one dated before its letter was
sent, and bands above their total unless a person confirms them with a note.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.geography.models import Area

from . import actions
from .analysis import ANSWER_FIELDS
from .answer_rules import CONFIRM_ADVICE, part_of_problems, problems_2019, reply_before_letter
from .models import Campaign, FoiRequest, RequestEvent, ResponseRecord, StructuredAnswer
from .models_review import ReviewState
from .question_data import check_answers
from .responses_csv import ResponseRow

RESPONSE_SCHEME = "ccg2019"


class ImpossibleAnswers(actions.FoiActionError):
    """Answers refused outright (answer_rules.reply_before_letter); `problems` names each."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class NeedsConfirmation(actions.FoiActionError):
    """Figures that break a rule a person may override (answer_rules.TotalProblem): nothing
    was saved; saving them needs a confirmation note."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems) + f": {CONFIRM_ADVICE}")


def _refuse_impossible(sent_on: datetime.date | None, received_on: datetime.date,
                       problems: list[str], confirmation_note: str) -> str:
    """Refuse an answer dated before its letter, or figures above their total that nobody has
    confirmed; the note to store with flagged figures ("" when there are none)."""
    early = reply_before_letter(received_on, sent_on)
    if early:
        raise ImpossibleAnswers([early])
    if problems and not confirmation_note.strip():
        raise NeedsConfirmation(problems)
    return confirmation_note.strip() if problems else ""




@transaction.atomic
def record_answers(*, request: FoiRequest, received_on: datetime.date, answers: dict,
                   comment: str, state: str, reply_text: str, by: str,
                   confirmation_note: str = "") -> StructuredAnswer:
    """One body's answers to its campaign's own questions (cells by answer field, checked by
    question_data.check_answers and answer_rules), entered for a second person to check, then
    the request's new state."""
    campaign = request.campaign
    if campaign.uses_2019_analysis:
        raise actions.FoiActionError("this campaign asks the 2019 questions: record its answers by area")
    problems = check_answers(campaign.typed_questions, answers)
    if problems:
        raise actions.FoiActionError("; ".join(problems))
    note = _refuse_impossible(request.sent_on, received_on,
                              part_of_problems(campaign.typed_questions, answers),
                              confirmation_note)
    answer = StructuredAnswer.objects.create(campaign=campaign, request=request,
                                             received_on=received_on, answers=answers,
                                             comment=comment, entered_by=by,
                                             confirmation_note=note)
    audit = []
    audit.append(recorder.created(answer))
    recorder.record_many(by or None, audit)
    actions.change_state(request=request, state=state, on=received_on, by=by,
                 note="Structured answer recorded", reply_text=reply_text)
    return answer




@transaction.atomic
def record_response(*, request: FoiRequest, received_on: datetime.date,
                    answers: list[tuple[Area, dict, str]], state: str, reply_text: str,
                    by: str, confirmation_note: str = "") -> FoiRequest:
    """A ResponseRecord per area answered about (area, answers by field, comment), entered for
    a second person to check, then the request's new state. Bands above their total are
    refused unless confirmed with a note, which is kept with the areas it covers."""
    body = request.body
    flagged = {area.pk: problems_2019(values, area.name) for area, values, _ in answers}
    note = _refuse_impossible(request.sent_on, received_on,
                              [p for found in flagged.values() for p in found],
                              confirmation_note)
    records = ResponseRecord.objects.bulk_create([
        ResponseRecord(campaign=request.campaign, request=request, respondent_code=body.ods_code,
                       respondent_type=body.respondent_type, area=area, received_on=received_on,
                       comment=comment, entered_by=by,
                       confirmation_note=note if flagged[area.pk] else "",
                       **{name: values.get(name) for name in ANSWER_FIELDS})
        for area, values, comment in answers])
    audit = []
    for record in records:
        audit.append(recorder.created(record))
    recorder.record_many(by or None, audit)
    count = len(answers)
    return actions.change_state(
        request=request, state=state, on=received_on, by=by,
        note=f"Structured response recorded for {count} area{'s' if count != 1 else ''}",
        reply_text=reply_text)




@transaction.atomic
def import_responses(*, campaign: Campaign, rows: list[ResponseRow], by: str,
                     confirmation_note: str = "") -> int:
    """A ResponseRecord per validated CSV row, linked to the campaign's request to the
    respondent where there is one, entered by `by` for a second person to check. States are
    left for a person to judge. A row dated before its request was sent is refused; rows with
    bands above their total need `confirmation_note`, kept on those rows."""
    areas = {area.ods_code: area for area in Area.objects.in_scheme(RESPONSE_SCHEME)}
    requests = {request.body.ods_code: request
                for request in FoiRequest.objects.for_campaign(campaign).select_related("body")}
    early, flagged = [], []
    for row in rows:
        request = requests.get(row.respondent_code)
        problem = reply_before_letter(row.received_on, request.sent_on if request else None)
        if problem:
            early.append(f"{row.respondent_code} about {row.area_code}, received_on: {problem}")
        flagged.append(problems_2019(vars(row), f"{row.respondent_code} about {row.area_code}"))
    if early:
        raise ImpossibleAnswers(early)
    note = _refuse_impossible(None, datetime.date.min, [p for f in flagged for p in f],
                              confirmation_note)
    records = ResponseRecord.objects.bulk_create([
        ResponseRecord(campaign=campaign, request=requests.get(row.respondent_code),
                       respondent_code=row.respondent_code,
                       respondent_type=str(row.respondent_type), area=areas[row.area_code],
                       received_on=row.received_on, comment=row.comment, entered_by=by,
                       confirmation_note=note if problems else "",
                       **{name: getattr(row, name) for name in ANSWER_FIELDS})
        for row, problems in zip(rows, flagged, strict=True)])
    audit = []
    for record in records:
        audit.append(recorder.created(record))
    recorder.record_many(by or None, audit)
    return len(rows)


def _describe(answer) -> str:
    who = answer.request.body.name if answer.request else answer.respondent_code
    if isinstance(answer, ResponseRecord):
        return f"{who}'s answer about {answer.area.name}"
    return f"{who}'s answers received {answer.received_on:%d %B %Y}"


def _answers_to_review(campaign: Campaign, response_ids, answer_ids, by: str) -> list:
    """The answers named, locked, each still entered and entered by someone other than `by`;
    FoiActionError naming every one that is not."""
    found, problems = [], []
    for model, ids, related in ((ResponseRecord, set(response_ids), ("request__body", "area")),
                                (StructuredAnswer, set(answer_ids), ("request__body",))):
        if not ids:
            continue
        rows = list(model.objects.select_for_update(of=("self",)).select_related(*related)
                    .filter(campaign=campaign, pk__in=ids).order_by("id"))
        if len(rows) != len(ids):
            problems.append(f"{len(ids) - len(rows)} of the answers chosen are not this "
                            "campaign's")
        for row in rows:
            if row.review_state != ReviewState.ENTERED:
                state = row.get_review_state_display().lower()
                problems.append(f"{_describe(row)}: already {state}")
            elif row.entered_by == by:
                problems.append(f"{_describe(row)}: you entered it, so another coordinator "
                                "must check it")
        found.extend(rows)
    if problems:
        raise actions.FoiActionError("; ".join(problems))
    if not found:
        raise actions.FoiActionError("choose at least one answer")
    return found


def _review(answers: list, by: str, state: str, note: str, what: str) -> int:
    now, audit = timezone.now(), []
    for answer in answers:
        answer.review_state = state
        if state == ReviewState.CHECKED:
            answer.checked_by, answer.checked_at = by, now
            fields = ["review_state", "checked_by", "checked_at"]
        else:
            answer.review_note = note
            fields = ["review_state", "review_note"]
        answer.save(update_fields=fields)
        audit.append(recorder.event_for(answer, Action.CHANGE, fields))
    by_request: dict[int, int] = {}
    for answer in answers:
        if answer.request_id:
            by_request[answer.request_id] = by_request.get(answer.request_id, 0) + 1
    for request_id, count in by_request.items():
        event = RequestEvent.objects.create(
            request_id=request_id, kind=f"answers {what}", on=timezone.localdate(),
            note=f"{count} answer{'s' if count != 1 else ''} {what}"
                 + (f": {note}" if note else ""), recorded_by=by)
        audit.append(recorder.created(event))
    recorder.record_many(by or None, audit)
    return len(answers)


@transaction.atomic
def mark_checked(*, campaign: Campaign, by: str, response_ids=(), answer_ids=()) -> int:
    """A second coordinator has checked these entered answers against the replies: from now
    on they count in the campaign's figures and whatever is published from them."""
    return _review(_answers_to_review(campaign, response_ids, answer_ids, by), by,
                   ReviewState.CHECKED, "", "checked")


@transaction.atomic
def return_for_correction(*, campaign: Campaign, by: str, reason: str, response_ids=(),
                          answer_ids=()) -> int:
    """These entered answers are wrong: they are left out of every figure, with the reason,
    and a corrected answer is entered anew."""
    if not reason.strip():
        raise actions.FoiActionError("say what is wrong, so the answer can be corrected")
    return _review(_answers_to_review(campaign, response_ids, answer_ids, by), by,
                   ReviewState.RETURNED, reason.strip(), "returned for correction")
