"""Replies to FOI requests (ADR 0029): sent through a real SMTP conversation with the receiver
(`cradle foi receive-mail`'s server, started here on a free port), uploaded by hand, and read
only by coordinators."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cradle.audit.models import AuditEntry
from cradle.foi import actions, replies
from cradle.foi.models import Body, FoiRequest, Reply, ReplyAttachment, RequestState
from cradle.foi.questions import DEFAULT_LETTER
from tests.accounts_helpers import make_user, sign_in
from tests.foi_helpers import PDF, reply_message

pytestmark = pytest.mark.django_db

DOMAIN = "replies.example.org"


@pytest.fixture(autouse=True)
def reply_settings(settings):
    settings.FOI_REPLY_DOMAIN = DOMAIN
    settings.FOI_REPLY_LOCAL = "foi"
    settings.FOI_ATTACHMENT_MAX_BYTES = 1000
    settings.FOI_MESSAGE_MAX_BYTES = 1500
    return settings


@pytest.fixture
def foi_request(django_capture_on_commit_callbacks) -> FoiRequest:
    campaign = actions.create_campaign(
        name="Replies campaign", question_set="camhs-2019", letter_template=DEFAULT_LETTER,
        signatory="A. Researcher", reply_to="foi@cradle.example.org")
    actions.add_commissioners()
    body = Body.objects.get(ods_code="02N")
    body.email = "foi@airedale.example.org"
    body.save()
    (request,) = actions.add_recipients(campaign=campaign, bodies=[body], by="test",
                                        on=datetime.date(2026, 11, 2))
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_requests(requests=[request], on=datetime.date(2026, 11, 2), by="test")
    request.refresh_from_db()
    return request


def address_of(request: FoiRequest) -> str:
    return f"foi+{request.reply_address.token}@{DOMAIN}"


@pytest.fixture
def coordinator(client):
    return sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))


def test_letters_and_reminders_ask_for_replies_at_the_requests_own_address(foi_request):
    assert actions.send_reminder(request=foi_request, on=datetime.date(2026, 12, 7), by="t")
    letter, reminder = mail.outbox
    assert letter.reply_to == reminder.reply_to == [address_of(foi_request)]
    assert address_of(foi_request) in foi_request.letter


def test_a_reply_by_smtp_is_attached_to_its_request_with_its_file_kept_encrypted(
        foi_request, receiver, coordinator):
    result = receiver.send(reply_message(address_of(foi_request)), [address_of(foi_request)])
    assert result == {"refused": {}}
    reply = Reply.objects.get()
    assert reply.request == foi_request and reply.arrived_by == "mail"
    assert reply.text == "Dear Cradle,\n\nOur answer is attached."
    assert reply.from_address == "foi@airedale.example.org"
    attachment = reply.attachments.get()
    assert attachment.kept and attachment.content_type == "application/pdf"
    assert PDF not in bytes(attachment.encrypted_content)
    foi_request.refresh_from_db()
    assert foi_request.state == RequestState.AWAITING_RESPONSE  # a person reads it first
    event = foi_request.events.get(kind=replies.REPLY_RECEIVED)
    assert event.note == "By email, 1 attachment kept"
    assert AuditEntry.objects.filter(model_label="foi.reply", object_id=str(reply.pk)).exists()
    page = coordinator.get(reverse("foi:request-detail", args=[foi_request.pk]))
    assert "Our answer is attached." in page.content.decode()
    download = coordinator.get(reverse("foi:reply-attachment", args=[attachment.pk]))
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Disposition"] == 'attachment; filename="answer.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"


def test_too_large_and_wrong_type_files_are_refused_and_recorded(foi_request, receiver,
                                                                 coordinator):
    raw = reply_message(address_of(foi_request), files=[
        ("answer.pdf", PDF, "application/pdf"),
        ("run.exe", b"MZ\x90\x00", "application/octet-stream"),
        ("fake.pdf", b"<html><script>", "application/pdf"),
        ("huge.csv", b"a,1\n" * 300, "text/csv"),
        ("second.csv", b"b,1\n" * 175, "text/csv"),
        ("third.csv", b"c,1\n" * 200, "text/csv")])
    assert receiver.send(raw, [address_of(foi_request)]) == {"refused": {}}
    files = {a.filename: a for a in ReplyAttachment.objects.all()}
    assert files["answer.pdf"].kept and files["second.csv"].kept
    assert "a .exe file is not accepted" in files["run.exe"].refused_because
    assert "its content is not a PDF file" in files["fake.pdf"].refused_because
    assert "for one attachment" in files["huge.csv"].refused_because
    assert "together are over the limit" in files["third.csv"].refused_because
    assert all(bytes(a.encrypted_content) == b"" for a in files.values() if not a.kept)
    note = foi_request.events.get(kind=replies.REPLY_RECEIVED).note
    assert note == "By email, 2 attachments kept, 4 refused"
    refused = coordinator.get(reverse("foi:reply-attachment", args=[files["run.exe"].pk]))
    assert refused.status_code == 404
    assert "refused" in coordinator.get(
        reverse("foi:request-detail", args=[foi_request.pk])).content.decode()


def test_an_unknown_token_is_kept_unmatched_with_a_suggestion_and_attached_by_hand(
        foi_request, receiver, coordinator):
    unknown = f"foi+aaaaaaaaaaaaaaaa@{DOMAIN}"
    raw = reply_message(unknown, subject=f"RE: CRADLE-FOI-{foi_request.pk} answer")
    assert receiver.send(raw, [unknown]) == {"refused": {}}
    reply = Reply.objects.get()
    assert reply.request is None and reply.suggested_request == foi_request
    assert not foi_request.events.filter(kind=replies.REPLY_RECEIVED).exists()
    page = coordinator.get(reverse("foi:replies-unmatched")).content.decode()
    assert f'data-unmatched-reply="{reply.pk}"' in page
    assert f'value="CRADLE-FOI-{foi_request.pk}"' in page
    response = coordinator.post(reverse("foi:reply-assign", args=[reply.pk]),
                                {f"reply-{reply.pk}-reference": "CRADLE-FOI-999999"})
    assert response.status_code == 400 and "No request has this reference" in \
        response.content.decode()
    response = coordinator.post(reverse("foi:reply-assign", args=[reply.pk]),
                                {f"reply-{reply.pk}-reference": f"CRADLE-FOI-{foi_request.pk}"})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.request == foi_request
    assert foi_request.events.filter(kind=replies.REPLY_RECEIVED).count() == 1


def test_other_domains_are_refused_at_rcpt(receiver):
    result = receiver.send(reply_message("someone@elsewhere.org"), ["someone@elsewhere.org"])
    assert isinstance(result["error"], smtplib.SMTPRecipientsRefused)
    assert not Reply.objects.exists()


def test_the_same_message_twice_is_stored_once(foi_request, receiver):
    raw = reply_message(address_of(foi_request))
    for _ in range(2):
        assert receiver.send(raw, [address_of(foi_request)]) == {"refused": {}}
    assert Reply.objects.count() == 1 and ReplyAttachment.objects.count() == 1
    assert foi_request.events.filter(kind=replies.REPLY_RECEIVED).count() == 1


def test_a_coordinator_uploads_an_eml_or_a_file_with_its_date_and_sender(foi_request,
                                                                          coordinator):
    url = reverse("foi:request-reply-upload", args=[foi_request.pk])
    eml = SimpleUploadedFile("reply.eml", reply_message("anyone@example.org",
                                                        message_id="<up@example.org>"),
                             content_type="message/rfc822")
    response = coordinator.post(url, {"reply-file": eml, "reply-received_on_0": "1",
                                      "reply-received_on_1": "12",
                                      "reply-received_on_2": "2026"})
    assert response.status_code == 302, response.content.decode()
    by_eml = Reply.objects.get(message_id="<up@example.org>")
    assert by_eml.request == foi_request and by_eml.arrived_by == "upload"
    assert by_eml.uploaded_by == "coordinator@example.org"
    assert by_eml.attachments.get().filename == "answer.pdf"
    letter = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    response = coordinator.post(url, {"reply-file": letter, "reply-received_on_0": "1",
                                      "reply-received_on_1": "12", "reply-received_on_2": "2026",
                                      "reply-sender": "Airedale CCG by post",
                                      "reply-subject": "Posted answer"})
    assert response.status_code == 302
    by_file = Reply.objects.get(subject="Posted answer")
    assert by_file.message_id is None and by_file.from_address == "Airedale CCG by post"
    assert by_file.received_at.date() == datetime.date(2026, 12, 1)
    assert by_file.attachments.get().kept
    assert foi_request.events.filter(kind=replies.REPLY_RECEIVED).count() == 2
    bad = coordinator.post(url, {"reply-received_on_0": "1", "reply-received_on_1": "12",
                                 "reply-received_on_2": "2026"})
    assert bad.status_code == 400 and "Choose the reply" in bad.content.decode()


@pytest.mark.parametrize("role", ["analyst", "practitioner", "commissioner"])
def test_only_coordinators_download_attachments(foi_request, client, role):
    reply = replies.receive_message(raw=reply_message(address_of(foi_request)),
                                    envelope_recipients=[address_of(foi_request)])
    attachment = reply.attachments.get()
    url = reverse("foi:reply-attachment", args=[attachment.pk])
    assert client.get(url).status_code == 302  # anonymous: to sign-in
    kwargs = {"analyst": {"network_role": "analyst"}, "commissioner": {},
              "practitioner": {"team": None}}[role]
    if role == "practitioner":
        from cradle.directory.models import Service

        kwargs = {"team": Service.objects.get(register_ref="T15")}
    sign_in(client, make_user(f"{role}@example.org", **kwargs))
    response = client.get(url)
    assert response.status_code == 403 and PDF not in response.content
