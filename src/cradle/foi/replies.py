"""Writes for replies to FOI requests (ADR 0029): each in one transaction with its audit entries.

- `ensure_reply_address` gives a request its own reply token (called where its letter is
  written); `reply_to_address` is the address its letters and reminders ask replies at.
- `receive_message` stores a raw email message: attached to the request whose token is among
  its recipients, or kept unmatched (with a suggestion from a reference in its subject). The
  same message (by Message-ID) is stored once, however often it is delivered.
- `upload_message` and `upload_file` are a coordinator's own upload of a reply.
- `assign_reply` attaches an unmatched reply to a request.

A reply records a "reply received" event on its request but does not change its state: a
person reads it and records what it says (the state form, the structured answer).
Nothing here logs a message's addresses or contents.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cradle.audit import recorder
from cradle.audit.models import Action

from . import inbound, reply_files
from .models import (
    FoiRequest,
    Reply,
    ReplyAddress,
    ReplyArrival,
    ReplyAttachment,
    RequestEvent,
)

REPLY_RECEIVED = "reply received"


class ReplyError(ValueError):
    pass


def limits() -> inbound.Limits:
    return inbound.Limits(attachment_bytes=settings.FOI_ATTACHMENT_MAX_BYTES,
                          message_bytes=settings.FOI_MESSAGE_MAX_BYTES)


def ensure_reply_address(request: FoiRequest, audit: list) -> ReplyAddress:
    """The request's reply address, made now if it has none (inside the caller's action)."""
    existing = ReplyAddress.objects.filter(request=request).first()
    if existing:
        return existing
    address = ReplyAddress.objects.create(request=request, token=inbound.new_reply_token())
    audit.append(recorder.created(address))
    return address


def reply_to_address(request: FoiRequest) -> str:
    """Where replies to this request should go: its own address when a reply domain is
    configured and it has a token, otherwise the campaign's reply-to address."""
    domain = settings.FOI_REPLY_DOMAIN
    if domain and request.pk:
        token = (ReplyAddress.objects.filter(request_id=request.pk)
                 .values_list("token", flat=True).first())
        if token:
            return inbound.reply_address(token, local=settings.FOI_REPLY_LOCAL, domain=domain)
    return request.campaign.reply_to


def is_reply_recipient(address: str) -> bool:
    """Whether the mail receiver accepts mail for `address`: `<local>@<domain>` or
    `<local>+anything@<domain>`; a wrong token is still kept, in the unmatched list."""
    domain, local = settings.FOI_REPLY_DOMAIN, settings.FOI_REPLY_LOCAL
    mailbox, _, at = address.strip().strip("<>").lower().rpartition("@")
    return bool(domain) and at == domain and (mailbox == local
                                              or mailbox.startswith(f"{local}+"))


def _request_for_token(parsed: inbound.ParsedReply) -> tuple[FoiRequest | None, str]:
    domain = settings.FOI_REPLY_DOMAIN
    token = inbound.reply_token_in(parsed.recipients, local=settings.FOI_REPLY_LOCAL,
                                   domain=domain) if domain else None
    if token is None:
        return None, ""
    address = ReplyAddress.objects.select_related("request").filter(token=token).first()
    if address is None:
        return None, ""
    return address.request, inbound.reply_address(token, local=settings.FOI_REPLY_LOCAL,
                                                  domain=domain)


def _suggested(subject: str) -> FoiRequest | None:
    pk = inbound.reference_in_subject(subject)
    return FoiRequest.objects.filter(pk=pk).first() if pk else None


def _event_note(arrived_by: str, checks: list[inbound.AttachmentCheck]) -> str:
    kept = sum(check.kept for check in checks)
    refused = len(checks) - kept
    parts = ["By email" if arrived_by == ReplyArrival.MAIL else "Uploaded"]
    if checks:
        parts.append(f"{kept} attachment{'s' if kept != 1 else ''} kept")
    if refused:
        parts.append(f"{refused} refused")
    return ", ".join(parts)


def _reply_event(request: FoiRequest, reply: Reply, by: str, checks, audit: list) -> None:
    event = RequestEvent.objects.create(
        request=request, kind=REPLY_RECEIVED, on=timezone.localdate(reply.received_at),
        note=_event_note(reply.arrived_by, checks), recorded_by=by)
    audit.append(recorder.created(event))


