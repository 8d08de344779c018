"""FOI letters and reminders go out in the background (foi/tasks.py, ADR 0020): the batch is
a job with a progress bar; a letter the mail server refuses stops the batch with nothing
recorded for it; trying again sends only what is still unsent, so nobody gets a letter twice;
reminders go to overdue bodies at most once in 5 working days; another role never sees the job."""

from __future__ import annotations

import datetime

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from cradle.foi import actions
from cradle.foi.models import Body, FoiRequest, RequestEvent, RequestState
from cradle.foi.questions import DEFAULT_LETTER
from cradle.jobs.models import Job, JobState
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

CODES = ("02N", "09C", "07L")


@pytest.fixture(autouse=True)
def progress_files(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def staff(client):
    return sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))


@pytest.fixture
def campaign():
    campaign = actions.create_campaign(
        name="Background campaign", question_set="camhs-2019", letter_template=DEFAULT_LETTER,
        signatory="A. Researcher", reply_to="foi@cradle.example.org")
    actions.add_commissioners()
    bodies = list(Body.objects.filter(ods_code__in=CODES))
    for body in bodies:
        body.email = f"foi-{body.ods_code.lower()}@example.org"
        body.save()
    actions.add_recipients(campaign=campaign, bodies=bodies, by="test",
                           on=datetime.date(2026, 1, 5))
    return campaign


def job_of(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:400]
    assert response["Location"].startswith("/jobs/"), response["Location"]
    return Job.objects.get(pk=response["Location"].split("/")[2])


def send_all(staff, campaign):
    return job_of(staff.post(reverse("foi:send-email", args=[campaign.pk]), {"scope": "all"}))


def test_the_batch_is_sent_by_a_job_with_a_progress_page(staff, campaign, mailoutbox):
    job = send_all(staff, campaign)
    assert job.kind == "foi.send_letters" and job.state == JobState.SUCCEEDED
    assert job.total == 3 and job.done == 3
    assert sorted(m.to[0] for m in mailoutbox) == [f"foi-{c.lower()}@example.org"
                                                   for c in sorted(CODES)]
    page = staff.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Send FOI letters by email" in page and "3 letters sent by email." in page
    assert f'href="{reverse("foi:campaign-detail", args=[campaign.pk])}"' in page
    assert not FoiRequest.objects.filter(campaign=campaign, state=RequestState.NOT_SENT).exists()


def test_a_refused_letter_stops_the_batch_and_a_retry_sends_only_the_rest(
        staff, campaign, mailoutbox, monkeypatch):
    send = EmailMessage.send
    calls = []

    def refuse_the_second(message, *args, **kwargs):
        calls.append(message.to[0])
        if len(calls) == 2:
            raise ConnectionRefusedError("mail server down")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", refuse_the_second)
    job = send_all(staff, campaign)
    assert job.state == JobState.FAILED
    assert job.error.startswith("1 letter of 3 sent; the email to ")
    assert "Try again to send the rest" in job.error
    # The refused letter was not recorded as sent, nor was the one after it.
    requests = FoiRequest.objects.filter(campaign=campaign)
    assert requests.filter(state=RequestState.AWAITING_RESPONSE).count() == 1
    assert len(mailoutbox) == 1
    response = staff.post(reverse("jobs:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.summary == "2 letters sent by email. 1 letter had been sent already."
    assert len(mailoutbox) == 3 and len({m.to[0] for m in mailoutbox}) == 3
    assert not requests.filter(state=RequestState.NOT_SENT).exists()


def test_reminders_go_to_overdue_bodies_at_most_once_in_5_working_days(staff, campaign, mailoutbox):
    send_all(staff, campaign)
    mailoutbox.clear()
    long_ago = datetime.date.today() - datetime.timedelta(days=90)
    FoiRequest.objects.filter(campaign=campaign, body__ods_code__in=CODES[:2]).update(
        due_on=long_ago)
    job = job_of(staff.post(reverse("foi:send-reminders", args=[campaign.pk])))
    assert job.state == JobState.SUCCEEDED and job.total == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        f"foi-{c.lower()}@example.org" for c in CODES[:2])
    assert mailoutbox[0].subject.startswith("Reminder: Freedom of Information request")
    assert "was due for a response on" in mailoutbox[0].body
    assert RequestEvent.objects.filter(kind=actions.REMINDER_SENT).count() == 2
    # Chased today, so within the last 5 working days: nothing is queued, and the page says so.
    again = staff.post(reverse("foi:send-reminders", args=[campaign.pk]))
    assert again.status_code == 400 and len(mailoutbox) == 2
    assert ("2 of the 2 chosen were skipped, having been chased within the last 5 working "
            "days") in again.content.decode()
    assert Job.objects.filter(kind="foi.send_reminders").count() == 1


def test_a_send_job_is_not_found_by_a_role_that_cannot_manage_foi(staff, campaign):
    job = send_all(staff, campaign)
    analyst = sign_in(Client(), make_user("analyst@example.org", network_role="analyst"))
    assert analyst.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert analyst.get(reverse("jobs:status", args=[job.pk])).status_code == 404
