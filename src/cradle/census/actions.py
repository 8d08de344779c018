"""Writes of the census: each in one transaction, audited (field names only, never values).

`by` is the signed-in user where there is one; a respondent answering from a link has no
account, and is recorded as "census link". An email goes before its transaction commits (as
FOI letters do): a refused one leaves nothing recorded, and trying again sends only the rest.
"""

from __future__ import annotations

import datetime

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.directory.models import Service, ServiceKind, Status

from . import links, register, schedule
from .diff import Change, DecisionError, changes, conflicts, decided_values
from .fields import SECTION_KEYS
from .models import (
    Answer,
    AnswerState,
    CensusFact,
    CensusRound,
    Decision,
    Invitation,
)
from .sources import other_sources

LINK_ACTOR = "census link"


class CensusError(ValueError):
    """A census write that cannot be done; the message says why in plain words."""


def services_for(*, nation: str, teams_only: bool, on: datetime.date):
    services = Service.objects.real().with_status_on(on).exclude(status_on=Status.CLOSED)
    if nation:
        services = services.in_nation(nation)
    if teams_only:
        services = services.filter(kind=ServiceKind.TEAM)
    return services.order_by("name")


@transaction.atomic
def open_round(*, name: str, reference_date: datetime.date, closes_on: datetime.date,
               nation: str, teams_only: bool, reply_to: str, by, today: datetime.date
               ) -> CensusRound:
    if closes_on < today:
        raise CensusError("the closing date is in the past")
    census_round = CensusRound.objects.create(
        name=name, reference_date=reference_date, opened_on=today, closes_on=closes_on,
        nation=nation, teams_only=teams_only, reply_to=reply_to, created_by=by)
    services = list(services_for(nation=nation, teams_only=teams_only, on=reference_date))
    if not services:
        raise CensusError("no service in the register matches that choice")
    invitations = Invitation.objects.bulk_create(
        Invitation(round=census_round, service=service, email=service.contact_email,
                   expires_on=schedule.expires_on(closes_on)) for service in services)
    recorder.record_many(by, [recorder.created(census_round)]
                         + [recorder.event_for(i, Action.CREATE, ("round", "service", "email"))
                            for i in invitations])
    return census_round


@transaction.atomic
def set_email(*, invitation: Invitation, email: str, by) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.email = email.strip()
    invitation.save(update_fields=["email"])
    recorder.record_changes(by, invitation, ("email",), Action.CHANGE)
    return invitation


def _letter(invitation: Invitation, url: str, reminder: bool) -> EmailMessage:
    census_round = invitation.round
    first = ("A reminder: we have not yet had your answer to" if reminder
             else "Please answer")
    body = (f"{first} the census of parent-infant services, “{census_round.name}”, for "
            f"{invitation.service.name}.\n\n"
            f"The form shows what the register holds today. Confirm or correct each section; "
            f"you can save a draft and come back. Please answer by "
            f"{census_round.closes_on:%-d %B %Y}.\n\n"
            f"Your personal link (for this service only; do not forward it):\n{url}\n\n"
            f"It works until {invitation.expires_on:%-d %B %Y}. Nothing you send changes the "
            "register until a coordinator has checked it.\n")
    subject = ("Reminder: " if reminder else "") + f"Census of parent-infant services: " \
        f"{invitation.service.name}"
    return EmailMessage(subject=subject, body=body, to=[invitation.email],
                        reply_to=[census_round.reply_to])


def send_link(*, invitation: Invitation, on: datetime.date, by, absolute) -> bool:
    """Email the invitation's link (`absolute` turns a path into a full address). False if it
    has no address, was already sent, or was answered or revoked."""
    with transaction.atomic():
        invitation = (Invitation.objects.select_for_update().select_related("round", "service")
                      .get(pk=invitation.pk))
        if (not invitation.email or invitation.sent_on or invitation.submitted_at
                or invitation.revoked_at):
            return False
        invitation.sent_on = on
        invitation.save(update_fields=["sent_on"])
        recorder.record_changes(by, invitation, ("sent_on",), Action.CHANGE,
                                note="Census link sent by email")
        _letter(invitation, absolute(links.answer_url(invitation)), reminder=False).send()
    return True


