"""FOI campaign pages through the Django test client, as a staff user: one whole campaign from
creation to report, then access control and the validation messages."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cradle.foi.analysis import RULES, analyse
from cradle.foi.deadlines import due_date
from cradle.foi.models import Body, BodyKind, Campaign, FoiRequest, RequestState, ResponseRecord
from cradle.foi.questions import DEFAULT_LETTER
from cradle.foi.report import response_rows
from cradle.foi.responses_csv import HEADER
from cradle.geography.models import Area
from tests.accounts_helpers import make_user, sign_in
from tests.foi_helpers import check_all, to_check_form

pytestmark = pytest.mark.django_db

PROVIDERS_CSV = """ods_code,name,nation,email,area_scheme,area_codes
RX3,Tees Esk and Wear Valleys NHS Foundation Trust,England,foi@tewv.example.org,ccg2019,02N;09C
RRP,Barnet Enfield and Haringey Mental Health NHS Trust,England,foi@beh.example.org,ccg2019,07M
RAT,North East London NHS Foundation Trust,England,,ccg2019,07L
"""

# Dated today: an answer dated before its letter was sent is refused (ADR 0031).
RESPONSES_CSV = ",".join(HEADER) + """
09C,ccg,09C,{today},yes,yes,yes,2,3,4,900,1,2,3,700,
RRP,trust,07M,{today},no,yes,yes,0,1,2,1000,0,1,1,800,trust answer
07L,ccg,07L,{today},no,no,no,,,,500,,,,400,"does not accept, see letter"
""".format(today=timezone.localdate().isoformat())


def date_fields(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month),
            f"{prefix}_2": str(day.year)}


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def answers(count: int = 1, **overrides) -> dict[str, str]:
    """A structured response form's data: `count` areas, every question answered."""
    data = {"area-TOTAL_FORMS": str(count), "area-INITIAL_FORMS": "0",
            "area-MIN_NUM_FORMS": "0", "area-MAX_NUM_FORMS": "1000",
            "response-state": "auto", "response-reply_text": "",
            **date_fields("response-received_on", timezone.localdate())}
    for index in range(count):
        data |= {f"area-{index}-accepts_0_12m": "yes", f"area-{index}-accepts_12_24m": "yes",
                 f"area-{index}-accepts_24_36m": "no", f"area-{index}-comment": ""}
        for measure in ("referred", "accessed"):
            for band, value in (("0_12m", 1), ("12_24m", 2), ("24_36m", 3), ("0_18", 600)):
                data[f"area-{index}-{measure}_{band}"] = str(value)
    return data | overrides


@pytest.fixture
def staff(client):
    """A network coordinator (who manages FOI campaigns), signed in with a second factor."""
    return sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))


@pytest.fixture
def campaign(staff):
    response = staff.post(reverse("foi:campaign-new"), {
        "name": "CAMHS under-3s 2019", "question_set": "camhs-2019",
        "letter_template": DEFAULT_LETTER, "signatory": "A. Researcher",
        "reply_to": "foi@cradle.example.org"})
    assert response.status_code == 302, response.content.decode()
    return Campaign.objects.get(name="CAMHS under-3s 2019")


def request_for(campaign: Campaign, ods_code: str) -> FoiRequest:
    return FoiRequest.objects.get(campaign=campaign, body__ods_code=ods_code)


@pytest.fixture
def checker():
    """A second coordinator, who checks what `staff` entered."""
    return sign_in(Client(), make_user("checker@example.org", network_role="coordinator"))


