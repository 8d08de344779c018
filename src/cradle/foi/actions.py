"""Writes for FOI campaigns: each runs in one transaction and records a RequestEvent.

Email goes out only after the transaction commits, so a failed save never sends a letter.
Every record created or changed is also written to the audit log (field names only), in the
same transaction; `by` is the actor, or, where an action has none, the signed-in user.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.geography.models import Area

from . import replies
from .deadlines import HolidayDataError, due_date, long_overdue_date
from .letters import (
    LetterTemplateError,
    empty_placeholders,
    fill,
    letter_values,
    request_reference,
)
from .lifecycle import chased_recently
from .models import (
    PRESET_2019,
    Body,
    BodyKind,
    BodyType,
    Campaign,
    FoiRequest,
    RequestEvent,
    RequestState,
    regime_for_nation,
)
from .question_data import preset_data, question_lines
from .questions import QUESTION_SETS

RESPONSE_SCHEME = "ccg2019"


# The request fields an action can change, compared before and after for the audit log.
REQUEST_STATE_FIELDS = ("state", "sent_on", "received_on", "due_on", "long_overdue_on",
                        "exemption", "reply_text", "letter")


class FoiActionError(ValueError):
    pass


def _audit_created(audit: list, obj: models.Model, *extra: str) -> None:
    audit.append(recorder.created(obj, *extra))


def _snapshot(request: FoiRequest) -> dict:
    return {name: getattr(request, name) for name in REQUEST_STATE_FIELDS}


def _audit_changed(audit: list, request: FoiRequest, before: dict) -> None:
    changed = [name for name, value in before.items() if getattr(request, name) != value]
    audit.append(recorder.event_for(request, Action.CHANGE, changed))


def _write_audit(by: str | None, audit: list) -> None:
    recorder.record_many(by or None, audit)


def _event(request: FoiRequest, kind: str, on: datetime.date, by: str, note: str = "", *,
           audit: list) -> None:
    event = RequestEvent.objects.create(request=request, kind=kind, on=on, note=note,
                                        recorded_by=by)
    _audit_created(audit, event)


def _letter_values(request: FoiRequest, sent_on: datetime.date) -> dict[str, str]:
    campaign, body = request.campaign, request.body
    try:
        due_on = due_date(sent_on, request.regime)
    except HolidayDataError as error:
        raise FoiActionError(f"no due date for a letter sent on {sent_on}: {error}") from None
    return letter_values(
        body_name=body.name, body_address=body.email, regime=request.regime,
        is_commissioner=body.kind == BodyKind.COMMISSIONER, campaign_name=campaign.name,
        period=campaign.period_text, period_label=campaign.period_label,
        questions=question_lines(campaign.typed_questions),
        due_on=due_on, reference=request_reference(request.pk),
        sender=campaign.signatory, reply_to=replies.reply_to_address(request))


def letter_gaps(requests: Iterable[FoiRequest], *, on: datetime.date) -> list[str]:
    """For each request whose letter would have an empty placeholder, a line naming the body
    and each such placeholder; [] when every letter is complete."""
    gaps = []
    for request in requests:
        values = _letter_values(request, on)
        empty = empty_placeholders(request.campaign.letter_template, values)
        if empty:
            gaps.append(f"{request.body.name} ({request.body.ods_code}): "
                        + ", ".join(f"[{name}] is empty" for name in empty))
    return gaps


def render_letter(request: FoiRequest, *, sent_on: datetime.date) -> str:
    """The request's letter, from its campaign's template, as if sent on `sent_on`.

    Only plain strings reach the letter (letters.letter_values); a stored template that the
    placeholder check refuses raises FoiActionError and is never evaluated.
    """
    campaign = request.campaign
    values = _letter_values(request, sent_on)
    try:
        return fill(campaign.letter_template, values)
    except LetterTemplateError as error:
        raise FoiActionError(f"the letter of campaign “{campaign.name}” cannot be written: "
                             f"{error}") from None


def _write_letter(request: FoiRequest, on: datetime.date, audit: list) -> None:
    # Its own reply address first, so the letter can name it (ADR 0029).
    replies.ensure_reply_address(request, audit)
    request.letter = render_letter(request, sent_on=on)
    request.save(update_fields=["letter"])


# The 2019 preset's period, as its letters have always stated it.
PRESET_PERIODS = {PRESET_2019: ("2018/19", datetime.date(2018, 4, 1),
                                datetime.date(2019, 3, 31))}
PERIOD_FIELDS = ("period_label", "period_starts_on", "period_ends_on")


def _full_clean(campaign: Campaign) -> None:
    try:
        campaign.full_clean()
    except ValidationError as error:
        raise FoiActionError("; ".join(error.messages)) from None


@transaction.atomic
def create_campaign(*, name: str, question_set: str, letter_template: str, signatory: str,
                    reply_to: str, question_data: dict | None = None, period_label: str = "",
                    period_starts_on: datetime.date | None = None,
                    period_ends_on: datetime.date | None = None) -> Campaign:
    """A campaign asking a preset's questions (a copy of them, as data, with the preset's
    period unless one is given), or the `question_data` built for it (`question_set` "")."""
    if question_set:
        if question_set not in QUESTION_SETS:
            raise FoiActionError(f"there is no preset question set {question_set!r}")
        question_data = preset_data(QUESTION_SETS[question_set])
        if not period_label and question_set in PRESET_PERIODS:
            period_label, period_starts_on, period_ends_on = PRESET_PERIODS[question_set]
    campaign = Campaign(name=name, question_set=question_set, letter_template=letter_template,
                        signatory=signatory, reply_to=reply_to,
                        question_data=question_data or {}, period_label=period_label,
                        period_starts_on=period_starts_on, period_ends_on=period_ends_on)
    _full_clean(campaign)
    campaign.save()
    recorder.record_many(None, [recorder.created(campaign)])
    return campaign


@transaction.atomic
def set_questions(*, campaign: Campaign, question_data: dict, period_label: str,
                  period_starts_on: datetime.date | None,
                  period_ends_on: datetime.date | None, by: str,
                  on: datetime.date) -> Campaign:
    """Replace a campaign's questions and period, and write its unsent letters again; refused
    once any request has been sent. Questions changed from a preset's are no longer that
    preset (so no longer analysed as it is)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.questions_frozen:
        raise FoiActionError("the questions cannot be changed: a request of this campaign has "
                             "been sent, so they are fixed")
    before = {name: getattr(campaign, name) for name in ("question_set", "question_data",
                                                         *PERIOD_FIELDS)}
    if campaign.question_set and question_data != preset_data(campaign.questions):
        campaign.question_set = ""
    campaign.question_data = question_data
    campaign.period_label = period_label
    campaign.period_starts_on, campaign.period_ends_on = period_starts_on, period_ends_on
    _full_clean(campaign)
    campaign.save()
    changed = [name for name, value in before.items() if getattr(campaign, name) != value]
    audit = [recorder.event_for(campaign, Action.CHANGE, changed)]
    for request in campaign.requests.filter(state=RequestState.NOT_SENT).select_related(
            "body", "campaign"):
        request_before = _snapshot(request)
        _write_letter(request, on, audit)
        _audit_changed(audit, request, request_before)
    _write_audit(by, audit)
    return campaign


