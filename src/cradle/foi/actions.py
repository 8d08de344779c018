"""Writes for FOI campaigns: each runs in one transaction and records a RequestEvent.

Email goes out only after the transaction commits, so a failed save never sends a letter.
"""

import datetime
from collections.abc import Iterable

from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context, Template

from cradle.geography.models import Area

from .analysis import ANSWER_FIELDS
from .deadlines import due_date, long_overdue_date
from .models import (
    Body,
    BodyKind,
    Campaign,
    FoiRequest,
    RequestEvent,
    RequestState,
    ResponseRecord,
    regime_for_nation,
)
from .responses_csv import ResponseRow

RESPONSE_SCHEME = "ccg2019"

REGIME_NAMES = {"foia": "Freedom of Information Act 2000",
                "foisa": "Freedom of Information (Scotland) Act 2002"}


class FoiActionError(ValueError):
    pass


def _event(request: FoiRequest, kind: str, on: datetime.date, by: str, note: str = "") -> None:
    RequestEvent.objects.create(request=request, kind=kind, on=on, note=note, recorded_by=by)


def render_letter(campaign: Campaign, body: Body) -> str:
    regime = regime_for_nation(body.nation)
    return Template(campaign.letter_template).render(Context({
        "body": body, "campaign": campaign, "question_set": campaign.questions,
        "regime_name": REGIME_NAMES[regime]}, autoescape=False))


@transaction.atomic
def create_campaign(*, name: str, question_set: str, letter_template: str, signatory: str,
                    reply_to: str) -> Campaign:
    return Campaign.objects.create(name=name, question_set=question_set,
                                   letter_template=letter_template, signatory=signatory,
                                   reply_to=reply_to)


@transaction.atomic
def add_recipients(*, campaign: Campaign, bodies: Iterable[Body], by: str,
                   on: datetime.date) -> list[FoiRequest]:
    """A request for each body not yet asked in this campaign, with its letter written."""
    asked = set(campaign.requests.values_list("body_id", flat=True))
    created = []
    for body in bodies:
        if body.id in asked:
            continue
        request = FoiRequest.objects.create(
            campaign=campaign, body=body, regime=regime_for_nation(body.nation),
            letter=render_letter(campaign, body))
        _event(request, "letter written", on, by)
        created.append(request)
    return created


def _start_clock(request: FoiRequest, received_on: datetime.date) -> None:
    request.received_on = received_on
    request.due_on = due_date(received_on, request.regime)
    request.long_overdue_on = long_overdue_date(received_on, request.regime)


@transaction.atomic
def send_requests(*, requests: Iterable[FoiRequest], on: datetime.date, by: str,
                  email: bool = True) -> list[FoiRequest]:
    """Mark requests sent on `on` (emailed now, or already sent by mail merge).

    An emailed request is received the day it is sent, so its clock starts then.
    """
    sent = []
    for request in requests:
        if request.state != RequestState.NOT_SENT:
            raise FoiActionError(f"{request.body.name}: already sent on {request.sent_on}")
        if email and not request.body.email:
            raise FoiActionError(f"{request.body.name}: no email address; export it for mail "
                                 "merge instead")
        request.state = RequestState.AWAITING_RESPONSE
        request.sent_on = on
        _start_clock(request, on)
        request.save()
        _event(request, "sent by email" if email else "sent (mail merge)", on, by,
               f"Due {request.due_on:%d %B %Y}")
        if email:
            transaction.on_commit(lambda request=request: _email(request))
        sent.append(request)
    return sent


def _email(request: FoiRequest) -> None:
    campaign = request.campaign
    EmailMessage(
        subject=f"Freedom of Information request: {campaign.questions.name}",
        body=request.letter, to=[request.body.email], reply_to=[campaign.reply_to],
    ).send()


@transaction.atomic
def change_state(*, request: FoiRequest, state: str, on: datetime.date, by: str,
                 note: str = "", exemption: str = "", reply_text: str = "") -> FoiRequest:
    if state not in RequestState.values or state == RequestState.NOT_SENT:
        raise FoiActionError(f"{state!r} is not a state a sent request can move to")
    if request.state == RequestState.NOT_SENT:
        raise FoiActionError("the request has not been sent yet")
    if state == RequestState.REFUSED and not exemption.strip():
        raise FoiActionError("a refusal must name the exemption it relies on")
    request.state = state
    request.exemption = exemption.strip() if state == RequestState.REFUSED else ""
    if reply_text:
        request.reply_text = reply_text
    request.save()
    _event(request, f"now {RequestState(state).label.lower()}", on, by, note)
    return request


