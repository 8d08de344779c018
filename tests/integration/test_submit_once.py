"""Every single-record form saves once: the same form posted twice (a double click, back then
submit) or a second time while the first is still being written makes one record, and the
second response says it was already saved (core.submissions)."""

from __future__ import annotations

import datetime
import re
import threading
import time
from dataclasses import dataclass

import pytest
from django.core.exceptions import SuspiciousOperation
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from cradle.core.models import FormSubmission
from cradle.core.submissions import save_once
from cradle.foi import actions as foi_actions
from cradle.foi import actions_answers as foi_answers
from cradle.foi.models import Body, Campaign, ResponseRecord
from cradle.foi.questions import DEFAULT_LETTER
from cradle.outcomes import actions
from cradle.outcomes.models import (
    Case,
    Contact,
    Episode,
    Feedback,
    MeasureAdministration,
    Referral,
    WorkforceActivity,
)
from tests.accounts_helpers import make_user, sign_in
from tests.outcomes_helpers import ago, date_fields, phq9_items

pytestmark = pytest.mark.django_db


@dataclass
class SingleRecordForm:
    url: str
    data: dict
    records: object  # the queryset the form adds to
    action: tuple  # (module, name): what the view calls to write


@pytest.fixture
def user(team):
    """A practitioner in the team who also runs FOI campaigns."""
    return make_user("both@example.org", team=team, network_role="coordinator")


@pytest.fixture
def forms(user, team):
    with_episode = actions.create_case(user=user, team=team, team_reference="ONCE-1")
    referral = actions.record_referral(user=user, case=with_episode, referred_on=ago(60),
                                       referrer_type="midwife")
    episode = actions.open_episode(user=user, case=with_episode, referral=referral,
                                   started_on=ago(40))
    without_episode = actions.create_case(user=user, team=team, team_reference="ONCE-2")
    campaign = foi_actions.create_campaign(
        name="Once campaign", question_set="camhs-2019", letter_template=DEFAULT_LETTER,
        signatory="Cradle", reply_to="foi@example.org")
    foi_actions.add_commissioners()
    (foi_request,) = foi_actions.add_recipients(
        campaign=campaign, bodies=[Body.objects.get(ods_code="02N")], by="test",
        on=ago(30))
    foi_actions.send_requests(requests=[foi_request], on=ago(30), by="test", email=False)
    today = timezone.localdate()
    return {
        "case": SingleRecordForm(
            reverse("outcomes:team-case-new", args=[team.pk]), {"team_reference": "ONCE-3"},
            Case.objects.filter(team=team), (actions, "create_case")),
        "referral": SingleRecordForm(
            reverse("outcomes:case-referral", args=[with_episode.pk]),
            {**date_fields("referred_on", ago(20)), "referrer_type": "health_visitor",
             "relationship": "mother", "age_at_referral": "28", "ethnic_category": "A"},
            Referral.objects.all(), (actions, "record_referral")),
        "episode": SingleRecordForm(
            reverse("outcomes:case-episode", args=[without_episode.pk]),
            date_fields("started_on", ago(10)), Episode.objects.all(),
            (actions, "open_episode")),
        "contact": SingleRecordForm(
            reverse("outcomes:case-contact", args=[with_episode.pk]),
            {"episode": str(episode.pk), **date_fields("on", ago(25)), "mode": "home_visit",
             "outcome": "attended", "minutes": "60", "attended": ["caregivers"]},
            Contact.objects.all(), (actions, "record_contact")),
        "measure": SingleRecordForm(
            reverse("outcomes:case-measure", args=[with_episode.pk]) + "?instrument=phq9",
            {"timepoint": "baseline", "episode": str(episode.pk),
             **date_fields("administered_on", ago(14)), "entered_as": "items",
             **phq9_items(1, 2, 1, 0, 3, 1, 0, 2, 1)},
            MeasureAdministration.objects.all(), (actions, "record_measure")),
        "feedback": SingleRecordForm(
            reverse("outcomes:episode-feedback", args=[episode.pk, "parent"]),
            {**date_fields("received_on", ago(3)), "answer_1": "certainly_true"},
            Feedback.objects.all(), (actions, "record_feedback")),
        "workforce activity": SingleRecordForm(
            reverse("outcomes:team-workforce", args=[team.pk]),
            {"kind": "training", **date_fields("on", ago(7)), "attendees": "24"},
            WorkforceActivity.objects.all(), (actions, "record_workforce_activity")),
        "FOI campaign": SingleRecordForm(
            reverse("foi:campaign-new"),
            {"name": "Another campaign", "question_set": "camhs-2019",
             "letter_template": DEFAULT_LETTER, "signatory": "A. Researcher",
             "reply_to": "foi@cradle.example.org"},
            Campaign.objects.all(), (foi_actions, "create_campaign")),
        "FOI response": SingleRecordForm(
            reverse("foi:request-response", args=[foi_request.pk]),
            {"area-TOTAL_FORMS": "1", "area-INITIAL_FORMS": "0", "area-MIN_NUM_FORMS": "0",
             "area-MAX_NUM_FORMS": "1000", "response-state": "auto",
             "response-reply_text": "", **date_fields("response-received_on", today),
             "area-0-accepts_0_12m": "yes", "area-0-accepts_12_24m": "yes",
             "area-0-accepts_24_36m": "no", "area-0-comment": "",
             "area-0-referred_0_18": "6", "area-0-accessed_0_18": "4"},
            ResponseRecord.objects.all(), (foi_answers, "record_response")),
    }