@transaction.atomic
def add_recipients(*, campaign: Campaign, bodies: Iterable[Body], by: str,
                   on: datetime.date) -> list[FoiRequest]:
    """A request for each body not yet asked in this campaign, with its letter written."""
    asked = set(campaign.requests.values_list("body_id", flat=True))
    created, audit = [], []
    for body in bodies:
        if body.id in asked:
            continue
        request = FoiRequest.objects.create(
            campaign=campaign, body=body, regime=regime_for_nation(body.nation))
        _write_letter(request, on, audit)
        _audit_created(audit, request)
        _event(request, "letter written", on, by, audit=audit)
        created.append(request)
    _write_audit(by, audit)
    return created


def _start_clock(request: FoiRequest, received_on: datetime.date) -> None:
    request.received_on = received_on
    request.due_on = due_date(received_on, request.regime)
    request.long_overdue_on = long_overdue_date(received_on, request.regime)


@transaction.atomic
def send_requests(*, requests: Iterable[FoiRequest], on: datetime.date, by: str,
                  email: bool = True, email_in_transaction: bool = False) -> list[FoiRequest]:
    """Mark requests sent on `on` (emailed now, or already sent by mail merge).

    An emailed request is received the day it is sent, so its clock starts then. The email
    goes after the commit, or, with `email_in_transaction` (the background batch, one request
    at a time: foi/tasks.py), before it, so that a letter the mail server refused is not
    recorded as sent and is sent when the batch is tried again.
    """
    requests = list(requests)
    # Checked again here, whatever path sends: a letter with a gap never goes out.
    gaps = letter_gaps(requests, on=on)
    if gaps:
        raise FoiActionError("letters with an empty placeholder: " + "; ".join(gaps))
    sent, audit = [], []
    for request in requests:
        if request.state != RequestState.NOT_SENT:
            raise FoiActionError(f"{request.body.name}: already sent on {request.sent_on}")
        if email and not request.body.email:
            raise FoiActionError(no_address_problem(request.body))
        before = _snapshot(request)
        request.state = RequestState.AWAITING_RESPONSE
        request.sent_on = on
        _start_clock(request, on)
        # Written again for the day it leaves, so the due date in it is the one stored.
        request.letter = render_letter(request, sent_on=on)
        request.save()
        _audit_changed(audit, request, before)
        _event(request, "sent by email" if email else "sent (mail merge)", on, by,
               f"Due {request.due_on:%d %B %Y}", audit=audit)
        if email and email_in_transaction:
            _email(request)
        elif email:
            transaction.on_commit(lambda request=request: _email(request))
        sent.append(request)
    _write_audit(by, audit)
    return sent