def _store_files(reply: Reply, files: list[inbound.IncomingFile], audit: list) -> list:
    checks = inbound.check_attachments(files, limits())
    for incoming, check in zip(files, checks, strict=True):
        attachment = ReplyAttachment.objects.create(
            reply=reply, filename=check.filename, content_type=check.content_type,
            size=check.size, refused_because=check.refused_because,
            sha256=hashlib.sha256(incoming.data).hexdigest() if check.kept else "",
            encrypted_content=reply_files.encrypt(incoming.data) if check.kept else b"")
        audit.append(recorder.created(attachment))
    return checks


def _store(parsed: inbound.ParsedReply, *, request: FoiRequest | None, addressed_to: str,
           arrived_by: str, received_at: datetime.datetime, by: str) -> Reply:
    """One reply with its files and event, or the one already stored under its Message-ID."""
    if parsed.message_id and (earlier := Reply.objects.filter(
            message_id=parsed.message_id).first()):
        return earlier
    audit = []
    try:
        # A savepoint: the same message delivered twice at once loses the race cleanly.
        with transaction.atomic():
            reply = Reply.objects.create(
                request=request, arrived_by=arrived_by, received_at=received_at,
                sent_at=parsed.sent_at, from_address=parsed.from_address,
                addressed_to=addressed_to, subject=parsed.subject, text=parsed.text,
                html_converted=parsed.html_converted, message_id=parsed.message_id or None,
                uploaded_by=by if arrived_by == ReplyArrival.UPLOAD else "",
                suggested_request=None if request else _suggested(parsed.subject))
    except IntegrityError:
        earlier = Reply.objects.filter(message_id=parsed.message_id).first()
        if earlier is None:
            raise
        return earlier
    audit.append(recorder.created(reply))
    checks = _store_files(reply, parsed.files, audit)
    if request is not None:
        _reply_event(request, reply, by, checks, audit)
    recorder.record_many(by or None, audit)
    return reply


@transaction.atomic
def receive_message(*, raw: bytes, envelope_recipients=(),
                    received_at: datetime.datetime | None = None) -> Reply:
    """Store a message that arrived by email (the mail receiver, or a test)."""
    parsed = inbound.parse_message(raw, envelope_recipients)
    request, addressed_to = _request_for_token(parsed)
    if request is None:
        addressed_to = next((str(r) for r in envelope_recipients), "")[:254]
    return _store(parsed, request=request, addressed_to=addressed_to,
                  arrived_by=ReplyArrival.MAIL, received_at=received_at or timezone.now(),
                  by="")


@transaction.atomic
def upload_message(*, request: FoiRequest, raw: bytes, by: str) -> Reply:
    """A coordinator's .eml file of a reply to this request (whatever address it went to)."""
    parsed = inbound.parse_message(raw)
    if not (parsed.text or parsed.files or parsed.subject):
        raise ReplyError("the file is not an email message (.eml): no subject, text or "
                         "attachments were found in it")
    received_at = parsed.sent_at or timezone.now()
    return _store(parsed, request=request, addressed_to="", arrived_by=ReplyArrival.UPLOAD,
                  received_at=received_at, by=by)


@transaction.atomic
def upload_file(*, request: FoiRequest, filename: str, content_type: str, data: bytes,
                received_on: datetime.date, sender: str, subject: str, text: str,
                by: str) -> Reply:
    """A reply that came some other way (a letter, a portal), kept as a file with its date
    and sender."""
    received_at = timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(12)))
    parsed = inbound.ParsedReply(
        message_id="", from_address=sender, subject=subject, sent_at=None, text=text,
        recipients=[], files=[inbound.IncomingFile(filename, content_type, data)])
    return _store(parsed, request=request, addressed_to="", arrived_by=ReplyArrival.UPLOAD,
                  received_at=received_at, by=by)


@transaction.atomic
def assign_reply(*, reply: Reply, request: FoiRequest, by: str) -> Reply:
    """Attach an unmatched reply to the request a coordinator chose."""
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if reply.request_id is not None:
        raise ReplyError("this reply is already attached to a request")
    reply.request = request
    reply.save(update_fields=["request"])
    audit = [recorder.event_for(reply, Action.CHANGE, ["request"])]
    checks = [inbound.AttachmentCheck(a.filename, a.size, a.content_type, a.refused_because)
              for a in reply.attachments.all()]
    _reply_event(request, reply, by, checks, audit)
    recorder.record_many(by or None, audit)
    return reply


def attachment_content(attachment: ReplyAttachment) -> bytes:
    if not attachment.kept:
        raise ReplyError("this attachment was refused, so it was not kept")
    return reply_files.decrypt(attachment.encrypted_content)