def send_reminder(*, invitation: Invitation, on: datetime.date, by, absolute) -> bool:
    with transaction.atomic():
        invitation = (Invitation.objects.select_for_update().select_related("round", "service")
                      .get(pk=invitation.pk))
        if not invitation.email or not schedule.reminder_due(
                link_state(invitation), invitation.round.closes_on, on):
            return False
        invitation.reminded_on = on
        invitation.reminders += 1
        invitation.save(update_fields=["reminded_on", "reminders"])
        recorder.record_changes(by, invitation, ("reminded_on", "reminders"), Action.CHANGE,
                                note="Census reminder sent by email")
        _letter(invitation, absolute(links.answer_url(invitation)), reminder=True).send()
    return True


def link_state(invitation: Invitation) -> schedule.LinkState:
    return schedule.LinkState(sent_on=invitation.sent_on, reminded_on=invitation.reminded_on,
                              answered=invitation.submitted_at is not None,
                              revoked=invitation.revoked_at is not None,
                              expires_on=invitation.expires_on)


@transaction.atomic
def mail_merge(*, census_round: CensusRound, on: datetime.date, by, absolute) -> list[dict]:
    """Rows for a mail merge of every link not yet sent by email; they count as sent today."""
    rows, audit = [], []
    pending = (census_round.invitations.select_for_update().select_related("service")
               .filter(sent_on__isnull=True, revoked_at__isnull=True,
                       submitted_at__isnull=True))
    for invitation in pending:
        invitation.sent_on, invitation.sent_by_mail_merge = on, True
        invitation.save(update_fields=["sent_on", "sent_by_mail_merge"])
        audit.append(recorder.event_for(invitation, Action.EXPORT,
                                        ("sent_on", "sent_by_mail_merge")))
        rows.append({"service": invitation.service.name, "email": invitation.email,
                     "link": absolute(links.answer_url(invitation)),
                     "answer_by": census_round.closes_on.isoformat(),
                     "link_expires": invitation.expires_on.isoformat()})
    recorder.record_many(by, audit)
    return rows


@transaction.atomic
def revoke(*, invitation: Invitation, by) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.submitted_at:
        raise CensusError("the service has already answered")
    invitation.version += 1
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["version", "revoked_at"])
    recorder.record_changes(by, invitation, ("version", "revoked_at"), Action.CHANGE)
    return invitation


@transaction.atomic
def reissue(*, invitation: Invitation, by) -> Invitation:
    """A new link (the old one stops working), not yet sent."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.submitted_at:
        raise CensusError("the service has already answered")
    invitation.version += 1
    invitation.revoked_at = None
    invitation.sent_on = None
    invitation.save(update_fields=["version", "revoked_at", "sent_on"])
    recorder.record_changes(by, invitation, ("version", "revoked_at", "sent_on"), Action.CHANGE)
    return invitation


@transaction.atomic
def mark_opened(invitation: Invitation) -> None:
    if Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()):
        recorder.record_changes(LINK_ACTOR, invitation, ("opened_at",), Action.CHANGE)


def start_answer(invitation: Invitation) -> Answer:
    """The invitation's answer, made (pre-filled from the register) on first opening."""
    answer = Answer.objects.filter(invitation=invitation).first()
    if answer is not None:
        return answer
    census_round = invitation.round
    with transaction.atomic():
        before = register.snapshot(invitation.service, census_round.reference_date)
        answer, created = Answer.objects.get_or_create(
            round=census_round, service=invitation.service,
            defaults={"invitation": invitation, "values": before, "register_before": before})
        if created:
            recorder.record_changes(LINK_ACTOR, answer, ("values", "register_before"),
                                    Action.CREATE)
    return answer