def no_address_problem(body: Body) -> str:
    """Why a body cannot be emailed, and the route there is instead."""
    if body.wdtk_new_request_url:
        return (f"{body.name}: no FOI email address; request it through WhatDoTheyKnow "
                f"({body.wdtk_new_request_url}), or export it for mail merge")
    return f"{body.name}: no email address; export it for mail merge instead"


REMINDER_SENT = "reminder sent"


def reminder_text(request: FoiRequest) -> str:
    """A fixed reminder (no template: nothing a user typed is evaluated), quoting the letter."""
    return (f"Our Freedom of Information request {request_reference(request.pk)}, sent on "
            f"{request.sent_on:%d %B %Y}, was due for a response on {request.due_on:%d %B %Y}. "
            "We have not yet received one. Please reply to this address, or tell us when we "
            "can expect your answer.\n\nThe original request follows.\n\n" + request.letter)


def recently_chased(last_chased_on: datetime.date | None, on: datetime.date,
                    regime: str) -> bool:
    """Chased fewer than 5 working days before `on` (lifecycle.chased_recently), so not to be
    chased again; a date outside the holiday data counts as recent: nothing is sent on a
    guess."""
    try:
        return chased_recently(last_chased_on, on, regime)
    except HolidayDataError:
        return True


@transaction.atomic
def send_reminder(*, request: FoiRequest, on: datetime.date, by: str) -> bool:
    """Email one overdue request's body a reminder and record it; False (nothing sent) if it
    is no longer awaiting a response or was reminded within the last 5 working days (so a
    batch tried again reminds nobody twice). The email goes before the commit: a refused one
    is not recorded."""
    request = (FoiRequest.objects.select_related("body", "campaign")
               .select_for_update().get(pk=request.pk))
    last = request.events.filter(kind=REMINDER_SENT).aggregate(last=models.Max("on"))["last"]
    if (request.state != RequestState.AWAITING_RESPONSE or not request.body.email
            or recently_chased(last, on, request.regime)):
        return False
    audit = []
    _event(request, REMINDER_SENT, on, by, f"Was due {request.due_on:%d %B %Y}", audit=audit)
    _write_audit(by, audit)
    EmailMessage(
        subject=f"Reminder: Freedom of Information request {request_reference(request.pk)}",
        body=reminder_text(request), to=[request.body.email],
        reply_to=[replies.reply_to_address(request)],
    ).send()
    return True


