"""A campaign's batch statistics (ADR 0033) through the Django test client: a small campaign
with mixed states and body types, its page and its CSV, and the read in one query."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from cradle.foi import actions
from cradle.foi import campaign_statistics as stats
from cradle.foi.models import (
    Body,
    BodyKind,
    BodyType,
    FoiRequest,
    RequestEvent,
    RequestState,
    ResponseRecord,
)
from cradle.foi.questions import DEFAULT_LETTER
from cradle.foi.statistics_read import RESPONSE_EVENT_KINDS, request_rows
from cradle.geography.models import Area
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

D = datetime.date
SENT = D(2026, 3, 2)  # due 2026-03-30 (FOIA)
TODAY = D(2026, 6, 1)


@pytest.fixture
def staff(client):
    return sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("cradle.foi.views_report.today", lambda: TODAY)


def body(code: str, body_type: str, *, kind=BodyKind.PROVIDER, nation="England") -> Body:
    return Body.objects.create(kind=kind, ods_code=code, name=f"Body {code}", nation=nation,
                               body_type=body_type, email=f"foi@{code.lower()}.example.org")


@pytest.fixture
def campaign():
    """Two ICBs, three trusts, a hand-imported provider and a Scottish board, sent on SENT:
    ICB A answered in 10 working days; ICB B awaiting (overdue); trust A refused (s.12) late;
    trust B answered with no response date (state set without an event); trust C redirected
    to the hand-imported provider, which is awaiting (not yet due); the board clarified and
    restarted, then answered 4 working days after the restart."""
    campaign = actions.create_campaign(name="Statistics test", question_set="camhs-2019",
                                       letter_template=DEFAULT_LETTER, signatory="A",
                                       reply_to="a@example.org")
    bodies = [body("QA1", BodyType.ICB, kind=BodyKind.COMMISSIONER),
              body("QA2", BodyType.ICB, kind=BodyKind.COMMISSIONER),
              body("RA1", BodyType.NHS_TRUST), body("RA2", BodyType.NHS_TRUST),
              body("RA3", BodyType.NHS_TRUST),
              body("S08000015", BodyType.HEALTH_BOARD, kind=BodyKind.COMMISSIONER,
                   nation="Scotland")]
    requests = actions.add_recipients(campaign=campaign, bodies=bodies, by="t", on=SENT)
    actions.send_requests(requests=requests, on=SENT, by="t", email=False)
    icb_a, _icb_b, trust_a, trust_b, trust_c, board = (
        FoiRequest.objects.select_related("body").get(pk=r.pk) for r in requests)
    actions.change_state(request=icb_a, state=RequestState.ANSWERED, on=D(2026, 3, 16), by="t")
    actions.change_state(request=trust_a, state=RequestState.REFUSED, on=D(2026, 4, 2), by="t",
                         exemption="Section 12 (cost)")
    FoiRequest.objects.filter(pk=trust_b.pk).update(state=RequestState.ANSWERED)
    hand = Body.objects.create(kind=BodyKind.PROVIDER, ods_code="RX9", name="Hand imported",
                               nation="England", email="foi@rx9.example.org")
    new = actions.redirect_request(request=trust_c, provider=hand, on=D(2026, 5, 20), by="t")
    actions.send_requests(requests=[new], on=D(2026, 5, 20), by="t", email=False)
    actions.change_state(request=board, state=RequestState.CLARIFICATION_REQUESTED,
                         on=D(2026, 3, 5), by="t")
    board = actions.restart_clock(request=board, clarification_received=D(2026, 4, 1), by="t")
    actions.change_state(request=board, state=RequestState.ANSWERED, on=D(2026, 4, 8), by="t")
    return campaign


def test_the_pure_module_knows_every_request_state():
    named = {stats.NOT_SENT, stats.AWAITING, stats.CLARIFICATION, stats.REDIRECTED,
             stats.WITHDRAWN, *stats.RESPONDED_STATES}
    assert named == set(RequestState.values)
    assert RESPONSE_EVENT_KINDS == ["now answered", "now partially answered",
                                    "now refused with an exemption"]


def test_rows_are_read_in_one_query(campaign, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = request_rows(campaign)
    assert len(rows) == 7
    by_state = {(row.body_type, row.state): row for row in rows}
    board = by_state[(BodyType.HEALTH_BOARD, RequestState.ANSWERED)]
    assert board.regime == "foisa" and board.clock_started_on == D(2026, 4, 1)
    assert board.first_response_on == D(2026, 4, 8)
    assert by_state[("", RequestState.AWAITING_RESPONSE)].first_response_on is None


def test_a_response_record_dated_earlier_than_the_state_change_is_the_first_response(campaign):
    request = FoiRequest.objects.get(campaign=campaign, body__ods_code="QA1")
    ResponseRecord.objects.create(
        campaign=campaign, request=request, respondent_code="QA1", respondent_type="ccg",
        area=Area.objects.filter(scheme="ccg2019").first(), received_on=D(2026, 3, 9))
    # One before the clock started is ignored.
    RequestEvent.objects.create(request=request, kind="now answered", on=D(2026, 2, 1))
    (row,) = [r for r in request_rows(campaign) if r.body_type == BodyType.ICB
              and r.state == RequestState.ANSWERED]
    assert row.first_response_on == D(2026, 3, 9)


def cell(page: str, row_type: str, attribute: str) -> str:
    row = re.search(rf'<tr class="nhsuk-table__row" data-type="{row_type}">(.*?)</tr>', page,
                    re.S).group(1)
    return re.sub(r"\s+", " ", re.search(rf"<td [^>]*{attribute}[^>]*>(.*?)</td>", row,
                                         re.S).group(1)).strip()


def test_the_page_shows_the_figures_per_type_and_in_all(staff, campaign):
    response = staff.get(reverse("foi:statistics", args=[campaign.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "as of 1 June 2026" in page and 'data-as-of="2026-06-01"' in page
    # In all: 7 sent, 1 redirected, so 6 counted; 4 responded (one with the date unknown).
    assert cell(page, "all", "data-rate") == "4 of 6 (66.7%)"
    assert cell(page, "all", "data-sent") == "7"
    # ICB A 10, trust A 22 (St Patrick's Day, a Northern Ireland bank holiday, stops the FOIA
    # clock too), the board 4 from its restart (1 to 8 April under FOISA: Good Friday is not a
    # working day, Easter Monday is).
    assert cell(page, "all", "data-median") == "10 working days (over 3 responses with a date)"
    assert cell(page, "all", "data-date-unknown") == "1"
    assert cell(page, "all", "data-on-time-dated") == "2 of 3 (66.7%)"
    assert cell(page, "all", "data-on-time-counted") == "2 of 6 (33.3%)"
    assert cell(page, "all", "data-awaiting") == "2" and cell(page, "all", "data-overdue") == "1"
    assert cell(page, "icb", "data-rate") == "1 of 2 (50.0%)"
    assert cell(page, "icb", "data-overdue") == "1"
    assert cell(page, "nhs_trust", "data-rate") == "2 of 2 (100.0%)"
    assert cell(page, "nhs_trust", "data-sent") == "3"
    assert cell(page, "nhs_trust", "data-median") == "22 working days (over 1 response with a " \
                                                      "date)"
    assert cell(page, "nhs_trust", "data-late") == "1"
    assert cell(page, "health_board", "data-median") == "4 working days (over 1 response with " \
                                                         "a date)"
    # The hand-imported provider: Other, awaiting, not yet due; unknown, never 0.
    assert cell(page, "other", "data-rate") == "0 of 1 (0.0%)"
    assert cell(page, "other", "data-median") == "unknown (no first response with a date)"
    assert cell(page, "other", "data-on-time-dated") == "no figure (0 to count)"
    assert stats.OTHER_TYPE_LABEL in page
    assert 'data-exemption="Section 12 (FOIA, cost of compliance)"' in page
    # The chart: a bar per type and one in all, each an image with its figures in words.
    assert page.count('class="cradle-stat-bar"') == 5
    assert ('aria-label="All bodies, 6 requests counted: responded on time 2, responded late '
            '1, responded, date unknown 1, awaiting, not yet due 1, awaiting, overdue 1."'
            in page)
    assert "<script" not in page.split("</main>")[0].split("<main")[-1]
    for name, _ in stats.CSV_COLUMNS:
        assert f'data-column="{name}"' in page


def test_the_page_of_a_campaign_with_nothing_sent(staff):
    campaign = actions.create_campaign(name="Nothing sent", question_set="camhs-2019",
                                       letter_template=DEFAULT_LETTER, signatory="A",
                                       reply_to="a@example.org")
    page = staff.get(reverse("foi:statistics", args=[campaign.pk])).content.decode()
    assert "data-nothing-sent" in page and 'data-type="all"' not in page


def test_the_campaign_and_report_pages_link_to_it(staff, campaign):
    url = reverse("foi:statistics", args=[campaign.pk])
    for page in ("foi:campaign-detail", "foi:report"):
        assert f'href="{url}"' in staff.get(reverse(page, args=[campaign.pk])).content.decode()


def test_the_csv_has_a_row_per_type_then_all(staff, campaign):
    response = staff.get(reverse("foi:statistics-csv", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="statistics-test-' \
                                              'statistics.csv"'
    header, *lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == [name for name, _ in stats.CSV_COLUMNS]
    rows = {line[0]: dict(zip(header, line, strict=True)) for line in lines}
    assert [line[0] for line in lines] == ["icb", "nhs_trust", "health_board", "", "all"]
    total = rows["all"]
    assert (total["sent"], total["redirected"], total["counted"], total["responded"]) == (
        "7", "1", "6", "4")
    assert total["response_rate_pct"] == "66.7"
    assert total["median_working_days_to_first_response"] == "10"
    assert total["first_response_date_unknown"] == "1"
    assert (total["on_time"], total["late"], total["overdue"]) == ("2", "1", "1")
    assert total["refusals_by_exemption"] == "Section 12 (FOIA, cost of compliance): 1"
    assert total["as_of"] == "2026-06-01"
    other = rows[""]
    assert other["body_type_name"] == stats.OTHER_TYPE_LABEL
    assert other["median_working_days_to_first_response"] == ""  # no figure: blank, not 0
    assert other["on_time_pct_of_dated"] == ""


def test_only_foi_managers_see_it(client, campaign):
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    for name in ("foi:statistics", "foi:statistics-csv"):
        assert client.get(reverse(name, args=[campaign.pk])).status_code == 403
