"""Planning pages and downloads through the test client, and an area profile's figures on a
small hand-made geography (added to the shipped reference data, rolled back after each test)."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from cradle.directory.models import Service, ServiceCoverage, ServiceStaffing, StatusChange
from cradle.foi import actions as foi_actions
from cradle.foi.models import ResponseRecord
from cradle.foi.questions import DEFAULT_LETTER
from cradle.geography.models import Area, LocalAuthorityOverlap, Population
from tests.foi_helpers import check_all

pytestmark = pytest.mark.django_db

# A synthetic Welsh health board (births 1,650: half the reference) made of council X (300
# children aged 0-2), and a team covering X and council Y (100, outside the board) with 4 WTE.
BOARD = ("lhb", "W11999901")


@pytest.fixture
def small_geography():
    board = Area.objects.create(scheme="lhb", code=BOARD[1], name="Synthetic Health Board",
                                nation="Wales")
    council_x = Area.objects.create(scheme="la", code="W06999901", name="Synthetic Council X",
                                    nation="Wales")
    council_y = Area.objects.create(scheme="la", code="W06999902", name="Synthetic Council Y",
                                    nation="Wales")
    for area, counts in ((board, (1650, 1600, 1600)), (council_x, (100, 100, 100)),
                         (council_y, (40, 30, 30))):
        for age, count in enumerate(counts):
            Population.objects.create(area=area, year=2020, age=age, count=count,
                                      method="la-union")
    LocalAuthorityOverlap.objects.create(area=board, local_authority=council_x, share_0_2=1)
    team = Service.objects.create(name="=Synthetic Parent-Infant Team", kind="team",
                                  nation="Wales")
    StatusChange.objects.create(service=team, status="operating",
                                effective_from=datetime.date(2019, 1, 1))
    for council in (council_x, council_y):
        ServiceCoverage.objects.create(service=team, area=council)
    ServiceStaffing.objects.create(service=team, profession="clinical_psychologist", wte=3)
    ServiceStaffing.objects.create(service=team, profession="administrator", wte=1)
    return board


def _url(name, area_key=BOARD):
    return reverse(f"planning:{name}", args=list(area_key))


def test_area_profile_figures_on_a_small_geography(client, small_geography):
    response = client.get(_url("area-profile"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-births="1650"' in html
    assert 'data-population-0-2="4850"' in html
    assert 'data-total-wte="3.67"' in html  # 0.17 + 0.50 + 1.00 + 4 x 0.50
    # Three quarters of the team's babies (300 of 400) live in the board: 3 of its 4 WTE.
    assert 'data-existing-wte="3.00"' in html
    assert 'data-gap-wte="0.67"' in html
    assert 'data-foi="none"' in html
    assert "Synthetic Parent-Infant Team" in html
    # The similar areas are other Welsh health boards, nearest in births.
    assert html.count("data-similar=") == 5


def test_profile_csv_has_the_figures_and_neutralises_formulas(client, small_geography):
    response = client.get(_url("area-csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    text = response.content.decode()
    assert "population,births a year,1650,babies" in text
    assert "sized team,total WTE,3.67,WTE" in text
    assert "gap,gap low,0.67,WTE" in text and "gap,gap high,0.67,WTE" in text
    assert "services,'=Synthetic Parent-Infant Team,4.00,WTE recorded" in text
    assert ",=Synthetic" not in text


def test_profile_xlsx_keeps_numbers_as_numbers_and_neutralises_formulas(client,
                                                                       small_geography):
    response = client.get(_url("area-xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {(row[0], row[1]): row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[("population", "births a year")] == 1650
    assert rows[("sized team", "total WTE")] == pytest.approx(3.67)
    assert ("services", "'=Synthetic Parent-Infant Team") in rows


def test_spec_pack_page_and_pdf(client, small_geography):
    page = client.get(_url("spec-pack"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "The service standard" in html and "Multidisciplinary, with a psychologist" in html
    assert "Rare Jewels" in html
    pdf = client.get(_url("spec-pack-pdf"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_foi_answers_show_on_the_profile_of_a_2019_ccg_once_checked(client):
    area = Area.objects.get(scheme="ccg2019", code="E38000001")
    campaign = foi_actions.create_campaign(
        name="Synthetic campaign", question_set="camhs-2019", letter_template=DEFAULT_LETTER,
        signatory="Cradle", reply_to="foi@example.org")
    ResponseRecord.objects.create(
        campaign=campaign, respondent_code=area.ods_code, respondent_type="ccg", area=area,
        received_on=datetime.date(2026, 1, 10), accepts_0_12m=True, accepts_12_24m=True,
        accepts_24_36m=True, referred_0_12m=2, referred_12_24m=3, referred_24_36m=4,
        accessed_0_12m=1, accessed_12_24m=2, accessed_24_36m=3, entered_by="a@example.org")
    url = _url("area-profile", ("ccg2019", "E38000001"))
    html = client.get(url).content.decode()
    assert "aged 2 and under were seen" not in html  # entered, not checked: in no figure
    assert "Synthetic campaign" not in html
    check_all(campaign)
    html = client.get(url).content.decode()
    assert "6 aged 2 and under were seen" in html
    assert "Synthetic campaign" in html


def test_national_picture_totals_trajectory_and_pace(client):
    response = client.get(reverse("planning:national"))
    html = response.content.decode()
    assert response.status_code == 200
    for teams in (27, 39, 45, 49, 51):
        assert f'data-milestone="{teams}"' in html
    totals = html.split("data-national-totals", 1)[1].split("</table>", 1)[0]
    assert totals.count('data-nation="') == 5  # four nations and the UK
    # Teams are planned for places: England's 106 sub-ICB locations of April 2024 (inside the
    # 36 ICBs of April 2026 that coverage is counted on), 7 LHBs, 14 health boards and 5 HSC
    # trusts need 132 teams; the latest published count is 51 (December 2025).
    assert 'data-teams-now="51"' in html
    assert 'data-teams-to-add="81"' in html
    assert "<svg" in html and "data-trajectory" in html


def test_gap_map_geojson_links_each_area_to_its_profile(client):
    body = json.loads(client.get(reverse("planning:gaps-geojson")).content)
    features = body["features"]
    assert len(features) == 132  # 106 sub-ICB locations of 2024 + 7 LHBs + 14 boards + 5 trusts
    first = features[0]["properties"]
    assert first["url"] == reverse("planning:area-profile", args=[first["scheme"],
                                                                  first["code"]])
    assert first["status"] in {"covered", "partly_covered", "not_covered"}
    assert first["shade"] in {"covered", "partly_covered", "specialists", "not_covered"}


def test_unknown_areas_are_not_found(client):
    assert client.get(_url("area-profile", ("lhb", "W11000000"))).status_code == 404
    assert client.get(_url("area-csv", ("nope", "X"))).status_code == 404


def test_plan_size_json_has_exactly_the_agreed_keys():
    out = io.StringIO()
    call_command("plan", "size", "--births", "3300", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert list(result) == ["births", "roles", "total_wte", "annual_cost"]
    assert result["births"] == 3300 and result["total_wte"] == 7.33
    assert all(list(role) == ["role", "wte"] for role in result["roles"])
    assert isinstance(result["annual_cost"], int)


def test_plan_size_on_cost_changes_the_cost_and_bad_births_are_an_error():
    def cost(*extra):
        out = io.StringIO()
        call_command("plan", "size", "--births", "3300", "--json", *extra, stdout=out)
        return json.loads(out.getvalue())["annual_cost"]

    assert cost("--on-cost", "0") < cost()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--births must be a whole number"):
        call_command("plan", "size", "--births", "many")


def test_synthetic_services_are_never_shown_or_counted(client, small_geography):
    Service.objects.filter(name="=Synthetic Parent-Infant Team").update(synthetic=True)
    html = client.get(_url("area-profile")).content.decode()
    assert "Synthetic Parent-Infant Team" not in html
    assert 'data-existing-wte="0.00"' in html
