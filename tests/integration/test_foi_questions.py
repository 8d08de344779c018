"""A 2026 campaign with its own questions through the web, as a coordinator: questions and
period built from a copy of the 2019 preset, letters previewed per body, sending refused while a
letter has an empty placeholder, questions frozen once sent, answers entered per type (not
known is not 0), the responses CSV and its guide, and the report; the 2019 preset unchanged."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from cradle.foi import actions
from cradle.foi.models import Body, BodyKind, Campaign, FoiRequest, RequestState
from cradle.foi.question_data import preset_data
from cradle.foi.questions import CAMHS_2019, DEFAULT_LETTER
from tests.accounts_helpers import make_user, sign_in
from tests.foi_helpers import check_all

pytestmark = pytest.mark.django_db

LETTER = DEFAULT_LETTER.replace("Dear [body_name],", "Dear [body_name],\n[body_address]")
QUESTIONS = [
    ("accepts", "yes_no", "Does your service accept referrals of babies under 1?", ""),
    ("referred", "count", "How many children aged 0 to 18 were referred in the period?", ""),
    ("seen", "age_band_count", "How many children under 3 were seen in the period?",
     "0-12, 12-24, 24-36"),
]


def date_fields(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month),
            f"{prefix}_2": str(day.year)}


def questions_post(rows, label="2025/26", start=datetime.date(2025, 4, 1),
                   end=datetime.date(2026, 3, 31)) -> dict[str, str]:
    data = {"questions-TOTAL_FORMS": str(len(rows)), "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
            "period-period_label": label, **date_fields("period-period_starts_on", start),
            **date_fields("period-period_ends_on", end)}
    for index, (question_id, kind, text, bands) in enumerate(rows):
        data |= {f"questions-{index}-id": question_id, f"questions-{index}-kind": kind,
                 f"questions-{index}-text": text, f"questions-{index}-bands": bands}
    return data


@pytest.fixture
def staff(client):
    return sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))


@pytest.fixture
def trusts():
    """Two providers: one with an email address, one (with markup in its name) without."""
    with_email = Body.objects.create(kind=BodyKind.PROVIDER, ods_code="RX3", nation="England",
                                     name="Tees Esk and Wear Valleys NHS Foundation Trust",
                                     email="foi@tewv.example.org")
    without = Body.objects.create(kind=BodyKind.PROVIDER, ods_code="RAT", nation="England",
                                  name="North East London <b>NHS</b> Trust")
    return with_email, without


@pytest.fixture
def campaign(staff, trusts):
    """The 2026 campaign built through the web, with both providers asked."""
    response = staff.post(reverse("foi:campaign-new"), {
        "name": "CAMHS babies 2026", "question_set": "copy:camhs-2019",
        "period_label": "2025/26", **date_fields("period_starts_on", datetime.date(2025, 4, 1)),
        **date_fields("period_ends_on", datetime.date(2026, 3, 31)),
        "letter_template": LETTER, "signatory": "Cradle", "reply_to": "foi@example.org"})
    campaign = Campaign.objects.get(name="CAMHS babies 2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("foi:questions", args=[campaign.pk])
    assert campaign.question_set == "" and campaign.question_data == preset_data(CAMHS_2019)
    response = staff.post(reverse("foi:questions", args=[campaign.pk]), questions_post(QUESTIONS))
    assert response.status_code == 302, response.content.decode()
    staff.post(reverse("foi:add-providers", args=[campaign.pk]),
               {"add-providers": [body.pk for body in trusts]})
    campaign.refresh_from_db()
    assert campaign.requests.count() == 2
    return campaign


def _problems(response) -> str:
    return response.content.decode()


def test_a_coordinator_builds_typed_questions_and_a_period(campaign):
    assert [q["id"] for q in campaign.question_data["questions"]] == ["accepts", "referred",
                                                                      "seen"]
    assert campaign.question_data["questions"][2]["bands"] == [
        {"from_months": 0, "to_months": 12}, {"from_months": 12, "to_months": 24},
        {"from_months": 24, "to_months": 36}]
    assert campaign.period_label == "2025/26"
    assert campaign.period_text == ("the financial year 2025/26 (1 April 2025 to 31 March "
                                    "2026)")
    letter = FoiRequest.objects.get(campaign=campaign, body__ods_code="RX3").letter
    assert "for the financial year 2025/26 (1 April 2025 to 31 March 2026):" in letter
    assert ("3. How many children under 3 were seen in the period? Please give a number for "
            "each age band: aged 0 to 12 months; aged 12 to 24 months; aged 24 to 36 months."
            in letter)


@pytest.mark.parametrize(("rows", "message"), [
    ([QUESTIONS[0], ("seen", "age_band_count", "Seen?", "0-12, 6-24")],
     "Question 2 (seen), age bands: the bands 0-12 and 6-24 overlap or are out of order"),
    ([QUESTIONS[0], ("seen", "age_band_count", "Seen?", "babies")],
     "Question 2 (seen), age bands: “babies” is not an age band"),
    ([QUESTIONS[0], ("accepts", "count", "Again?", "")],
     "Question 2, id: “accepts” is used by an earlier question"),
    ([QUESTIONS[0], ("", "count", "", "")], "Question 2 (q1), wording: enter the question"),
])
def test_bad_questions_are_refused_naming_the_question_and_field(staff, campaign, rows,
                                                                  message):
    response = staff.post(reverse("foi:questions", args=[campaign.pk]), questions_post(rows))
    assert response.status_code == 400
    assert message in _problems(response)
    campaign.refresh_from_db()
    assert len(campaign.question_data["questions"]) == 3


def test_a_letter_is_previewed_for_a_chosen_body_as_plain_escaped_text(staff, campaign):
    chosen = FoiRequest.objects.get(campaign=campaign, body__ods_code="RAT")
    response = staff.get(reverse("foi:letter-preview", args=[campaign.pk]),
                         {"request": chosen.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dear North East London &lt;b&gt;NHS&lt;/b&gt; Trust," in page
    assert "<b>NHS</b>" not in page
    assert "1. Does your service accept referrals of babies under 1?" in page
    # The gap in this body's letter is named on its preview.
    assert "North East London &lt;b&gt;NHS&lt;/b&gt; Trust (RAT): [body_address] is empty" in page


def test_sending_is_refused_while_a_placeholder_is_empty_for_a_recipient(staff, campaign):
    rat = Body.objects.get(ods_code="RAT")
    for url, data in [
        (reverse("foi:send-email", args=[campaign.pk]), {"scope": "all"}),
        (reverse("foi:mark-posted", args=[campaign.pk]),
         date_fields("posted-sent_on", timezone.localdate())),
    ]:
        response = staff.post(url, data)
        assert response.status_code == 400
        assert "North East London &lt;b&gt;NHS&lt;/b&gt; Trust (RAT): [body_address] is empty" \
            in _problems(response)
    assert not FoiRequest.objects.filter(campaign=campaign).exclude(
        state=RequestState.NOT_SENT).exists()
    with pytest.raises(actions.FoiActionError, match=r"\[body_address\] is empty"):
        actions.send_requests(requests=list(campaign.requests.select_related("body")),
                              on=timezone.localdate(), by="t", email=False)
    # Fixed: the body now has an address, and the letters can go.
    rat.email = "foi@nelft.example.org"
    rat.save()
    response = staff.post(reverse("foi:mark-posted", args=[campaign.pk]),
                          date_fields("posted-sent_on", timezone.localdate()))
    assert response.status_code == 302
    assert campaign.requests.filter(state=RequestState.AWAITING_RESPONSE).count() == 2


def _send_all(campaign):
    Body.objects.filter(ods_code="RAT").update(email="foi@nelft.example.org")
    actions.send_requests(requests=list(campaign.requests.select_related("body", "campaign")),
                          on=timezone.localdate(), by="t", email=False)


def test_questions_are_frozen_once_a_request_is_sent(staff, campaign):
    _send_all(campaign)
    page = staff.get(reverse("foi:questions", args=[campaign.pk]))
    assert "data-questions-frozen" in page.content.decode()
    response = staff.post(reverse("foi:questions", args=[campaign.pk]),
                          questions_post(QUESTIONS[:1]))
    assert response.status_code == 400
    assert "its questions and period are fixed" in _problems(response)
    with pytest.raises(actions.FoiActionError, match="fixed"):
        actions.set_questions(campaign=campaign, question_data=campaign.question_data,
                              period_label="2026/27", period_starts_on=None,
                              period_ends_on=None, by="t", on=timezone.localdate())
    campaign.refresh_from_db()
    assert len(campaign.question_data["questions"]) == 3 and campaign.period_label == "2025/26"


def _answers(**fields) -> dict[str, str]:
    return {"answers-comment": "", "answers-reply_text": "",
            **date_fields("answers-received_on", timezone.localdate()),
            **{f"answers-{name}": value for name, value in fields.items()}}


def test_structured_answers_are_entered_per_type_and_not_known_is_not_zero(staff, campaign):
    _send_all(campaign)
    request = FoiRequest.objects.get(campaign=campaign, body__ods_code="RX3")
    url = reverse("foi:request-answers", args=[request.pk])
    page = staff.get(reverse("foi:request-detail", args=[request.pk])).content.decode()
    assert 'data-answer-field="seen_12_24m"' in page

    refused = staff.post(url, _answers(referred="twelve", seen_0_12m="3",
                                       seen_0_12m__status="not_known"))
    assert refused.status_code == 400
    text = refused.content.decode()
    assert ("Question 2 (“How many children aged 0 to 18 were referred in the period?”): "
            "enter a whole number, like 12") in text
    assert ("Question 3, aged 0 to 12 months (“How many children under 3 were seen in the "
            "period?”): give the answer or choose not known, not both") in text

    response = staff.post(url, _answers(accepts="yes", referred__status="not_known",
                                        seen_0_12m="0", seen_12_24m="4",
                                        seen_24_36m__status="refused"))
    assert response.status_code == 302
    (answer,) = request.structured_answers.all()
    assert answer.answers == {
        "accepts": {"status": "answered", "value": True},
        "referred": {"status": "not_known"},
        "seen_0_12m": {"status": "answered", "value": 0},
        "seen_12_24m": {"status": "answered", "value": 4},
        "seen_24_36m": {"status": "refused"}}
    request.refresh_from_db()
    assert request.state == RequestState.ANSWERED  # every field has an answer or a status

    other = FoiRequest.objects.get(campaign=campaign, body__ods_code="RAT")
    staff.post(reverse("foi:request-answers", args=[other.pk]),
               _answers(accepts="no", referred="30", seen_0_12m="2"))
    other.refresh_from_db()
    assert other.state == RequestState.PARTIALLY_ANSWERED

    report = staff.get(reverse("foi:report", args=[campaign.pk])).content.decode()
    assert 'data-bodies="0"' in report and 'data-review-to-check="2"' in report
    check_all(campaign)
    report = staff.get(reverse("foi:report", args=[campaign.pk])).content.decode()
    assert 'data-bodies="2"' in report
    assert ("Total 30; median 30 (over the 1 body that gave a number)" in report)
    assert "Total 2; median 1 (over the 2 bodies that gave a number)" in report
    assert 'data-not-known="1"' in report


def test_the_responses_csv_header_and_its_guide_follow_the_questions(staff, campaign):
    _send_all(campaign)
    request = FoiRequest.objects.get(campaign=campaign, body__ods_code="RX3")
    staff.post(reverse("foi:request-answers", args=[request.pk]),
               _answers(accepts="no", referred__status="not_known", seen_0_12m="0"))
    check_all(campaign)
    download = staff.get(reverse("foi:responses-csv", args=[campaign.pk]))
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["respondent_code", "respondent_type", "received_on", "accepts",
                       "referred", "seen_0_12m", "seen_12_24m", "seen_24_36m", "comment"]
    assert rows[1] == ["RX3", "trust", timezone.localdate().isoformat(), "no", "not known",
                       "0", "", "", ""]
    guide = staff.get(reverse("foi:responses-columns", args=[campaign.pk])).content.decode()
    for column in rows[0]:
        assert f'data-column="{column}"' in guide
    assert "How many children under 3 were seen in the period? (aged 24 to 36 months)" in guide


def test_the_2019_preset_is_kept_as_it_is(staff):
    response = staff.post(reverse("foi:campaign-new"), {
        "name": "CAMHS under-3s 2019", "question_set": "camhs-2019",
        "letter_template": DEFAULT_LETTER, "signatory": "Cradle", "reply_to": "foi@example.org"})
    campaign = Campaign.objects.get(name="CAMHS under-3s 2019")
    assert response["Location"] == reverse("foi:campaign-detail", args=[campaign.pk])
    assert campaign.uses_2019_analysis
    assert campaign.question_data == preset_data(CAMHS_2019)
    assert campaign.period_text == CAMHS_2019.period
    report = staff.get(reverse("foi:report", args=[campaign.pk])).content.decode()
    assert 'id="headlines"' in report and 'id="question-figures"' not in report
    guide = staff.get(reverse("foi:responses-columns", args=[campaign.pk])).content.decode()
    assert guide.index('data-column="area_code"') < guide.index('data-column="received_on"')


def test_the_migration_copies_a_preset_campaigns_questions_and_period_into_data():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("cradle.foi.migrations.0006_question_data")
    campaign = actions.create_campaign(name="Old", question_set="camhs-2019",
                                       letter_template=DEFAULT_LETTER, signatory="Cradle",
                                       reply_to="foi@example.org")
    Campaign.objects.filter(pk=campaign.pk).update(question_data={}, period_label="",
                                                   period_starts_on=None, period_ends_on=None)
    migration.copy_presets(apps, None)
    campaign.refresh_from_db()
    assert campaign.question_data == preset_data(CAMHS_2019)
    assert campaign.period_text == CAMHS_2019.period


# Review before publishing (ADR 0031) ------------------------------------------------------

TOTALLED = [
    ("referred", "count", "How many children aged 0 to 18 were referred in the period?", ""),
    ("referred_by_age", "age_band_count", "Of those, how many were in each age band?",
     "0-12, 12-36"),
]


def test_bands_part_of_a_total_are_refused_above_it_unless_confirmed(staff, campaign):
    data = questions_post(TOTALLED) | {"questions-1-part_of": "referred"}
    response = staff.post(reverse("foi:questions", args=[campaign.pk]), data)
    assert response.status_code == 302, response.content.decode()
    campaign.refresh_from_db()
    assert campaign.question_data["questions"][1]["part_of"] == "referred"
    _send_all(campaign)
    request = FoiRequest.objects.get(campaign=campaign, body__ods_code="RX3")
    url = reverse("foi:request-answers", args=[request.pk])
    over = _answers(referred="5", referred_by_age_0_12m="4", referred_by_age_12_36m="2")
    refused = staff.post(url, over)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert ("The answers were not saved: Question 2: the age bands together (4 "
            "(referred_by_age_0_12m) + 2 (referred_by_age_12_36m) = 6) is more than the total "
            "5 (question 1, referred)") in text
    assert not request.structured_answers.exists()
    assert staff.post(url, over | {"answers-confirmation_note": "The trust counts a child "
                                   "once per referral"}).status_code == 302
    answer = request.structured_answers.get()
    assert answer.confirmation_note == "The trust counts a child once per referral"


def test_a_part_of_naming_no_count_question_is_refused(staff, campaign):
    data = questions_post(TOTALLED) | {"questions-1-part_of": "nothing"}
    response = staff.post(reverse("foi:questions", args=[campaign.pk]), data)
    assert response.status_code == 400
    assert "“nothing” is not the id of a count question" in response.content.decode()


def test_only_checked_answers_count_and_a_second_person_checks_them(staff, campaign, client):
    _send_all(campaign)
    request = FoiRequest.objects.get(campaign=campaign, body__ods_code="RX3")
    staff.post(reverse("foi:request-answers", args=[request.pk]),
               _answers(accepts="yes", referred="7"))
    report_url = reverse("foi:report", args=[campaign.pk])
    assert 'data-bodies="0"' in staff.get(report_url).content.decode()
    to_check = reverse("foi:answers-to-check", args=[campaign.pk])
    answer = request.structured_answers.get()
    choose = {"answer": [str(answer.pk)]}

    refused = staff.post(to_check, choose | {"decision": "check"})
    assert refused.status_code == 400
    assert "you entered it, so another coordinator must check it" in refused.content.decode()

    from django.test import Client
    checker = sign_in(Client(), make_user("checker@example.org", network_role="coordinator"))
    page = checker.get(to_check).content.decode()
    assert f'data-answer-to-check="answer-{answer.pk}"' in page and "Question 2: 7" in page
    no_reason = checker.post(to_check, choose | {"decision": "return", "reason": " "})
    assert no_reason.status_code == 400
    assert "say what is wrong" in no_reason.content.decode()
    assert checker.post(to_check, choose | {"decision": "check"}).status_code == 302
    answer.refresh_from_db()
    assert (answer.review_state, answer.checked_by, answer.entered_by) == (
        "checked", "checker@example.org", "coordinator@example.org")
    assert 'data-bodies="1"' in staff.get(report_url).content.decode()
    again = checker.post(to_check, choose | {"decision": "check"})
    assert "already checked" in again.content.decode()
    assert request.events.filter(kind="answers checked").count() == 1

    # A wrong answer is returned with a reason and counts in no figure.
    staff.post(reverse("foi:request-answers", args=[request.pk]),
               _answers(accepts="no", referred="70"))
    wrong = request.structured_answers.to_check().get()
    checker.post(to_check, {"answer": [str(wrong.pk)], "decision": "return",
                            "reason": "The reply says 7, not 70"})
    wrong.refresh_from_db()
    assert (wrong.review_state, wrong.review_note) == ("returned", "The reply says 7, not 70")
    report = staff.get(report_url).content.decode()
    assert "Total 7; median 7" in report  # the checked answer, not the returned one


def test_the_database_refuses_a_check_by_the_person_who_entered(campaign):
    from django.db import IntegrityError, transaction

    _send_all(campaign)
    request = FoiRequest.objects.get(campaign=campaign, body__ods_code="RX3")
    answer = request.structured_answers.create(campaign=campaign, received_on=request.sent_on,
                                               entered_by="a@example.org")
    answer.review_state, answer.checked_by = "checked", "a@example.org"
    answer.checked_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        answer.save()
