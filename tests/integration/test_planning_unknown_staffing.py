"""Issue 13, item 6: unknown is not zero. A team in the register that has recorded no staffing
(every team of the shipped 2019 register) used to count as 0 WTE, so Leeds, a covered area,
was shown "0.00 WTE now" and the whole team as its gap. The pages, downloads, the national
totals and the specification pack now say "not recorded" and give the gap as a range."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cradle.directory.models import Service, ServiceStaffing
from cradle.geography.models import Area
from cradle.planning import plans

pytestmark = pytest.mark.django_db

LEEDS = ("subicb2022", "E38000225")  # NHS West Yorkshire ICB - 15F, covered by T15


def _get(client, name, key=LEEDS):
    response = client.get(reverse(f"planning:{name}", args=list(key)))
    assert response.status_code == 200
    return response


def test_leeds_profile_says_staffing_is_not_recorded_and_gives_the_gap_as_a_range(client):
    html = _get(client, "area-profile").content.decode()
    assert "Leeds Infant Mental Health Service" in html
    assert 'data-existing-wte="not recorded"' in html
    assert 'data-existing-wte="0.00"' not in html
    assert "<strong>Not recorded</strong>" in html
    plan = plans.scheme_plans(LEEDS[0], datetime.date.today())[LEEDS]
    needed = plan.needed_wte
    assert needed > 0 and plan.gap.low == 0 and plan.gap.high == needed
    assert f'data-gap-wte="0.00 to {needed:.2f}"' in html
    assert "£0 to £" in html  # the gap's cost is a range from nothing
    # The services table says so too, rather than 0.00 WTE counted.
    services = html[html.index("Services covering the area"):html.index("The gap")]
    assert "Not recorded" in services and ">0.00<" not in services


def test_leeds_downloads_leave_staffing_empty_and_give_both_ends_of_the_gap(client):
    plan = plans.scheme_plans(LEEDS[0], datetime.date.today())[LEEDS]
    text = _get(client, "area-csv").content.decode("utf-8-sig")
    rows = {(row[0], row[1]): row for row in csv.reader(io.StringIO(text))}
    existing = rows[("gap", "existing staffing")]
    assert existing[2] == "" and existing[4].startswith("not recorded")
    assert rows[("gap", "staffing recorded")][2] == "no"
    assert Decimal(rows[("gap", "gap low")][2]) == 0
    assert Decimal(rows[("gap", "gap high")][2]) == plan.needed_wte
    assert rows[("gap", "gap cost low")][2] == "0"
    service = rows[("services", "Leeds Infant Mental Health Service")]
    assert service[2] == "" and "staffing not recorded" in service[4]
    sheet = load_workbook(io.BytesIO(_get(client, "area-xlsx").content)).active
    cells = {(r[0], r[1]): r[2] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells[("gap", "existing staffing")] is None
    assert cells[("gap", "gap low")] == 0
    assert cells[("gap", "gap high")] == pytest.approx(float(plan.needed_wte))


def test_the_spec_pack_says_not_recorded(client):
    html = _get(client, "spec-pack").content.decode()
    assert "staffing is not recorded" in html
    assert "No team in Cradle's register provides staffing" not in html
    assert "0.00 WTE" not in html[html.index("data-staffing-now"):][:200]


def test_national_totals_count_areas_with_staffing_not_recorded_separately(client):
    html = client.get(reverse("planning:national")).content.decode()
    england = html[html.index('data-nation="England"'):]
    england = england[:england.index("</tr>")]
    # Every team of the shipped register has recorded no staffing: the areas they cover are
    # counted apart, and England's gap is a range.
    picture = plans.national_picture(datetime.date.today())
    totals = next(n for n in picture.nations if n.name == "England")
    assert totals.areas_staffing_not_recorded > 0
    assert f'data-areas-not-recorded="{totals.areas_staffing_not_recorded}"' in england
    assert totals.gap_low_wte < totals.gap_high_wte == totals.needed_wte
    assert f'data-gap-wte="{totals.gap_low_wte:.2f} to {totals.gap_high_wte:.2f}"' in england
    body = json.loads(client.get(reverse("planning:gaps-geojson")).content)
    # Today's gap map is of the places teams are planned for: the 2024 sub-ICB locations.
    leeds_2024 = Area.objects.get(scheme="subicb2024", ods_code="15F").code
    leeds = next(f["properties"] for f in body["features"]
                 if f["properties"]["code"] == leeds_2024)
    assert leeds["staffing_recorded"] is False and leeds["gap_wte"] is None
    assert leeds["gap_low_wte"] == 0 and "staffing not recorded" in leeds["status_in_words"]


def test_once_leeds_records_its_staffing_the_gap_is_one_figure_again(client):
    team = Service.objects.get(register_ref="T15")
    ServiceStaffing.objects.create(service=team, profession="clinical_psychologist", wte=2)
    html = _get(client, "area-profile").content.decode()
    plan = plans.scheme_plans(LEEDS[0], datetime.date.today())[LEEDS]
    assert plan.staffing_known and plan.existing_wte > 0
    assert f'data-existing-wte="{plan.existing_wte:.2f}"' in html
    assert f'data-gap-wte="{plan.gap.high:.2f}"' in html and not plan.gap.is_range


def test_the_pace_needed_by_2030_counts_from_the_day_asked(client):
    # The latest published count (49) is from 2025; the years left count from the day itself.
    pace = plans.national_picture(datetime.date(2026, 12, 1)).pace
    assert pace.counted_on < datetime.date(2026, 12, 1) and pace.today == datetime.date(2026, 12, 1)
    assert pace.years_left == Decimal("4.1")
    html = client.get(reverse("planning:national")).content.decode()
    assert "years left from today" in html
