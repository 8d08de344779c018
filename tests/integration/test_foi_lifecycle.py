"""After the response (ADR 0032), through the Django test client as a coordinator: an internal
review with its own clock, complaints to the regulator of the request's law, and chasing
chosen overdue requests and reviews at most once in 5 working days; each write audited."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from cradle.audit.models import AuditEntry
from cradle.foi import actions, actions_lifecycle
from cradle.foi.lifecycle import review_clock
from cradle.foi.models import (
    Body,
    Complaint,
    FoiRequest,
    InternalReview,
    RequestEvent,
    RequestState,
)
from cradle.foi.questions import DEFAULT_LETTER
from cradle.jobs.models import Job, JobState
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

SENT = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def progress_files(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def staff(client):
    return sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))


def _campaign():
    campaign = actions.create_campaign(
        name="Lifecycle campaign", question_set="camhs-2019", letter_template=DEFAULT_LETTER,
        signatory="A. Researcher", reply_to="foi@cradle.example.org")
    actions.add_commissioners()
    return campaign


def _sent(campaign, ods_code: str, *, nation: str | None = None) -> FoiRequest:
    body = Body.objects.get(ods_code=ods_code, body_type="ccg")
    body.email = f"foi-{ods_code.lower()}@example.org"
    if nation:
        body.nation = nation
    body.save()
    (request,) = actions.add_recipients(campaign=campaign, bodies=[body], by="test", on=SENT)
    (request,) = actions.send_requests(requests=[request], on=SENT, by="test", email=False)
    return request


@pytest.fixture
def campaign():
    return _campaign()


@pytest.fixture
def refused(campaign):
    request = _sent(campaign, "02N")
    return actions.change_state(request=request, state=RequestState.REFUSED,
                                on=datetime.date(2026, 3, 20), by="test",
                                exemption="Section 12 (cost)")


def dates(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month),
            f"{prefix}_2": str(day.year)}


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def ask(staff, request, asked_on=datetime.date(2026, 3, 23), **extra):
    return staff.post(reverse("foi:request-internal-review", args=[request.pk]), {
        "review-grounds": "The cost limit was wrongly applied.",
        **dates("review-asked_on", asked_on), **extra})


def newest() -> int:
    return AuditEntry.objects.aggregate(top=Max("sequence"))["top"] or 0


def audited_after(mark: int) -> list[tuple[str, str, list[str]]]:
    return [(e.action, e.model_label, sorted(e.fields))
            for e in AuditEntry.objects.filter(sequence__gt=mark).order_by("sequence")]


# Internal review ------------------------------------------------------------------------------

def test_a_review_is_asked_for_then_decided(staff, refused):
    mark = newest()
    response = ask(staff, refused)
    assert response.status_code == 302, text(response)[:2000]
    review = InternalReview.objects.get()
    refused.refresh_from_db()
    assert refused.state == RequestState.INTERNAL_REVIEW
    # Mon 23 Mar 2026 + 20 working days (Good Friday 3 Apr, Easter Monday 6 Apr): Wed 22 Apr.
    assert (review.received_on, review.due_on) == (datetime.date(2026, 3, 23),
                                                   datetime.date(2026, 4, 22))
    assert review.due_on == review_clock(review.received_on, "foia").due_on
    assert review.complex_due_on == review_clock(review.received_on, "foia").complex_due_on
    assert review.state_before == RequestState.REFUSED and review.asked_by == \
        "coordinator@example.org"
    assert audited_after(mark) == [
        ("create", "foi.internalreview", sorted(
            ["request", "asked_on", "received_on", "grounds", "asked_by", "due_on",
             "complex_due_on", "state_before", "outcome", "outcome_on", "reply_text",
             "outcome_recorded_by", "recorded_at"])),
        ("change", "foi.foirequest", ["state"]),
        ("create", "foi.requestevent", ["kind", "note", "on", "recorded_at", "recorded_by",
                                        "request"])]

    page = text(staff.get(reverse("foi:request-detail", args=[refused.pk])))
    assert "Internal review and complaints" in page
    status = "Overdue" if timezone.localdate() > review.due_on else "Pending"
    assert f'data-review-status="{status}"' in page
    assert "22 April 2026 (20 working days)" in page
    assert "Up to 21 May 2026 (40 working days) in complex cases" in page
    assert "guidance, not statute" in page and 'data-review-basis="guidance"' in page

    mark = newest()
    response = staff.post(reverse("foi:request-internal-review-outcome", args=[refused.pk]), {
        "review-outcome-outcome": "overturned_in_part",
        "review-outcome-reply_text": "We will release the counts.",
        **dates("review-outcome-outcome_on", datetime.date(2026, 4, 10))})
    assert response.status_code == 302, text(response)[:2000]
    review.refresh_from_db()
    refused.refresh_from_db()
    assert (review.outcome, review.outcome_on) == ("overturned_in_part",
                                                   datetime.date(2026, 4, 10))
    assert refused.state == RequestState.REFUSED  # back to what it was
    assert [(a, m) for a, m, _ in audited_after(mark)] == [
        ("change", "foi.internalreview"), ("change", "foi.foirequest"),
        ("create", "foi.requestevent")]
    assert "The cost limit" not in str(AuditEntry.objects.filter(sequence__gt=mark).values())
    page = text(staff.get(reverse("foi:request-detail", args=[refused.pk])))
    assert 'data-review-outcome="overturned_in_part"' in page
    assert "We will release the counts." in page


def test_a_review_past_its_due_date_shows_overdue(staff, refused):
    ask(staff, refused)
    page_url = reverse("foi:request-detail", args=[refused.pk])
    InternalReview.objects.update(due_on=timezone.localdate())
    assert 'data-review-status="Pending"' in text(staff.get(page_url))
    InternalReview.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert 'data-review-status="Overdue"' in text(staff.get(page_url))


def test_a_scottish_review_is_statutory_with_no_40_day_point(staff, campaign):
    request = _sent(campaign, "09C", nation="Scotland")
    FoiRequest.objects.filter(pk=request.pk).update(regime="foisa",
                                                    state=RequestState.ANSWERED)
    assert ask(staff, request).status_code == 302
    review = InternalReview.objects.get()
    # Easter Monday is a working day in Scotland: a day earlier than in England.
    assert (review.due_on, review.complex_due_on) == (datetime.date(2026, 4, 21), None)
    page = text(staff.get(reverse("foi:request-detail", args=[request.pk])))
    assert 'data-review-basis="statute"' in page and "Section 21" in page
    assert "in complex cases" not in page.split("Internal review and complaints")[1].split(
        "Record the review")[0]


def test_a_review_is_refused_before_a_response_unless_overdue(staff, campaign):
    request = _sent(campaign, "02N")
    response = ask(staff, request)
    assert response.status_code == 400
    assert "The internal review was not recorded: an internal review can be asked for only" \
        in text(response)
    assert not InternalReview.objects.exists()
    # Overdue: a body that never answered may be asked to review its failure to respond.
    response = ask(staff, request, asked_on=request.due_on + datetime.timedelta(days=1))
    assert response.status_code == 302
    review = InternalReview.objects.get()
    assert review.state_before == RequestState.AWAITING_RESPONSE
    # A second one while the first is pending is refused.
    response = ask(staff, request, asked_on=request.due_on + datetime.timedelta(days=2))
    assert response.status_code == 400 and "already pending" in text(response)


def test_review_dates_out_of_order_are_refused_naming_the_field(staff, refused):
    response = ask(staff, refused, asked_on=datetime.date(2026, 2, 27))
    assert response.status_code == 400
    page = text(response)
    assert ("The date the review was asked for must be on or after the day the request was "
            "sent (2 March 2026)") in page
    assert 'href="#id_review-asked_on_0"' in page
    response = ask(staff, refused, **dates("review-received_on", datetime.date(2026, 3, 22)))
    assert response.status_code == 400
    assert "The date the body received the request for review must be on or after" in text(
        response)
    assert not InternalReview.objects.exists()
    assert ask(staff, refused).status_code == 302
    response = staff.post(reverse("foi:request-internal-review-outcome", args=[refused.pk]), {
        "review-outcome-outcome": "upheld",
        **dates("review-outcome-outcome_on", datetime.date(2026, 3, 20))})
    assert response.status_code == 400
    assert ("The date of the review's outcome must be on or after the day the review was "
            "asked for (23 March 2026)") in text(response)
    response = staff.post(reverse("foi:request-internal-review-outcome", args=[refused.pk]), {
        **dates("review-outcome-outcome_on", datetime.date(2026, 3, 30))})
    assert response.status_code == 400 and "Choose the review's outcome" in text(response)
    assert not InternalReview.objects.exclude(outcome="").exists()


def test_reviews_and_complaints_need_a_post(staff, refused):
    for name in ("foi:request-internal-review", "foi:request-internal-review-outcome",
                 "foi:request-complaint", "foi:request-complaint-update"):
        assert staff.get(reverse(name, args=[refused.pk])).status_code == 405


# Complaints -----------------------------------------------------------------------------------

def complain(staff, request, made_on=datetime.date(2026, 4, 20), **extra):
    return staff.post(reverse("foi:request-complaint", args=[request.pk]), {
        "complaint-outcome": "", "complaint-notes": "", "complaint-regulator_reference": "",
        **dates("complaint-made_on", made_on), **extra})


def test_the_regulator_follows_the_regime(staff, campaign):
    english = _sent(campaign, "02N")
    scottish = _sent(campaign, "09C", nation="Scotland")
    FoiRequest.objects.filter(pk=scottish.pk).update(regime="foisa")
    for request in (english, scottish):
        response = complain(staff, request, **{"complaint-regulator": "sic"})
        assert response.status_code == 302, text(response)[:2000]
    assert Complaint.objects.get(request=english).regulator == "ico"
    assert Complaint.objects.get(request=scottish).regulator == "sic"
    page = text(staff.get(reverse("foi:request-detail", args=[scottish.pk])))
    assert "To the Scottish Information Commissioner" in page


def test_a_complaint_without_a_review_is_recorded_with_a_warning(staff, refused):
    page = text(staff.get(reverse("foi:request-detail", args=[refused.pk])))
    assert "data-no-review-warning" in page and "usually requires the body's internal review" \
        in page
    mark = newest()
    response = complain(staff, refused)
    assert response.status_code == 302
    page = text(staff.get(response["Location"]))
    assert "the regulator usually requires one before it considers a complaint" in page
    assert "data-complaint-without-review" in page
    complaint = Complaint.objects.get()
    assert complaint.internal_review is None
    assert [(a, m) for a, m, _ in audited_after(mark)] == [
        ("create", "foi.complaint"), ("create", "foi.requestevent")]


def test_a_complaint_follows_the_review_and_is_updated_in_order(staff, refused):
    ask(staff, refused)
    review = InternalReview.objects.get()
    actions_lifecycle.record_review_outcome(review=review, outcome="upheld",
                                            outcome_on=datetime.date(2026, 4, 15),
                                            reply_text="", by="test")
    assert complain(staff, refused).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.internal_review == review
    update = reverse("foi:request-complaint-update", args=[refused.pk])
    base = {"complaint-regulator_reference": "IC-12345-A1B2", "complaint-notes": "",
            "complaint-outcome": ""}
    response = staff.post(update, base | dates("complaint-acknowledged_on",
                                               datetime.date(2026, 4, 19)))
    assert response.status_code == 400
    assert ("The date the regulator acknowledged the complaint must be on or after the day "
            "the complaint was made (20 April 2026)") in text(response)
    response = staff.post(update, base | dates("complaint-acknowledged_on",
                                               datetime.date(2026, 4, 27))
                          | dates("complaint-decision_notice_on", datetime.date(2026, 4, 24)))
    assert response.status_code == 400
    assert "The date of the decision notice must be on or after the day the complaint was " \
           "acknowledged (27 April 2026)" in text(response)
    mark = newest()
    response = staff.post(update, base | {"complaint-outcome": "partly_upheld"}
                          | dates("complaint-acknowledged_on", datetime.date(2026, 4, 27))
                          | dates("complaint-decision_notice_on", datetime.date(2026, 9, 1)))
    assert response.status_code == 302, text(response)[:2000]
    complaint.refresh_from_db()
    assert (complaint.regulator_reference, complaint.outcome, complaint.decision_notice_on) == (
        "IC-12345-A1B2", "partly_upheld", datetime.date(2026, 9, 1))
    assert audited_after(mark)[0] == ("change", "foi.complaint", sorted(
        ["acknowledged_on", "regulator_reference", "decision_notice_on", "outcome"]))
    # Closed: updating again is refused.
    assert staff.post(update, base).status_code == 400


def test_a_complaint_before_the_request_was_sent_is_refused(staff, refused):
    response = complain(staff, refused, made_on=datetime.date(2026, 3, 1))
    assert response.status_code == 400
    assert ("The date the complaint was made must be on or after the day the request was "
            "sent (2 March 2026)") in text(response)
    assert 'href="#id_complaint-made_on_0"' in text(response)
    assert not Complaint.objects.exists()


# Chasers --------------------------------------------------------------------------------------

def job_of(response) -> Job:
    assert response.status_code == 302, text(response)[:2000]
    return Job.objects.get(pk=response["Location"].split("/")[2])


@pytest.fixture
def overdue(campaign):
    requests = [_sent(campaign, code) for code in ("02N", "09C", "07L")]
    FoiRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
        due_on=timezone.localdate() - datetime.timedelta(days=30))
    return requests


def test_the_coordinator_chooses_whom_to_chase(staff, campaign, overdue, mailoutbox):
    page = text(staff.get(reverse("foi:campaign-detail", args=[campaign.pk])))
    for request in overdue:
        assert f'value="{request.pk}" checked' in page
    assert page.count("Never") >= 3
    first, second, _third = overdue
    job = job_of(staff.post(reverse("foi:send-reminders", args=[campaign.pk]), {
        "chosen": "1", "requests": [str(first.pk), str(second.pk)]}))
    assert job.state == JobState.SUCCEEDED and job.total == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["foi-02n@example.org",
                                                   "foi-09c@example.org"]
    response = staff.post(reverse("foi:send-reminders", args=[campaign.pk]), {"chosen": "1"})
    assert response.status_code == 400
    assert "Select at least one overdue request or internal review to chase" in text(response)


def test_a_body_chased_within_5_working_days_is_skipped_and_counted(staff, campaign, overdue,
                                                                    mailoutbox):
    first, second, third = overdue
    on = timezone.localdate()
    # Chased today: skipped. Chased well over 5 working days ago: chased again.
    RequestEvent.objects.create(request=first, kind=actions.REMINDER_SENT, on=on)
    RequestEvent.objects.create(request=second, kind=actions.REMINDER_SENT,
                                on=on - datetime.timedelta(days=21))
    page = text(staff.get(reverse("foi:campaign-detail", args=[campaign.pk])))
    assert page.count("Within the last 5 working days: skipped") == 1
    response = staff.post(reverse("foi:send-reminders", args=[campaign.pk]), {
        "chosen": "1", "requests": [str(r.pk) for r in overdue]}, follow=True)
    assert "1 of the 3 chosen was skipped, having been chased within the last 5 working days" \
        in text(response)
    assert sorted(m.to[0] for m in mailoutbox) == ["foi-07l@example.org",
                                                   "foi-09c@example.org"]
    assert Job.objects.get().total == 2


def test_overdue_reviews_are_chased_with_fixed_words(staff, campaign, mailoutbox):
    request = _sent(campaign, "02N")
    actions.change_state(request=request, state=RequestState.ANSWERED,
                         on=datetime.date(2026, 3, 20), by="test")
    review = actions_lifecycle.ask_for_review(
        request=request, asked_on=datetime.date(2026, 3, 23), received_on=None,
        grounds="Please look again at [body_name] {{ secret }}", by="test")
    InternalReview.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    page = text(staff.get(reverse("foi:campaign-detail", args=[campaign.pk])))
    assert f'name="reviews" type="checkbox" value="{review.pk}" checked' in page
    job = job_of(staff.post(reverse("foi:send-reminders", args=[campaign.pk]), {
        "chosen": "1", "reviews": [str(review.pk)]}))
    assert job.state == JobState.SUCCEEDED, job.error
    (mail,) = mailoutbox
    assert mail.subject.startswith("Reminder: internal review of Freedom of Information")
    assert "code of practice under section 45" in mail.body
    # The grounds are quoted as typed, never evaluated.
    assert mail.body.endswith("Please look again at [body_name] {{ secret }}")
    assert RequestEvent.objects.filter(kind=actions_lifecycle.REVIEW_REMINDER_SENT).count() == 1
    response = staff.post(reverse("foi:send-reminders", args=[campaign.pk]), {
        "chosen": "1", "reviews": [str(review.pk)]})
    assert response.status_code == 400 and "1 of the 1 chosen was skipped" in text(response)
