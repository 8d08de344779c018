"""FOI test helpers: a second coordinator checking entered answers (ADR 0031), and replies
sent through a real SMTP conversation with the reply receiver (ADR 0029)."""

import queue
import smtplib
import socket
import threading
from email.message import EmailMessage
from email.policy import SMTP

import pytest

from cradle.foi import actions_answers, mail_receiver, replies
from cradle.foi.models import ResponseRecord, StructuredAnswer

SECOND_COORDINATOR = "second.coordinator@example.org"
PDF = b"%PDF-1.7\n% the answer\n"


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


def reply_message(to: str, *, message_id: str = "<r1@airedale.example.org>",
                  files=(("answer.pdf", PDF, "application/pdf"),),
                  subject: str = "RE: Freedom of Information request") -> bytes:
    message = EmailMessage()
    message["From"] = "Information Governance <foi@airedale.example.org>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Mon, 30 Nov 2026 09:30:00 +0000"
    message.set_content("Dear Cradle,\n\nOur answer is attached.")
    for name, data, content_type in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes(policy=SMTP)  # CRLF line ends, as on the wire


class Receiver:
    """The real SMTP receiver on a free port; each message's database work is handed to the
    test's thread (so it is inside the test's transaction, rolled back afterwards)."""

    def __init__(self):
        self.work: queue.Queue = queue.Queue()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.server = mail_receiver.controller(host="127.0.0.1", port=self.port,
                                               store=self._hand_over)

    def _hand_over(self, raw: bytes, recipients: list[str]) -> int:
        done: queue.Queue = queue.Queue()
        self.work.put((raw, recipients, done))
        outcome = done.get(timeout=30)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def send(self, raw: bytes, to: list[str]) -> dict:
        """Send with smtplib from another thread while this one stores what arrives; the
        refused recipients, or the SMTP error, as smtplib reports them."""
        result: dict = {}

        def client():
            try:
                with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as smtp:
                    result["refused"] = smtp.sendmail("foi@airedale.example.org", to, raw)
            except smtplib.SMTPException as error:
                result["error"] = error

        sender = threading.Thread(target=client)
        sender.start()
        while sender.is_alive():
            try:
                raw_message, recipients, done = self.work.get(timeout=0.05)
            except queue.Empty:
                continue
            try:
                done.put(replies.receive_message(raw=raw_message,
                                                 envelope_recipients=recipients).pk)
            except Exception as error:  # handed back: the server answers 451
                done.put(error)
        sender.join()
        return result


@pytest.fixture
def receiver():
    """The reply receiver, listening on a free port for the test's length."""
    running = Receiver()
    running.server.start()
    yield running
    running.server.stop()