@transaction.atomic
def save_answer(*, invitation: Invitation, values: dict, confirmed_sections: list[str],
                respondent_role: str, submit: bool, by=LINK_ACTOR) -> Answer:
    """Save a draft, or send the answer for review (every section confirmed, a role given)."""
    invitation = Invitation.objects.select_for_update().select_related("round", "service").get(
        pk=invitation.pk)
    problem = links.link_problem(invitation, timezone.localdate())
    if problem:
        raise CensusError(links.PROBLEM_WORDS[problem])
    answer = Answer.objects.select_for_update().get(invitation=invitation)
    if submit:
        missing = [key for key in SECTION_KEYS if key not in confirmed_sections]
        if missing:
            raise CensusError(f"confirm or correct every section before sending: "
                              f"{', '.join(missing)} not confirmed")
        if not respondent_role:
            raise CensusError("say what your role is before sending")
    answer.values = values
    answer.confirmed_sections = [key for key in SECTION_KEYS if key in confirmed_sections]
    answer.respondent_role = respondent_role
    fields = ["values", "confirmed_sections", "respondent_role", "saved_at"]
    if submit:
        now = timezone.now()
        answer.state, answer.submitted_at = AnswerState.SUBMITTED, now
        invitation.submitted_at = now
        invitation.save(update_fields=["submitted_at"])
        fields += ["state", "submitted_at"]
    answer.save(update_fields=fields)
    recorder.record_changes(by, answer, fields[:-1] if not submit else fields, Action.CHANGE,
                            note="Census answer sent for review" if submit
                            else "Census draft saved")
    return answer


def review_changes(answer: Answer) -> list[Change]:
    """The answer against the register as it is now, each change with its conflicts."""
    census_round = answer.round
    now = register.snapshot(answer.service, census_round.reference_date)
    return conflicts(changes(now, answer.values),
                     other_sources(answer.service, census_round, exclude_answer=answer))


@transaction.atomic
def accept_answer(*, answer: Answer, decisions: dict[str, tuple[str, object]], by,
                  now: datetime.datetime | None = None) -> list[CensusFact]:
    """Apply a review: each change accepted, edited or rejected; accepted values become register
    facts with their provenance, and the service is confirmed on the round's reference date."""
    answer = Answer.objects.select_for_update().select_related("round", "service").get(
        pk=answer.pk)
    if answer.state != AnswerState.SUBMITTED:
        raise CensusError("this answer has been reviewed already" if answer.state ==
                          AnswerState.REVIEWED else "this answer has not been sent yet")
    now = now or timezone.now()
    census_round, service = answer.round, Service.objects.select_for_update().get(
        pk=answer.service_id)
    found = review_changes(answer)
    try:
        values = decided_values(found, decisions)
    except DecisionError as error:
        raise CensusError(str(error)) from None
    audit: list = []
    register.write(service, values, census_round=census_round, audit=audit)
    facts = []
    for change in found:
        decision, _ = decisions[change.key]
        row = Decision.objects.create(answer=answer, field=change.key, decision=decision,
                                      before=change.before, answered=change.after,
                                      value=values.get(change.key))
        audit.append(recorder.created(row))
        if change.key in values:
            facts.append(CensusFact.objects.create(
                service=service, field=change.key, value=values[change.key],
                effective_on=census_round.reference_date, round=census_round, answer=answer,
                respondent_role=answer.respondent_role, edited=decision == "edit",
                accepted_by=by, accepted_at=now))
            audit.append(recorder.created(facts[-1]))
    register.confirm(service, census_round=census_round,
                     confirmed_sections=answer.confirmed_sections,
                     respondent_role=answer.get_respondent_role_display(),
                     accepted_by=f"coordinator {by.pk}", audit=audit)
    answer.state, answer.reviewed_by, answer.reviewed_at = AnswerState.REVIEWED, by, now
    answer.save(update_fields=["state", "reviewed_by", "reviewed_at", "saved_at"])
    audit.append(recorder.event_for(answer, Action.CHANGE, ("state", "reviewed_by",
                                                            "reviewed_at")))
    recorder.record_many(by, audit)
    return facts
