"""Checks a clinician would expect, through the pages: errors block and are all shown at once,
warnings are shown in a callout and saved only once confirmed; the measure form asks item by
item; the parent feedback form shows its questions. Each test replays the bad input that the
old pages accepted (or showed one error at a time)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cradle.outcomes import actions
from cradle.outcomes.models import Case, Contact, Episode, MeasureAdministration
from tests.outcomes_helpers import ago, date_fields, item_fields

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
NEXT_MONTH = (TODAY.replace(day=1) + datetime.timedelta(days=32)).strftime("%Y-%m")


def digest_on(page: str) -> str:
    return page.split('name="confirm_warnings" type="checkbox" value="')[1].split('"')[0]


def new_case_url(team):
    return reverse("outcomes:team-case-new", args=[team.pk])


# Cases ---------------------------------------------------------------------------------------

def test_a_birth_month_in_the_future_needs_the_due_month_box(signed_in, team):
    response = signed_in.post(new_case_url(team), {"team_reference": "PIT-F1",
                                                   "baby_birth_month": NEXT_MONTH})
    assert response.status_code == 400
    assert "The month of birth is in the future" in response.content.decode()
    assert not Case.objects.filter(team_reference="PIT-F1").exists()
    response = signed_in.post(new_case_url(team), {"team_reference": "PIT-F1",
                                                   "baby_birth_month": NEXT_MONTH,
                                                   "birth_month_is_due_month": "on"})
    assert response.status_code == 302
    assert Case.objects.get(team_reference="PIT-F1").birth_month_is_due_month


def test_a_case_can_not_be_edited_to_a_future_birth_month(signed_in, team, practitioner):
    case = actions.create_case(user=practitioner, team=team, team_reference="PIT-F2",
                               baby_birth_month=NEXT_MONTH, birth_month_is_due_month=True)
    response = signed_in.post(reverse("outcomes:case-edit", args=[case.pk]), {
        "baby_birth_month": NEXT_MONTH, "postcode_district": ""})  # due box now unticked
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.birth_month_is_due_month is True


def test_every_error_of_the_case_form_is_shown_at_once(signed_in, team):
    response = signed_in.post(new_case_url(team), {
        "team_reference": "PIT-E1", "nhs_number": "943 476 5918",
        "baby_birth_month": NEXT_MONTH, "postcode_district": "99 ZZ"})
    page = response.content.decode()
    assert response.status_code == 400
    for anchor in ("#id_nhs_number", "#id_baby_birth_month", "#id_postcode_district"):
        assert f'href="{anchor}"' in page, anchor
    assert not Case.objects.filter(team_reference="PIT-E1").exists()


def test_a_name_like_reference_is_saved_only_once_confirmed(signed_in, team):
    data = {"team_reference": "Jane Smith"}
    response = signed_in.post(new_case_url(team), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-warning-callout" in page and "looks like a person" in page
    assert "I have checked this: save anyway" in page
    assert not Case.objects.filter(team_reference="Jane Smith").exists()
    # A confirmation of other warnings (a forged or stale digest) does not count.
    response = signed_in.post(new_case_url(team), {**data, "confirm_warnings": "0" * 32})
    assert response.status_code == 200 and not Case.objects.exists()
    response = signed_in.post(new_case_url(team), {**data, "confirm_warnings": digest_on(page)})
    assert response.status_code == 302
    assert Case.objects.filter(team_reference="Jane Smith").exists()


def test_an_ordinary_reference_asks_nothing(signed_in, team):
    response = signed_in.post(new_case_url(team), {"team_reference": "PIT-0042"})
    assert response.status_code == 302


# Episodes ------------------------------------------------------------------------------------

@pytest.fixture
def case(practitioner, team):
    return actions.create_case(user=practitioner, team=team, team_reference="PIT-C1")


@pytest.fixture
def referral(practitioner, case):
    return actions.record_referral(user=practitioner, case=case, referred_on=ago(30),
                                   referrer_type="gp", decision="accepted",
                                   decided_on=ago(29))


def test_an_episode_cannot_start_before_its_referral(signed_in, case, referral):
    response = signed_in.post(reverse("outcomes:case-episode", args=[case.pk]), {
        **date_fields("started_on", ago(40)), "referral": referral.pk})
    assert response.status_code == 400
    assert "The work cannot start before the referral" in response.content.decode()
    assert not Episode.objects.exists()


def test_a_referral_has_one_open_episode(signed_in, practitioner, case, referral):
    actions.open_episode(user=practitioner, case=case, started_on=ago(20), referral=referral)
    response = signed_in.post(reverse("outcomes:case-episode", args=[case.pk]), {
        **date_fields("started_on", ago(10)), "referral": referral.pk})
    assert response.status_code == 400
    assert "already has an open episode" in response.content.decode()
    assert Episode.objects.count() == 1


# Contacts ------------------------------------------------------------------------------------

def test_an_attended_contact_needs_its_time_and_who_attended_all_errors_at_once(
        signed_in, practitioner, case):
    episode = actions.open_episode(user=practitioner, case=case, started_on=ago(5))
    response = signed_in.post(reverse("outcomes:case-contact", args=[case.pk]), {
        "episode": episode.pk, **date_fields("on", ago(10)), "mode": "phone",
        "outcome": "attended", "minutes": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_on_0"' in page and 'href="#id_minutes"' in page
    assert 'href="#id_attended_0"' in page
    assert "Say who attended" in page and "Give the length of the contact" in page
    assert not Contact.objects.exists()


# Measures ------------------------------------------------------------------------------------

def measure_url(case, code):
    return reverse("outcomes:case-measure", args=[case.pk]) + f"?instrument={code}"


def test_the_measure_form_asks_item_by_item_with_wording_only_where_licensed(signed_in, case):
    page = signed_in.get(reverse("outcomes:case-measure", args=[case.pk])).content.decode()
    assert 'name="instrument"' in page and 'method="get"' in page
    phq9 = signed_in.get(measure_url(case, "phq9")).content.decode()
    assert "Little interest or pleasure in doing things" in phq9
    assert phq9.count('name="item_1"') == 5  # four responses and "Not answered"
    assert "Nearly every day (3)" in phq9 and 'name="item_9"' in phq9
    assert 'name="items"' not in phq9  # no comma-separated string any more
    epds = signed_in.get(measure_url(case, "epds")).content.decode()
    assert "Item 1" in epds and "Response 1 (top)" in epds and 'name="item_10"' in epds
    assert "the instrument's licence does not let Cradle reproduce them" in epds
    pirgas = signed_in.get(measure_url(case, "pirgas")).content.decode()
    assert 'name="item_1"' not in pirgas and 'name="total"' in pirgas
    hads = signed_in.get(measure_url(case, "hads")).content.decode()
    assert 'name="subscale_anxiety"' in hads


def test_items_entered_one_by_one_are_scored(signed_in, case):
    response = signed_in.post(measure_url(case, "phq9"), {
        "timepoint": "baseline", **date_fields("administered_on", ago(1)),
        "entered_as": "items", **item_fields(1, 2, 1, 0, 3, 1, 0, 2, 1)})
    assert response.status_code == 302, response.content.decode()
    measure = MeasureAdministration.objects.get()
    assert measure.items == [1, 2, 1, 0, 3, 1, 0, 2, 1] and measure.total == 11
    assert measure.flags


def test_hads_subscale_totals(signed_in, case):
    response = signed_in.post(measure_url(case, "hads"), {
        "timepoint": "baseline", **date_fields("administered_on", ago(1)),
        "entered_as": "subscales", "subscale_anxiety": "12", "subscale_depression": "4"})
    assert response.status_code == 302, response.content.decode()
    assert MeasureAdministration.objects.get().subscales == {"anxiety": 12, "depression": 4}


def test_a_measure_before_the_case_started_is_saved_only_once_confirmed(signed_in, case,
                                                                        referral):
    data = {"timepoint": "baseline", **date_fields("administered_on", ago(45)),
            "entered_as": "total", "total": "12"}
    response = signed_in.post(measure_url(case, "phq9"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "before the case started" in page
    assert not MeasureAdministration.objects.exists()
    response = signed_in.post(measure_url(case, "phq9"),
                              {**data, "confirm_warnings": digest_on(page)})
    assert response.status_code == 302
    assert MeasureAdministration.objects.count() == 1


def test_a_second_baseline_asks_first(signed_in, practitioner, case):
    actions.record_measure(user=practitioner, case=case, instrument="gad7",
                           timepoint="baseline", administered_on=ago(20), total=9)
    response = signed_in.post(measure_url(case, "gad7"), {
        "timepoint": "baseline", **date_fields("administered_on", ago(2)),
        "entered_as": "total", "total": "5"})
    page = response.content.decode()
    assert response.status_code == 200 and "A baseline GAD-7 is already recorded" in page
    assert MeasureAdministration.objects.count() == 1


def test_measure_messages_speak_plainly(signed_in, case):
    response = signed_in.post(measure_url(case, "core10"), {
        "timepoint": "baseline", **date_fields("administered_on", ago(1)),
        "entered_as": "items", **item_fields(None, None, 1, 1, 1, 1, 1, 1, 1, 1)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Item 1, item 2 missing: the CORE-10 can be scored only with at most 1 item " \
           "missing" in page
    assert "None" not in page.split("<main")[1] and "core10:" not in page


# Feedback ------------------------------------------------------------------------------------

def test_the_parent_feedback_form_shows_its_questions(signed_in, practitioner, case):
    episode = actions.open_episode(user=practitioner, case=case, started_on=ago(5))
    page = signed_in.get(reverse("outcomes:episode-feedback",
                                 args=[episode.pk, "parent"])).content.decode()
    assert "1. I feel that the people who have seen my child listened to me" in page
    assert "12. Overall, the help I have received here is good" in page


def test_a_new_episode_has_a_baseline_of_its_own(signed_in, practitioner, case):
    first = actions.open_episode(user=practitioner, case=case, started_on=ago(60))
    actions.close_episode(user=practitioner, episode=first, ended_on=ago(40),
                          discharge_reason="planned")
    second = actions.open_episode(user=practitioner, case=case, started_on=ago(10))
    actions.record_measure(user=practitioner, case=case, episode=first, instrument="gad7",
                           timepoint="baseline", administered_on=ago(59), total=9)
    response = signed_in.post(measure_url(case, "gad7"), {
        "timepoint": "baseline", **date_fields("administered_on", ago(9)),
        "episode": second.pk, "entered_as": "total", "total": "5"})
    assert response.status_code == 302
    assert MeasureAdministration.objects.filter(episode=second).count() == 1


def test_the_contact_form_shows_the_attendance_rule_with_its_own_errors(signed_in,
                                                                       practitioner, case):
    episode = actions.open_episode(user=practitioner, case=case, started_on=ago(5))
    response = signed_in.post(reverse("outcomes:case-contact", args=[case.pk]), {
        "episode": episode.pk, **date_fields("on", ago(1)), "mode": "",
        "outcome": "attended", "minutes": "0"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_mode"' in page and 'href="#id_minutes"' in page
    assert 'href="#id_attended_0"' in page
