"""FOI actions against the database: stored due dates, lateness computed from today, the
reminder querysets, redirecting in one step, and email only once the transaction commits."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from cradle.foi import actions
from cradle.foi.deadlines import due_date, long_overdue_date
from cradle.foi.models import Body, BodyKind, FoiRequest, RequestEvent, RequestState
from cradle.foi.questions import DEFAULT_LETTER
from cradle.foi.views_campaigns import week_of

pytestmark = pytest.mark.django_db

SENT = datetime.date(2026, 3, 2)  # a Monday
BY = "tester"


@pytest.fixture
def campaign():
    return actions.create_campaign(name="Test", question_set="camhs-2019",
                                   letter_template=DEFAULT_LETTER, signatory="A. Researcher",
                                   reply_to="foi@cradle.example.org")


def _body(code: str, *, kind=BodyKind.PROVIDER, nation="England", email="") -> Body:
    return Body.objects.create(kind=kind, ods_code=code, name=f"Body {code}", nation=nation,
                               email=email)


def _asked(campaign, *bodies) -> list[FoiRequest]:
    return actions.add_recipients(campaign=campaign, bodies=bodies, by=BY, on=SENT)


def test_sending_stores_the_statutory_dates_for_each_regime(campaign):
    england, scotland = _asked(campaign, _body("RX1"), _body("SX1", nation="Scotland"))
    actions.send_requests(requests=[england, scotland], on=SENT, by=BY, email=False)
    for request, regime in ((england, "foia"), (scotland, "foisa")):
        request.refresh_from_db()
        assert request.regime == regime
        assert (request.sent_on, request.received_on) == (SENT, SENT)
        assert request.due_on == due_date(SENT, regime)
        assert request.long_overdue_on == long_overdue_date(SENT, regime)
        assert request.state == RequestState.AWAITING_RESPONSE
    assert england.events.last().kind == "sent (mail merge)"


def test_overdue_is_computed_from_today_never_stored(campaign):
    (request,) = _asked(campaign, _body("RX1"))
    actions.send_requests(requests=[request], on=SENT, by=BY, email=False)
    request.refresh_from_db()
    assert request.display_status(request.due_on) == "Awaiting response"
    assert request.display_status(request.due_on + datetime.timedelta(days=1)) == "Overdue"
    assert request.display_status(request.long_overdue_on) == "Overdue"
    assert request.display_status(request.long_overdue_on + datetime.timedelta(days=1)) == (
        "Long overdue")
    assert request.state == RequestState.AWAITING_RESPONSE
    actions.change_state(request=request, state=RequestState.ANSWERED, on=SENT, by=BY)
    assert request.display_status(request.long_overdue_on + datetime.timedelta(days=9)) == (
        "Answered")


def test_reminder_querysets(campaign):
    early, late, answered, unsent = _asked(campaign, *(_body(f"RX{i}") for i in range(4)))
    actions.send_requests(requests=[early, answered], on=SENT, by=BY, email=False)
    actions.send_requests(requests=[late], on=SENT + datetime.timedelta(days=7), by=BY,
                          email=False)
    actions.change_state(request=answered, state=RequestState.ANSWERED, on=SENT, by=BY)
    early.refresh_from_db()
    late.refresh_from_db()
    requests = FoiRequest.objects.for_campaign(campaign)

    monday, sunday = week_of(early.due_on)
    assert (monday.weekday(), sunday - monday) == (0, datetime.timedelta(days=6))
    assert monday <= early.due_on <= sunday
    assert set(requests.due_between(monday, sunday)) == {early}
    assert set(requests.awaiting()) == {early, late}

    day_after_early = early.due_on + datetime.timedelta(days=1)
    assert set(requests.overdue(day_after_early)) == {early}
    assert set(requests.long_overdue(day_after_early)) == set()
    assert set(requests.long_overdue(late.long_overdue_on + datetime.timedelta(days=1))) == {
        early, late}


def test_redirecting_asks_the_trust_in_one_step(campaign):
    ccg = _body("02N", kind=BodyKind.COMMISSIONER)
    trust = _body("RX3")
    (request,) = _asked(campaign, ccg)
    actions.send_requests(requests=[request], on=SENT, by=BY, email=False)

    new = actions.redirect_request(request=request, provider=trust, on=SENT, by=BY,
                                   note="The trust holds it")
    request.refresh_from_db()
    assert request.state == RequestState.REDIRECTED
    assert (new.campaign, new.body, new.redirected_from) == (campaign, trust, request)
    assert new.state == RequestState.NOT_SENT
    assert "Body RX3" in new.letter and "provided by your organisation" in new.letter
    assert request.events.last().note.startswith("To Body RX3")

    with pytest.raises(actions.FoiActionError, match="not already redirected"):
        actions.redirect_request(request=request, provider=_body("RX4"), on=SENT, by=BY)
    (other,) = _asked(campaign, _body("02P", kind=BodyKind.COMMISSIONER))
    with pytest.raises(actions.FoiActionError, match="has been sent"):
        actions.redirect_request(request=other, provider=_body("RX5"), on=SENT, by=BY)
    actions.send_requests(requests=[other], on=SENT, by=BY, email=False)
    with pytest.raises(actions.FoiActionError, match="already been asked"):
        actions.redirect_request(request=other, provider=trust, on=SENT, by=BY)
    with pytest.raises(actions.FoiActionError, match="not a provider"):
        actions.redirect_request(request=other, provider=_body("03A", kind="commissioner"),
                                 on=SENT, by=BY)


def test_restarting_the_clock_recomputes_the_due_dates(campaign):
    (request,) = _asked(campaign, _body("RX1"))
    actions.send_requests(requests=[request], on=SENT, by=BY, email=False)
    with pytest.raises(actions.FoiActionError):
        actions.restart_clock(request=request, clarification_received=SENT, by=BY)
    actions.change_state(request=request, state=RequestState.CLARIFICATION_REQUESTED, on=SENT,
                         by=BY)
    clarified = SENT + datetime.timedelta(days=10)
    actions.restart_clock(request=request, clarification_received=clarified, by=BY)
    request.refresh_from_db()
    assert request.state == RequestState.AWAITING_RESPONSE
    assert request.received_on == clarified
    assert request.due_on == due_date(clarified, "foia")
    assert request.long_overdue_on == long_overdue_date(clarified, "foia")


def test_a_refusal_names_its_exemption(campaign):
    (request,) = _asked(campaign, _body("RX1"))
    actions.send_requests(requests=[request], on=SENT, by=BY, email=False)
    with pytest.raises(actions.FoiActionError, match="exemption"):
        actions.change_state(request=request, state=RequestState.REFUSED, on=SENT, by=BY)
    actions.change_state(request=request, state=RequestState.REFUSED, on=SENT, by=BY,
                         exemption="s12")
    assert FoiRequest.objects.get(pk=request.pk).exemption == "s12"


def test_email_goes_only_after_the_transaction_commits(campaign, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    requests = _asked(campaign, _body("RX1", email="a@example.org"),
                      _body("RX2", email="b@example.org"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.send_requests(requests=requests, on=SENT, by=BY, email=True)
    assert mailoutbox == []  # nothing sent inside the transaction
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
    assert mailoutbox[0].body == requests[0].letter


def test_a_failed_send_emails_nobody(campaign, mailoutbox, django_capture_on_commit_callbacks):
    requests = _asked(campaign, _body("RX1", email="a@example.org"), _body("RX2"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(actions.FoiActionError, match="no email address"):
            with transaction.atomic():
                actions.send_requests(requests=requests, on=SENT, by=BY, email=True)
    assert callbacks == []
    assert mailoutbox == []
    assert not FoiRequest.objects.exclude(state=RequestState.NOT_SENT).exists()
    assert not RequestEvent.objects.filter(kind="sent by email").exists()


def test_commissioners_and_recipients_are_added_once(campaign):
    actions.add_commissioners()
    actions.add_commissioners()
    ccgs = Body.objects.filter(kind=BodyKind.COMMISSIONER, areas__scheme="ccg2019")
    assert ccgs.count() == 191
    assert len(_asked(campaign, *ccgs)) == 191
    assert _asked(campaign, *ccgs) == []
    assert campaign.requests.count() == 191
