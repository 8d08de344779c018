"""The SMTP server that receives replies to FOI requests (`cradle foi receive-mail`, ADR 0029).

An MTA (Postfix, Exim, a cloud provider's inbound relay) delivers the reply domain's mail to
it; it accepts only `<local>@<domain>` and `<local>+…@<domain>` and stores each message with
`replies.receive_message`. A message is accepted (250) only once it is committed; if it could
not be stored it is answered 451, so the MTA keeps it and tries again, and a message delivered
twice is stored once. It speaks plain SMTP with no authentication: bind it to localhost or a
private network that only the MTA reaches.
"""

from __future__ import annotations

import logging

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from . import replies

logger = logging.getLogger(__name__)

# Attachments arrive base64-encoded (4/3 of their size) with headers around them; the
# per-message limit applies to the decoded files, so SMTP refuses only what is far beyond it.
ENCODING_OVERHEAD = 4 / 3
HEADROOM_BYTES = 1024 * 1024


def smtp_size_limit() -> int:
    return int(settings.FOI_MESSAGE_MAX_BYTES * ENCODING_OVERHEAD) + HEADROOM_BYTES


def _store(raw: bytes, recipients: list[str]) -> int:
    close_old_connections()
    try:
        return replies.receive_message(raw=raw, envelope_recipients=recipients).pk
    finally:
        close_old_connections()


class ReplyHandler:
    """aiosmtpd handler: refuse other recipients, store each message before answering 250.

    `store(raw, recipients)` saves a message and returns its reply's id; it runs in a worker
    thread, with its own database connection. (The tests pass one that hands the message to
    the test's own thread, whose transaction they roll back.)
    """

    def __init__(self, store=None):
        self.store = store or _store

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not replies.is_reply_recipient(address):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        try:
            reply_pk = await sync_to_async(self.store, thread_sensitive=False)(
                raw, list(envelope.rcpt_tos))
        except Exception:
            # The message's own addresses and text are never logged (private persons').
            logger.exception("an FOI reply could not be stored; the sender's server will retry")
            return "451 4.3.0 The message could not be stored; try again later"
        logger.info("FOI reply stored as reply %s", reply_pk)
        return "250 2.0.0 Stored"


def _quiet_protocol_log() -> None:
    """aiosmtpd logs every sender and recipient at INFO on "mail.log": those are private
    persons' addresses, so only its warnings and errors are let through."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)


def controller(*, host: str | None = None, port: int | None = None, store=None) -> Controller:
    """A receiver ready to `start()` (in its own thread) and `stop()`: the command and the
    tests use the same one."""
    _quiet_protocol_log()
    return Controller(
        ReplyHandler(store), hostname=host or settings.FOI_RECEIVE_HOST,
        port=settings.FOI_RECEIVE_PORT if port is None else port,
        data_size_limit=smtp_size_limit(),
        server_hostname=settings.FOI_REPLY_DOMAIN or None)