def _email(request: FoiRequest) -> None:
    campaign = request.campaign
    EmailMessage(
        subject=f"Freedom of Information request: {campaign.subject_name}",
        body=request.letter, to=[request.body.email],
        reply_to=[replies.reply_to_address(request)],
    ).send()


def state_event_kind(state: str) -> str:
    """The kind of the RequestEvent change_state records for a move to `state`."""
    return f"now {RequestState(state).label.lower()}"


@transaction.atomic
def change_state(*, request: FoiRequest, state: str, on: datetime.date, by: str,
                 note: str = "", exemption: str = "", reply_text: str = "") -> FoiRequest:
    if state not in RequestState.values or state == RequestState.NOT_SENT:
        raise FoiActionError(f"{state!r} is not a state a sent request can move to")
    if request.state == RequestState.NOT_SENT:
        raise FoiActionError("the request has not been sent yet")
    if state == RequestState.REFUSED and not exemption.strip():
        raise FoiActionError("a refusal must name the exemption it relies on")
    before, audit = _snapshot(request), []
    request.state = state
    request.exemption = exemption.strip() if state == RequestState.REFUSED else ""
    if reply_text:
        request.reply_text = reply_text
    request.save()
    _audit_changed(audit, request, before)
    _event(request, state_event_kind(state), on, by, note, audit=audit)
    _write_audit(by, audit)
    return request


@transaction.atomic
def restart_clock(*, request: FoiRequest, clarification_received: datetime.date,
                  by: str) -> FoiRequest:
    """The requester answered a request for clarification: the 20 days start again."""
    if request.state != RequestState.CLARIFICATION_REQUESTED:
        raise FoiActionError("the clock restarts only after clarification was requested")
    before, audit = _snapshot(request), []
    request.state = RequestState.AWAITING_RESPONSE
    _start_clock(request, clarification_received)
    request.save()
    _audit_changed(audit, request, before)
    _event(request, "clarification sent; clock restarted", clarification_received, by,
           f"Now due {request.due_on:%d %B %Y}", audit=audit)
    _write_audit(by, audit)
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
    before, audit = _snapshot(request), []
    request.state = RequestState.REDIRECTED
    request.save()
    _audit_changed(audit, request, before)
    _event(request, "redirected", on, by, f"To {provider.name}. {note}".strip(), audit=audit)
    new = FoiRequest.objects.create(
        campaign=request.campaign, body=provider, regime=regime_for_nation(provider.nation),
        redirected_from=request)
    _write_letter(new, on, audit)
    _audit_created(audit, new)
    _event(new, "letter written", on, by, f"Redirected from {request.body.name}", audit=audit)
    _write_audit(by, audit)
    return new


@transaction.atomic
def add_commissioners(*, scheme: str = "ccg2019") -> int:
    """A commissioner body for every area of a health scheme (ODS-coded areas only)."""

    created, audit = 0, []
    for area in Area.objects.in_scheme(scheme).exclude(ods_code=""):
        # By type too: a sub-ICB location of today can carry the code of a 2019 CCG.
        body, was_created = Body.objects.get_or_create(
            ods_code=area.ods_code, body_type=BodyType.CCG if scheme.startswith("ccg") else "",
            defaults={"kind": BodyKind.COMMISSIONER, "name": area.name, "nation": area.nation})
        if was_created:
            body.areas.add(area)
            _audit_created(audit, body, "areas")
        elif not body.areas.filter(pk=area.pk).exists():
            body.areas.add(area)
            audit.append(recorder.event_for(body, Action.CHANGE, ["areas"]))
        created += was_created
    _write_audit(None, audit)
    return created