FORM_PAGES = {"FOI response": lambda form: reverse(
    "foi:request-detail", args=[int(re.search(r"/requests/(\d+)/", form.url)[1])])}


def form_with_token(client, name: str, form: SingleRecordForm) -> dict:
    """The form's data with the one-time token its page was rendered with."""
    page = client.get(FORM_PAGES.get(name, lambda f: f.url)(form)).content.decode()
    tokens = re.findall(r'name="submission_token" value="([^"]+)"', page)
    assert tokens, f"the {name} page renders no submission token"
    return {**form.data, "submission_token": tokens[-1]}


FORM_NAMES = ["case", "referral", "episode", "contact", "measure", "feedback",
              "workforce activity", "FOI campaign", "FOI response"]


@pytest.mark.parametrize("name", FORM_NAMES)
def test_a_double_post_makes_one_record_and_says_it_was_already_saved(client, user, forms,
                                                                      name):
    sign_in(client, user)
    form = forms[name]
    data = form_with_token(client, name, form)
    before = form.records.count()
    first = client.post(form.url, data)
    assert first.status_code == 302, first.content.decode()
    assert form.records.count() == before + 1
    second = client.post(form.url, data, follow=True)
    assert second.status_code == 200
    assert form.records.count() == before + 1
    assert "already saved" in second.content.decode()


@pytest.mark.parametrize("name", FORM_NAMES)
def test_an_identical_post_arriving_while_the_first_is_written_makes_one_record(
        client, user, forms, name, monkeypatch):
    """The second post comes in after the first claimed its token but before it committed:
    only the unique token row can stop it (there is nothing to look up yet)."""
    sign_in(client, user)
    form = forms[name]
    data = form_with_token(client, name, form)
    before = form.records.count()
    module, attribute = form.action
    write = getattr(module, attribute)
    overlapping = []

    def write_while_the_same_form_arrives_again(**kwargs):
        if not overlapping:
            overlapping.append(client.post(form.url, data, follow=True))
        return write(**kwargs)

    monkeypatch.setattr(module, attribute, write_while_the_same_form_arrives_again)
    first = client.post(form.url, data)
    assert first.status_code == 302, first.content.decode()
    assert form.records.count() == before + 1
    (second,) = overlapping
    assert second.status_code == 200 and "already saved" in second.content.decode()


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(client, user, forms):
    sign_in(client, user)
    form = forms["workforce activity"]
    data = form_with_token(client, "workforce activity", form)
    refused = client.post(form.url, {**data, "attendees": "-4"})
    assert refused.status_code == 400
    assert data["submission_token"] in refused.content.decode()
    assert client.post(form.url, data).status_code == 302
    assert form.records.count() == 1


def test_a_token_used_by_another_user_or_form_is_refused(user, team):
    token = "t" * 43
    FormSubmission.objects.create(token=token, user=user, kind="outcomes.case", object_id=1)
    other = make_user("other@example.org", team=team)
    for who, kind in ((other, "outcomes.case"), (user, "outcomes.contact")):
        request = RequestFactory().post("/", {"submission_token": token})
        request.user = who
        with pytest.raises(SuspiciousOperation):
            save_once(request, kind=kind, write=lambda: pytest.fail("written"))


def test_a_post_without_a_token_is_saved_as_before(user, team):
    request = RequestFactory().post("/", {})
    request.user = user
    saved = save_once(request, kind="outcomes.workforce", write=lambda: actions.
                      record_workforce_activity(user=user, team=team, kind="training",
                                                on=datetime.date.today()))
    assert not saved.already_saved and WorkforceActivity.objects.filter(pk=saved.object_id)
    assert not FormSubmission.objects.exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL only: the test "
                    "database of SQLite is in memory, where threads cannot share commits")
@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_the_same_moment_on_two_connections_make_one_record(
        monkeypatch):
    """Two requests in their own transactions on their own connections, the first slowed
    down inside its write: the second's token row waits on the unique index and is refused."""
    user = make_user("coordinator@example.org", network_role="coordinator")
    clients = [sign_in(Client(), user) for _ in range(2)]
    page = clients[0].get(reverse("foi:campaign-new")).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page)[1]
    data = {"name": "Simultaneous campaign", "question_set": "camhs-2019",
            "letter_template": DEFAULT_LETTER, "signatory": "A. Researcher",
            "reply_to": "foi@cradle.example.org", "submission_token": token}
    create = foi_actions.create_campaign

    def slow_create(**kwargs):
        time.sleep(1)  # the other post arrives while this transaction is open
        return create(**kwargs)

    monkeypatch.setattr(foi_actions, "create_campaign", slow_create)
    start = threading.Barrier(2)
    pages, errors = [], []

    def post(client):
        try:
            start.wait()
            pages.append(client.post(reverse("foi:campaign-new"), data, follow=True)
                         .content.decode())
        except Exception as error:  # reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Campaign.objects.filter(name="Simultaneous campaign").count() == 1
    assert len(pages) == 2 and sum("already saved" in page for page in pages) == 1