@transaction.atomic
def restart_clock(*, request: FoiRequest, clarification_received: datetime.date,
                  by: str) -> FoiRequest:
    """The requester answered a request for clarification: the 20 days start again."""
    if request.state != RequestState.CLARIFICATION_REQUESTED:
        raise FoiActionError("the clock restarts only after clarification was requested")
    request.state = RequestState.AWAITING_RESPONSE
    _start_clock(request, clarification_received)
    request.save()
    _event(request, "clarification sent; clock restarted", clarification_received, by,
           f"Now due {request.due_on:%d %B %Y}")
    return request


@transaction.atomic
def redirect_request(*, request: FoiRequest, provider: Body, on: datetime.date,
                     by: str, note: str = "") -> FoiRequest:
    """"Ask the trust": close this request as redirected and ask the named provider."""
    if request.state in (RequestState.NOT_SENT, RequestState.REDIRECTED):
        raise FoiActionError("only a request that has been sent, and not already redirected, "
                             "can be redirected")
    if provider.kind != BodyKind.PROVIDER:
        raise FoiActionError(f"{provider.name} is not a provider")
    if FoiRequest.objects.filter(campaign=request.campaign, body=provider).exists():
        raise FoiActionError(f"{provider.name} has already been asked in this campaign")
    request.state = RequestState.REDIRECTED
    request.save()
    _event(request, "redirected", on, by, f"To {provider.name}. {note}".strip())
    new = FoiRequest.objects.create(
        campaign=request.campaign, body=provider, regime=regime_for_nation(provider.nation),
        letter=render_letter(request.campaign, provider), redirected_from=request)
    _event(new, "letter written", on, by, f"Redirected from {request.body.name}")
    return new


@transaction.atomic
def add_commissioners(*, scheme: str = "ccg2019") -> int:
    """A commissioner body for every area of a health scheme (ODS-coded areas only)."""
    from cradle.geography.models import Area

    created = 0
    for area in Area.objects.in_scheme(scheme).exclude(ods_code=""):
        body, was_created = Body.objects.get_or_create(
            ods_code=area.ods_code,
            defaults={"kind": BodyKind.COMMISSIONER, "name": area.name, "nation": area.nation})
        body.areas.add(area)
        created += was_created
    return created


@transaction.atomic
def record_response(*, request: FoiRequest, received_on: datetime.date,
                    answers: list[tuple[Area, dict, str]], state: str, reply_text: str,
                    by: str) -> FoiRequest:
    """A ResponseRecord per area answered about (area, answers by field, comment), then the
    request's new state."""
    body = request.body
    ResponseRecord.objects.bulk_create(
        ResponseRecord(campaign=request.campaign, request=request, respondent_code=body.ods_code,
                       respondent_type=body.respondent_type, area=area, received_on=received_on,
                       comment=comment, **{name: values.get(name) for name in ANSWER_FIELDS})
        for area, values, comment in answers)
    count = len(answers)
    return change_state(
        request=request, state=state, on=received_on, by=by,
        note=f"Structured response recorded for {count} area{'s' if count != 1 else ''}",
        reply_text=reply_text)


@transaction.atomic
def import_responses(*, campaign: Campaign, rows: list[ResponseRow]) -> int:
    """A ResponseRecord per validated CSV row, linked to the campaign's request to the
    respondent where there is one. States are left for a person to judge."""
    areas = {area.ods_code: area for area in Area.objects.in_scheme(RESPONSE_SCHEME)}
    requests = {request.body.ods_code: request
                for request in FoiRequest.objects.for_campaign(campaign).select_related("body")}
    ResponseRecord.objects.bulk_create(
        ResponseRecord(campaign=campaign, request=requests.get(row.respondent_code),
                       respondent_code=row.respondent_code,
                       respondent_type=str(row.respondent_type), area=areas[row.area_code],
                       received_on=row.received_on, comment=row.comment,
                       **{name: getattr(row, name) for name in ANSWER_FIELDS})
        for row in rows)
    return len(rows)
