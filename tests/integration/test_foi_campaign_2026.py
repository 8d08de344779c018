"""Issue 18 end to end, through the web as two coordinators: a 2026 campaign to every ICB and
every trust recorded as a CAMHS provider. Today's bodies loaded; a trust recorded as a CAMHS
provider; FOI addresses recorded; questions built (with a total and its age bands); letters
previewed per body and checked for empty placeholders; sent by email in the background; a
reply received by SMTP at the request's own address and attached; the answer entered, refused
while impossible, checked by the second coordinator; then analysed (the report, the figures on
today's areas, the batch statistics) and published on the ICB's public planning page, which
showed nothing while the answer was unchecked. A refusal goes to internal review, whose clock
runs across Christmas and New Year."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cradle.foi.deadlines import due_date
from cradle.foi.models import Body, BodyType, Campaign, FoiRequest, Reply, RequestState
from cradle.foi.questions import DEFAULT_LETTER
from tests.accounts_helpers import make_user, sign_in
from tests.foi_helpers import reply_message

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "foi_bodies"
DOMAIN = "replies.example.org"
UNKNOWN_PLACEHOLDER = DEFAULT_LETTER.replace("Dear [body_name],",
                                             "Dear [body_name] ([body_code]),")
QUESTIONS = [
    ("referred", "count", "How many children aged 0 to 18 were referred to CAMHS?", "", ""),
    ("referred_by_age", "age_band_count", "Of those, how many were in each age band?",
     "0-12, 12-24, 24-36", "referred"),
    ("accepts_under_1", "yes_no", "Do you accept referrals of babies under 1?", "", ""),
]


def day_fields(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month),
            f"{prefix}_2": str(day.year)}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture(autouse=True)
def reply_settings(settings):
    settings.FOI_REPLY_DOMAIN = DOMAIN
    settings.FOI_REPLY_LOCAL = "foi"
    return settings


def test_a_2026_campaign_end_to_end(client, receiver, mailoutbox,
                                    django_capture_on_commit_callbacks):
    entering = sign_in(client, make_user("entering@example.org", network_role="coordinator"))
    checking = sign_in(Client(), make_user("checking@example.org", network_role="coordinator"))
    today = timezone.localdate()

    # Today's bodies, a CAMHS provider recorded with its source, FOI addresses recorded.
    call_command("foi", "load-bodies", "--source", str(FIXTURES), verbosity=0)
    trust = Body.objects.get(body_type=BodyType.NHS_TRUST, ods_code="RV5")
    assert entering.post(reverse("foi:body-camhs", args=[trust.pk]), {
        "camhs-provides_camhs": "yes", "camhs-source_text": "Trust website, CAMHS page",
        "camhs-source_url": "https://slam.example.org/camhs",
        **day_fields("camhs-stated_on", today)}).status_code == 302
    icbs = list(Body.objects.of_type(BodyType.ICB).in_force_on(today))
    assert {b.ods_code for b in icbs} == {"QYG", "QKK", "Z9B2Z"}
    for body in [*icbs, trust]:
        assert entering.post(reverse("foi:body-foi-address", args=[body.pk]), {
            "address-email": f"foi@{body.ods_code.lower()}.example.nhs.uk",
            "address-source": "The body's FOI page", **day_fields("address-checked_on", today),
        }).status_code == 302

    # The campaign, its questions (the age bands part of the total) and its recipients.
    new = {"name": "CAMHS babies 2026", "question_set": "copy:camhs-2019",
           "period_label": "2025/26",
           **day_fields("period_starts_on", datetime.date(2025, 4, 1)),
           **day_fields("period_ends_on", datetime.date(2026, 3, 31)),
           "letter_template": UNKNOWN_PLACEHOLDER, "signatory": "Cradle",
           "reply_to": "foi@example.org"}
    refused = entering.post(reverse("foi:campaign-new"), new)
    assert "[body_code] is not a placeholder Cradle knows" in text_of(refused)
    response = entering.post(reverse("foi:campaign-new"),
                             new | {"letter_template": DEFAULT_LETTER})
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="CAMHS babies 2026")
    questions = {"questions-TOTAL_FORMS": str(len(QUESTIONS)), "questions-INITIAL_FORMS": "0",
                 "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
                 "period-period_label": "2025/26",
                 **day_fields("period-period_starts_on", datetime.date(2025, 4, 1)),
                 **day_fields("period-period_ends_on", datetime.date(2026, 3, 31))}
    for index, (question_id, kind, text, bands, part_of) in enumerate(QUESTIONS):
        questions |= {f"questions-{index}-id": question_id, f"questions-{index}-kind": kind,
                      f"questions-{index}-text": text, f"questions-{index}-bands": bands,
                      f"questions-{index}-part_of": part_of}
    response = entering.post(reverse("foi:questions", args=[campaign.pk]), questions)
    assert response.status_code == 302, text_of(response)
    response = entering.post(reverse("foi:add-todays-bodies", args=[campaign.pk]),
                             {"todays-camhs_providers": "on", "todays-body_types": ["icb"]})
    assert response.status_code == 302, text_of(response)
    assert set(campaign.requests.values_list("body__ods_code", flat=True)) == {
        "QYG", "QKK", "Z9B2Z", "RV5"}

    # A letter previewed for one body: its placeholders filled, its own reply address.
    to_trust = FoiRequest.objects.get(campaign=campaign, body=trust)
    preview = text_of(entering.get(reverse("foi:letter-preview", args=[campaign.pk]),
                                   {"request": to_trust.pk}))
    assert "Dear South London and Maudsley NHS Foundation Trust," in preview
    assert "How many children aged 0 to 18 were referred to CAMHS?" in preview
    assert "[" not in preview.split("data-letter-preview", 1)[1].split("</pre>", 1)[0]

    # Sent by email in the background: the job's page reports it; the clock starts today.
    with django_capture_on_commit_callbacks(execute=True):
        response = entering.post(reverse("foi:send-email", args=[campaign.pk]),
                                 {"scope": "all"})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    assert "4 letters sent by email." in text_of(entering.get(response["Location"]))
    assert len(mailoutbox) == 4
    to_trust.refresh_from_db()
    assert (to_trust.state, to_trust.sent_on) == (RequestState.AWAITING_RESPONSE, today)
    assert to_trust.due_on == due_date(today, "foia")
    reply_to = f"foi+{to_trust.reply_address.token}@{DOMAIN}"
    assert next(m for m in mailoutbox if m.to == ["foi@rv5.example.nhs.uk"]).reply_to == [
        reply_to]

    # The trust's reply arrives by SMTP at that address and is attached to its request.
    assert receiver.send(reply_message(reply_to), [reply_to]) == {"refused": {}}
    reply = Reply.objects.get()
    assert reply.request == to_trust and reply.attachments.count() == 1

    # The answer, entered from the reply: impossible bands refused, then entered as given.
    answers_url = reverse("foi:request-answers", args=[to_trust.pk])
    answer = {"answers-comment": "", "answers-reply_text": "",
              **day_fields("answers-received_on", today),
              "answers-referred": "40", "answers-referred_by_age_0_12m": "3",
              "answers-referred_by_age_12_24m": "2", "answers-referred_by_age_24_36m": "4",
              "answers-accepts_under_1": "yes"}
    before_letter = entering.post(answers_url, answer | day_fields(
        "answers-received_on", today - datetime.timedelta(days=1)))
    assert "before the letter was sent" in text_of(before_letter)
    too_many = entering.post(answers_url, answer | {"answers-referred": "8"})
    assert "is more than the total 8 (question 1, referred)" in text_of(too_many)
    assert entering.post(answers_url, answer).status_code == 302
    to_trust.refresh_from_db()
    assert to_trust.state == RequestState.ANSWERED

    # Unchecked, the answer is in no figure: not in the report, not on the public page.
    icb_page = reverse("planning:area-profile", args=["icb2026", "QKK"])
    public = Client()
    assert "data-todays-foi" not in text_of(public.get(icb_page))
    report_url = reverse("foi:report", args=[campaign.pk])
    assert 'data-review-to-check="1"' in text_of(entering.get(report_url))

    # The second coordinator checks it against the reply; the first could not.
    to_check = reverse("foi:answers-to-check", args=[campaign.pk])
    entered = to_trust.structured_answers.get()
    assert entering.post(to_check, {"answer": [entered.pk], "decision": "check"}
                         ).status_code == 400
    assert checking.post(to_check, {"answer": [entered.pk], "decision": "check"}
                         ).status_code == 302

    # Analysed: the report, the figures on today's areas and the statistics.
    report = text_of(entering.get(report_url))
    assert 'data-bodies="1"' in report and "Total 40; median 40" in report
    assert "South London and Maudsley" in report  # listed under its ICB, QKK
    statistics = text_of(entering.get(reverse("foi:statistics", args=[campaign.pk])))
    assert "1 of 4" in statistics  # responded, of the requests counted

    # Published: the ICB's public planning page shows the trust's checked figures.
    page = text_of(public.get(icb_page))
    assert f'data-todays-foi="{campaign.pk}"' in page
    assert "CAMHS babies 2026" in page and "9 (from 1 of 1" in page  # 3 + 2 + 4 under 3

    # A refusal, then an internal review asked today, with its own 20-working-day clock.
    refused = FoiRequest.objects.get(campaign=campaign, body__ods_code="QYG")
    assert entering.post(reverse("foi:request-state", args=[refused.pk]), {
        "state-state": "refused", "state-exemption": "Section 12 (cost)",
        "state-reply_text": "", "state-note": "", **day_fields("state-on", today),
    }).status_code == 302
    assert entering.post(reverse("foi:request-internal-review", args=[refused.pk]), {
        "review-grounds": "The cost estimate counts records we did not ask for.",
        **day_fields("review-asked_on", today)}).status_code == 302
    refused.refresh_from_db()
    assert refused.state == RequestState.INTERNAL_REVIEW
    review = refused.internal_reviews.get()
    assert review.due_on == due_date(today, "foia")
    # The clock across bank holidays, for fixed dates: asked on 4 December 2026, due on
    # 7 January 2027 under both Acts. Christmas Day, Boxing Day's substitute (28 December) and
    # New Year's Day are off everywhere, and so is 4 January (Scotland's substitute for
    # 2 January): under FOISA as a Scottish holiday, under FOIA because its working days
    # exclude a bank holiday in any part of the United Kingdom (s.10(6)).
    # tests/unit/test_foi_lifecycle.py has the full table.
    assert due_date(datetime.date(2026, 12, 4), "foia") == datetime.date(2027, 1, 7)
    assert due_date(datetime.date(2026, 12, 4), "foisa") == datetime.date(2027, 1, 7)