def test_a_whole_campaign(staff, checker, campaign, mailoutbox, django_capture_on_commit_callbacks):
    page = reverse("foi:campaign-detail", args=[campaign.pk])
    assert staff.get(page).status_code == 200

    # Every 2019 CCG.
    response = staff.post(reverse("foi:add-commissioners", args=[campaign.pk]), follow=True)
    assert "191 letters to 2019 CCGs written." in response.content.decode()
    assert campaign.requests.count() == 191
    assert campaign.requests.filter(body__kind=BodyKind.COMMISSIONER).count() == 191
    Body.objects.filter(ods_code__in=["02N", "09C"]).update(email="foi@ccg.example.org")

    # Providers from a file, asked at once.
    response = staff.post(reverse("foi:import-providers", args=[campaign.pk]), {
        "providers-file": upload("providers.csv", PROVIDERS_CSV),
        "providers-add_to_campaign": "on"}, follow=True)
    assert "Providers imported: 3 new, 0 updated. 3 letters written." in response.content.decode()
    assert campaign.requests.count() == 194
    with_email = campaign.requests.exclude(body__email="").count()
    assert with_email == 4

    # Everyone with an email address, by email: a background job (run at once in the tests).
    response = staff.post(reverse("foi:send-email", args=[campaign.pk]), {"scope": "all"})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    assert "4 letters sent by email." in staff.get(response["Location"]).content.decode()
    assert len(mailoutbox) == with_email
    assert {m.to[0] for m in mailoutbox} == {"foi@ccg.example.org", "foi@tewv.example.org",
                                             "foi@beh.example.org"}
    assert mailoutbox[0].reply_to == ["foi@cradle.example.org"]
    sent_today = request_for(campaign, "RX3")
    assert sent_today.state == RequestState.AWAITING_RESPONSE
    assert sent_today.due_on == due_date(timezone.localdate(), "foia")

    # The rest by mail merge, then marked as posted.
    merge = staff.get(reverse("foi:mail-merge", args=[campaign.pk]))
    assert merge["Content-Type"].startswith("text/csv")
    merged = list(csv.DictReader(io.StringIO(merge.content.decode("utf-8-sig"))))
    assert len(merged) == 194 - with_email
    assert "RAT" in {row["ods_code"] for row in merged}
    posted_on = timezone.localdate() - datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("foi:mark-posted", args=[campaign.pk]),
                              date_fields("posted-sent_on", posted_on))
    assert response.status_code == 302
    assert len(mailoutbox) == with_email  # posting sends no email
    assert not campaign.requests.filter(state=RequestState.NOT_SENT).exists()
    assert request_for(campaign, "RAT").sent_on == posted_on
    assert request_for(campaign, "RAT").due_on == due_date(posted_on, "foia")

    # "Ask the trust": the CCG redirects; a linked request to the provider, in one step.
    trust = Body.objects.create(kind=BodyKind.PROVIDER, ods_code="RV5", nation="England",
                                name="South London and Maudsley NHS Foundation Trust")
    ccg = request_for(campaign, "07M")
    response = staff.post(reverse("foi:request-redirect", args=[ccg.pk]), {
        "redirect-provider": str(trust.pk), "redirect-note": "They hold the data",
        **date_fields("redirect-on", timezone.localdate())})
    new = request_for(campaign, "RV5")
    assert response.status_code == 302
    assert response["Location"] == reverse("foi:request-detail", args=[new.pk])
    assert new.redirected_from == ccg and new.state == RequestState.NOT_SENT
    ccg.refresh_from_db()
    assert ccg.state == RequestState.REDIRECTED
    assert "RV5" in staff.get(reverse("foi:request-detail", args=[ccg.pk])).content.decode()
    other = Body.objects.create(kind=BodyKind.PROVIDER, ods_code="RV6", nation="England",
                                name="Another trust")
    again = staff.post(reverse("foi:request-redirect", args=[ccg.pk]), {
        "redirect-provider": str(other.pk), **date_fields("redirect-on", timezone.localdate())})
    assert again.status_code == 400  # not twice
    assert "not redirected already" in again.content.decode()
    other.delete()

    # Clarification asked for, then given: the clock restarts from that day.
    asked = request_for(campaign, "09C")
    response = staff.post(reverse("foi:request-state", args=[asked.pk]), {
        "state-state": "clarification_requested", "state-exemption": "",
        "state-reply_text": "", "state-note": "Which year?",
        **date_fields("state-on", timezone.localdate())})
    assert response.status_code == 302
    clarified = timezone.localdate() - datetime.timedelta(days=1)
    response = staff.post(reverse("foi:request-restart", args=[asked.pk]),
                          date_fields("restart-clarification_received", clarified), follow=True)
    asked.refresh_from_db()
    assert asked.state == RequestState.AWAITING_RESPONSE
    assert asked.received_on == clarified
    assert asked.due_on == due_date(clarified, "foia")
    assert "The clock restarted" in response.content.decode()

    # A structured response through the form: one row, the CCG's own area.
    answered = request_for(campaign, "02N")
    form_page = staff.get(reverse("foi:request-detail", args=[answered.pk])).content.decode()
    assert 'name="area-0-referred_0_12m"' in form_page
    response = staff.post(reverse("foi:request-response", args=[answered.pk]), answers(),
                          follow=True)
    assert response.status_code == 200
    record = ResponseRecord.objects.get(request=answered)
    assert (record.respondent_code, record.respondent_type, record.area.ods_code) == (
        "02N", "ccg", "02N")
    assert (record.accepts_0_12m, record.accepts_24_36m, record.referred_0_18) == (True, False,
                                                                                   600)
    answered.refresh_from_db()
    assert answered.state == RequestState.ANSWERED

    # More responses from a file, linked to the requests of those who gave them.
    response = staff.post(reverse("foi:import-responses", args=[campaign.pk]), {
        "responses-file": upload("responses.csv", RESPONSES_CSV)}, follow=True)
    assert "3 response rows imported." in response.content.decode()
    assert ResponseRecord.objects.get(respondent_code="RRP").request == request_for(campaign,
                                                                                    "RRP")
    assert ResponseRecord.objects.filter(campaign=campaign).count() == 4

    # Entered answers are in no figure until a second coordinator checks them.
    report = staff.get(reverse("foi:report", args=[campaign.pk])).content.decode()
    assert 'data-rows="0"' in report and 'data-review-to-check="4"' in report
    to_check = reverse("foi:answers-to-check", args=[campaign.pk])
    assert staff.get(to_check).content.decode().count("data-entered-by-you") == 4
    refused = staff.post(to_check, to_check_form(campaign))
    assert refused.status_code == 400
    assert "you entered it, so another coordinator must check it" in refused.content.decode()
    assert not ResponseRecord.objects.checked().exists()
    response = checker.post(to_check, to_check_form(campaign), follow=True)
    assert "4 answers checked" in response.content.decode()
    assert set(ResponseRecord.objects.values_list("checked_by", flat=True)) == {
        "checker@example.org"}

    # The report: the analysis's figures, with their denominators.
    figures = analyse(response_rows(campaign))
    assert (figures["areas_with_acceptance_data"], figures["areas_accepting_none"]) == (4, 1)
    report = staff.get(reverse("foi:report", args=[campaign.pk]))
    assert report.status_code == 200
    text = re.sub(r"\s+", " ", report.content.decode())
    assert ("1 of 4 CCG areas (25%) do not accept referrals for children aged 2 and under"
            in text)
    assert "3 of 4 CCG areas (75%) accept referrals" in text
    assert f'data-rows="{4}"' in text
    assert 'data-chart-area="02N"' in text and 'data-pct-referred="1.0"' in text
    airedale = Area.objects.get(scheme="ccg2019", ods_code="02N")
    babies = sum(p.count for p in airedale.populations.filter(year=2019))
    children = airedale.child_populations.get(year=2019).count
    share = (Decimal(babies) * 100 / children).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert f'data-pct-population="{share}"' in text  # the under-3 share of all 0-17s
    assert f'data-rules="{len(RULES)}"' in text
    rates = {key: re.findall(r"<td[^>]*>([^<]*)</td>", row) for key, row in re.findall(
        r'data-rate="(\w+)">(.*?)</tr>', text)}
    assert rates["written"] == ["191", "4"]
    assert rates["sent"] == ["191", "3"]
    assert rates["redirected"] == ["1", "0"]
    assert rates["answered_any"] == ["1 of 191 (0.5%)", "0 of 3 (0.0%)"]
    assert rates["answered"] == ["1", "0"]

    # The map's areas, and the downloads.
    geojson = staff.get(reverse("foi:report-geojson", args=[campaign.pk])).json()
    statuses = {f["properties"]["ods_code"]: f["properties"]["status"]
                for f in geojson["features"]}
    assert len(statuses) == 191
    assert (statuses["02N"], statuses["07L"], statuses["07M"], statuses["00C"]) == (
        "accepts", "accepts-none", "accepts", "no-data")
    areas_csv = staff.get(reverse("foi:report-csv", args=[campaign.pk])).content.decode(
        "utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(areas_csv)))) == 4
    xlsx = staff.get(reverse("foi:report-xlsx", args=[campaign.pk]))
    assert xlsx.content[:2] == b"PK"
    exported = staff.get(reverse("foi:responses-csv", args=[campaign.pk])).content.decode()
    assert exported.splitlines()[0] == ",".join(HEADER)
    assert len(exported.splitlines()) == 5


def test_the_xlsx_table_matches_the_csv(staff, campaign):
    from openpyxl import load_workbook

    staff.post(reverse("foi:import-responses", args=[campaign.pk]), {
        "responses-file": upload("responses.csv", RESPONSES_CSV)})
    check_all(campaign)
    rows = list(csv.reader(io.StringIO(
        staff.get(reverse("foi:report-csv", args=[campaign.pk])).content.decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(
        staff.get(reverse("foi:report-xlsx", args=[campaign.pk])).content))
    sheet = [[("" if v is None else v) for v in row] for row in book["Areas"].iter_rows(
        values_only=True)]
    assert sheet[0] == rows[0]
    assert len(sheet) == len(rows) == 4

    def same(value):
        try:
            return float(value)
        except ValueError:
            return str(value)

    for from_xlsx, from_csv in zip(sheet[1:], rows[1:], strict=True):
        assert [same(v) for v in from_xlsx] == [same(v) for v in from_csv]


# Who may see the pages ---------------------------------------------------------------------

def _foi_urls(campaign: Campaign) -> list[str]:
    return [reverse("foi:campaign-list"), reverse("foi:campaign-new"),
            reverse("foi:campaign-detail", args=[campaign.pk]),
            reverse("foi:report", args=[campaign.pk]),
            reverse("foi:responses-csv", args=[campaign.pk])]


def test_anonymous_users_are_sent_to_the_login(client, campaign):
    client.logout()
    for url in _foi_urls(campaign):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    response = client.post(reverse("foi:add-commissioners", args=[campaign.pk]))
    assert response.status_code == 302
    assert not campaign.requests.exists()


def test_users_without_the_foi_permission_are_refused(client, campaign):
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    for url in _foi_urls(campaign):
        assert client.get(url).status_code == 403, url


def test_a_coordinator_without_a_second_factor_is_sent_to_set_one_up(client, campaign):
    sign_in(client, make_user("new@example.org", network_role="coordinator"), verified=False)
    response = client.get(_foi_urls(campaign)[0])
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/?next=")


def test_only_foi_managers_see_the_foi_link_in_the_header(client, staff):
    assert 'href="/foi/"' in staff.get("/").content.decode()
    client.logout()
    assert 'href="/foi/"' not in client.get("/").content.decode()


def test_the_campaign_list_links_each_campaign(staff, campaign):
    page = staff.get(reverse("foi:campaign-list")).content.decode()
    assert reverse("foi:campaign-detail", args=[campaign.pk]) in page


# Validation --------------------------------------------------------------------------------

@pytest.fixture
def sent_ccg(staff, campaign):
    staff.post(reverse("foi:add-commissioners", args=[campaign.pk]))
    staff.post(reverse("foi:mark-posted", args=[campaign.pk]),
               date_fields("posted-sent_on", timezone.localdate()))
    return request_for(campaign, "02N")


def _errors(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_a_negative_count_is_rejected(staff, sent_ccg):
    response = staff.post(reverse("foi:request-response", args=[sent_ccg.pk]),
                          answers(**{"area-0-referred_0_12m": "-1"}))
    assert response.status_code == 400
    text = _errors(response)
    assert "There is a problem" in text
    assert "Enter children referred aged 0 to 12 months as 0 or more" in text
    assert 'href="#id_area-0-referred_0_12m"' in text
    assert not ResponseRecord.objects.exists()


def test_a_count_that_is_not_a_number_is_rejected(staff, sent_ccg):
    response = staff.post(reverse("foi:request-response", args=[sent_ccg.pk]),
                          answers(**{"area-0-accessed_0_18": "lots"}))
    assert response.status_code == 400
    assert ("Enter children accessed aged 0 to 18 (all ages) as a whole number, like 12"
            in _errors(response))
    assert 'value="lots"' in response.content.decode()
    assert not ResponseRecord.objects.exists()


def test_bands_above_the_total_are_refused_unless_confirmed_with_a_note(staff, sent_ccg):
    url = reverse("foi:request-response", args=[sent_ccg.pk])
    # 1 + 2 + 3 referred aged 2 and under, but only 5 aged 0 to 18: no band alone is above it.
    response = staff.post(url, answers(**{"area-0-referred_0_18": "5"}))
    assert response.status_code == 400
    text = _errors(response)
    assert (f"The response was not saved: {sent_ccg.body.areas.get().name}: children "
            "referred aged 2 and under (1 (referred_0_12m) + 2 (referred_12_24m) + 3 "
            "(referred_24_36m) = 6) is more than the total 5 (referred_0_18)") in text
    assert "say why in the confirmation note" in text
    assert not ResponseRecord.objects.exists()
    staff.post(url, answers(**{"area-0-referred_0_18": "5",
                               "response-confirmation_note": "As in the trust's letter: two "
                                                             "systems count differently"}))
    record = ResponseRecord.objects.get()
    assert (record.referred_0_18, record.review_state) == (5, "entered")
    assert record.confirmation_note.startswith("As in the trust's letter")


def test_an_answer_dated_before_its_letter_was_sent_is_refused(staff, sent_ccg):
    before = sent_ccg.sent_on - datetime.timedelta(days=1)
    response = staff.post(reverse("foi:request-response", args=[sent_ccg.pk]),
                          answers(**date_fields("response-received_on", before)))
    assert response.status_code == 400
    assert (f"the answer is dated {before.day} {before:%B %Y}, before the letter was sent on "
            f"{sent_ccg.sent_on.day} {sent_ccg.sent_on:%B %Y}") in _errors(response)
    assert not ResponseRecord.objects.exists()


def test_blank_answers_make_a_partial_answer_unless_chosen_otherwise(staff, sent_ccg):
    staff.post(reverse("foi:request-response", args=[sent_ccg.pk]),
               answers(**{"area-0-accepts_0_12m": "", "area-0-accessed_0_18": ""}))
    sent_ccg.refresh_from_db()
    assert sent_ccg.state == RequestState.PARTIALLY_ANSWERED
    record = ResponseRecord.objects.get()
    assert (record.accepts_0_12m, record.accessed_0_18) == (None, None)
    staff.post(reverse("foi:request-response", args=[sent_ccg.pk]),
               answers(**{"area-0-accessed_0_18": "", "response-state": "answered"}))
    sent_ccg.refresh_from_db()
    assert sent_ccg.state == RequestState.ANSWERED


def test_a_refusal_needs_an_exemption(staff, sent_ccg):
    data = {"state-state": "refused", "state-exemption": " ", "state-reply_text": "",
            "state-note": "", **date_fields("state-on", timezone.localdate())}
    response = staff.post(reverse("foi:request-state", args=[sent_ccg.pk]), data)
    assert response.status_code == 400
    assert "Enter the exemption the refusal relies on" in _errors(response)
    sent_ccg.refresh_from_db()
    assert sent_ccg.state == RequestState.AWAITING_RESPONSE
    response = staff.post(reverse("foi:request-state", args=[sent_ccg.pk]),
                          data | {"state-exemption": "Section 12 (cost)"})
    assert response.status_code == 302
    sent_ccg.refresh_from_db()
    assert (sent_ccg.state, sent_ccg.exemption) == (RequestState.REFUSED, "Section 12 (cost)")


def test_dates_must_be_real(staff, sent_ccg):
    response = staff.post(reverse("foi:request-state", args=[sent_ccg.pk]), {
        "state-state": "answered", "state-on_0": "31", "state-on_1": "2", "state-on_2": "2026"})
    assert response.status_code == 400
    assert "The date it happened must be a real date" in _errors(response)
    response = staff.post(reverse("foi:request-state", args=[sent_ccg.pk]), {
        "state-state": "answered", "state-on_0": "3", "state-on_1": "", "state-on_2": "2026"})
    assert "The date it happened must include a month" in _errors(response)


def test_the_clock_restarts_only_after_clarification_was_asked(staff, sent_ccg):
    response = staff.post(reverse("foi:request-restart", args=[sent_ccg.pk]),
                          date_fields("restart-clarification_received", timezone.localdate()))
    assert response.status_code == 400
    assert "The clock was not restarted" in _errors(response)


def test_a_bad_providers_file_is_rejected_whole_naming_rows_and_columns(staff, campaign):
    bad = PROVIDERS_CSV + "RXX,,Atlantis,not-an-email,ccg2019,ZZZ\n"
    response = staff.post(reverse("foi:import-providers", args=[campaign.pk]), {
        "providers-file": upload("providers.csv", bad), "providers-add_to_campaign": "on"})
    assert response.status_code == 400
    text = _errors(response)
    assert "row 5, column 'name': empty" in text
    assert "row 5, column 'nation'" in text
    assert "row 5, column 'area_codes': no ccg2019 area 'ZZZ'" in text
    assert not Body.objects.filter(kind=BodyKind.PROVIDER).exists()
    assert not campaign.requests.exists()


def test_a_bad_responses_file_is_rejected_whole_naming_rows_and_columns(staff, campaign):
    bad = RESPONSES_CSV + "09C,ccg,XXX,2026-10-01,maybe,,,-1,,,,,,,,\n"
    response = staff.post(reverse("foi:import-responses", args=[campaign.pk]), {
        "responses-file": upload("responses.csv", bad)})
    assert response.status_code == 400
    text = _errors(response)
    assert "row 5, column 'area_code'" in text
    assert "row 5, column 'accepts_0_12m'" in text
    assert "row 5, column 'referred_0_12m'" in text
    assert not ResponseRecord.objects.exists()


def test_a_responses_file_with_the_wrong_header_is_rejected(staff, campaign):
    response = staff.post(reverse("foi:import-responses", args=[campaign.pk]), {
        "responses-file": upload("responses.csv", "code,answer\n09C,yes\n")})
    assert response.status_code == 400
    assert "row 1: the header must be exactly" in _errors(response)


def test_sending_nothing_says_so(staff, campaign):
    staff.post(reverse("foi:add-commissioners", args=[campaign.pk]))
    response = staff.post(reverse("foi:send-email", args=[campaign.pk]), {"scope": "selected"})
    assert response.status_code == 400
    assert "Select at least one unsent request" in _errors(response)


def test_emailing_a_body_without_an_address_sends_nothing(staff, campaign, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    staff.post(reverse("foi:add-commissioners", args=[campaign.pk]))
    chosen = list(campaign.requests.values_list("pk", flat=True)[:2])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("foi:send-email", args=[campaign.pk]),
                              {"scope": "selected", "requests": chosen})
    assert response.status_code == 400
    assert "no email address" in _errors(response)
    assert mailoutbox == []
    assert not campaign.requests.exclude(state=RequestState.NOT_SENT).exists()


def test_a_campaign_needs_its_fields(staff):
    response = staff.post(reverse("foi:campaign-new"), {"question_set": "camhs-2019",
                                                        "reply_to": "not an email"})
    assert response.status_code == 400
    text = _errors(response)
    for message in ("Enter a name for the campaign", "Enter the letter",
                    "Enter an email address in the correct format"):
        assert message in text


# The admin -------------------------------------------------------------------------------

def test_the_admin_lists_and_shows_foi_records(client, django_user_model, sent_ccg):
    superuser = django_user_model.objects.create_superuser("admin", password="x" * 16)
    sign_in(client, superuser)  # with a verified second factor, which the admin needs
    for model in ("body", "campaign", "foirequest", "responserecord"):
        assert client.get(reverse(f"admin:foi_{model}_changelist")).status_code == 200, model
    body = client.get(reverse("admin:foi_body_change", args=[sent_ccg.body.pk]))
    assert "selectfilter" in body.content.decode()  # areas: filter_horizontal
    page = client.get(reverse("admin:foi_foirequest_change", args=[sent_ccg.pk]))
    assert page.status_code == 200
    inline = page.context["inline_admin_formsets"][0]
    assert inline.formset.model.__name__ == "RequestEvent"
    assert not inline.has_add_permission and not inline.has_change_permission
    assert "letter written" in page.content.decode()


def test_a_response_with_nothing_entered_is_refused_with_a_message_not_a_500(staff, sent_ccg):
    """Issue 13: the response form posted as the page renders it, nothing typed, crashed with
    KeyError 'comment' (Django skips cleaning an unchanged extra form)."""
    page = staff.get(reverse("foi:request-detail", args=[sent_ccg.pk])).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page)
    nothing = dict.fromkeys(answers(), "") | {
        "area-TOTAL_FORMS": "1", "area-INITIAL_FORMS": "0", "area-MIN_NUM_FORMS": "0",
        "area-MAX_NUM_FORMS": "1000", "response-state": "auto",
        **date_fields("response-received_on", timezone.localdate())}
    if token:
        nothing["submission_token"] = token.group(1)
    for body in (nothing, {k: v for k, v in nothing.items() if not k.startswith("area-0-")}):
        response = staff.post(reverse("foi:request-response", args=[sent_ccg.pk]), body)
        assert response.status_code == 400
        assert "Nothing was entered" in _errors(response)
    assert not ResponseRecord.objects.exists()
    sent_ccg.refresh_from_db()
    assert sent_ccg.state == RequestState.AWAITING_RESPONSE


def test_a_response_with_only_a_comment_is_saved(staff, sent_ccg):
    body = dict.fromkeys(answers(), "") | {
        "area-TOTAL_FORMS": "1", "area-INITIAL_FORMS": "0", "area-MIN_NUM_FORMS": "0",
        "area-MAX_NUM_FORMS": "1000", "response-state": "auto",
        "area-0-comment": "see the attached letter",
        **date_fields("response-received_on", timezone.localdate())}
    response = staff.post(reverse("foi:request-response", args=[sent_ccg.pk]), body)
    assert response.status_code == 302
    assert ResponseRecord.objects.get().comment == "see the attached letter"
