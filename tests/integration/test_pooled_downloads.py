"""Issue 13, item 7: downloads that add up. The pooled downloads used to carry every figure as
text ("12", "*", "-3.5 to -1.2"), so an analyst's XLSX did not sum, a negative mean change came
out of the CSV as '-6.5, and intervals were one "a to b" cell. Now numbers are numbers,
intervals have their own lower and upper columns, and a hidden value is empty with a status
saying why."""

from __future__ import annotations

import csv
import html
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cradle.directory.models import Service
from tests.accounts_helpers import make_user, sign_in
from tests.pooled_helpers import record

pytestmark = pytest.mark.django_db
YEAR = {"year": 2025}


@pytest.fixture
def teams():
    leeds, bradford = (Service.objects.get(register_ref=ref) for ref in ("T15", "T16"))
    record(leeds, cases=12, referrer="health_visitor", improved=9)
    record(bradford, cases=3, referrer="gp", improved=1)
    return leeds, bradford


def xlsx_table(response) -> list[dict]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def csv_table(response) -> list[dict]:
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


NUMERIC = ("value", "lower", "upper", "percent")


def test_an_analysts_xlsx_sums_in_a_spreadsheet(client, teams):
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    table = xlsx_table(client.get(reverse("pooled:report-download", args=["xlsx"]), YEAR))
    for row in table:
        for column in NUMERIC:
            assert row[column] is None or isinstance(row[column], int | float), (row, column)
    referrers = [row for row in table if row["section"] == "Who referred"]
    total = next(row["value"] for row in referrers if row["item"] == "Total")
    assert total == 15
    assert sum(row["value"] for row in referrers if row["item"] != "Total") == total
    percents = [row["percent"] for row in referrers if row["item"] != "Total"]
    assert sum(percents) == pytest.approx(100, abs=0.2)
    change = next(row for row in table if row["item"] == "mean change")
    assert change["value"] < 0 and change["lower"] < change["value"] < change["upper"]
    assert change["interval"] == "95% confidence interval"
    median = next(row for row in table if row["item"].startswith("Median wait"))
    assert median["interval"] == "lower and upper quartile"
    assert median["lower"] <= median["value"] <= median["upper"]


def test_protected_csv_numbers_are_plain_and_hidden_cells_empty_with_a_reason(client, teams):
    sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))
    response = client.get(reverse("pooled:report-download", args=["csv"]), YEAR)
    text = response.content.decode("utf-8-sig")
    assert "'-" not in text  # a negative number is never prefixed with an apostrophe
    table = csv_table(response)
    assert "*" not in {row[column] for row in table for column in NUMERIC}
    for row in table:
        for column in NUMERIC:
            if row[column]:
                Decimal(row[column])  # parses as a number
    hidden = [row for row in table if row["value"] == ""]
    assert hidden and all(row["status"] for row in hidden)
    gp = next(row for row in table if row["section"] == "Who referred" and row["item"] == "GP")
    assert gp["value"] == "" and gp["status"].startswith("suppressed: a count from 1 to 7")
    shown = [row for row in table if row["value"] != ""]
    assert all(row["status"] == "" or row["status"].startswith(("percent", "interval"))
               for row in shown)
    change = next(row for row in table if row["item"] == "mean change")
    if change["value"]:
        assert Decimal(change["value"]) < 0 and change["lower"] and change["upper"]
    else:
        assert change["status"].startswith("withheld")


DOWNLOAD_HREF = re.compile(r'href="([^"]+\.(?:csv|xlsx|json)(?:\?[^"]*)?)"')
CONTENT_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats",
                 "json": "application/json"}


def walk_download_links(client, page_url, query=None) -> list[str]:
    """Every download link on a page, fetched by the same reader: each must be a download."""
    page = client.get(page_url, query or {})
    assert page.status_code == 200, page_url
    links = [html.unescape(href) for href in DOWNLOAD_HREF.findall(page.content.decode())]
    for href in links:
        response = client.get(href)
        assert response.status_code == 200, (page_url, href, response.status_code)
        file_format = href.split("?")[0].rsplit(".", 1)[1]
        assert response["Content-Type"].startswith(CONTENT_TYPES[file_format]), href
    return links


@pytest.mark.parametrize("year", [None, 2025])
def test_every_download_link_on_every_pooled_page_is_a_real_download(client, teams, year):
    from cradle.accounts.models import CommissionerArea

    query = {"year": year} if year else {}
    leeds, _bradford = teams
    links = walk_download_links(client, reverse("pooled:public"), query)
    assert len(links) == 3
    # An analyst's page, unprotected, also points to protected downloads: they exist.
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    links = walk_download_links(client, reverse("pooled:report"), query)
    assert len(links) == 6 and sum("report-protected." in link for link in links) == 3
    client.logout()
    sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))
    assert len(walk_download_links(client, reverse("pooled:report"), query)) == 3
    client.logout()
    commissioner = make_user("commissioner@example.org")
    area = leeds.coverage.select_related("area").first().area
    CommissionerArea.objects.create(user=commissioner, area=area)
    sign_in(client, commissioner)
    assert len(walk_download_links(client, reverse("pooled:report"),
                                   {**query, "area": f"{area.scheme}:{area.code}"})) == 3
    client.logout()
    # A team's dashboard has downloads of its own figures, and points to protected ones.
    sign_in(client, make_user("practitioner@example.org", team=leeds))
    links = walk_download_links(client, reverse("pooled:team", args=[leeds.pk]), query)
    assert len(links) == 6 and sum(f"/teams/{leeds.pk}/report." in link
                                   for link in links) == 3


def test_a_teams_downloads_are_its_own_figures_for_its_own_members_only(client, teams):
    leeds, bradford = teams
    sign_in(client, make_user("practitioner@example.org", team=leeds))
    table = xlsx_table(client.get(reverse("pooled:team-download", args=[leeds.pk, "xlsx"]),
                                  YEAR))
    referrals = next(row for row in table if row["item"] == "Referrals")
    assert referrals["value"] == 12 and referrals["teams_pooled"] == 1  # its own, exact
    assert all(row["protected"] == "no" for row in table)
    payload = client.get(reverse("pooled:team-download", args=[leeds.pk, "json"]), YEAR).json()
    assert payload["teams_pooled"] == 1
    for file_format in ("csv", "xlsx", "json"):
        response = client.get(reverse("pooled:team-download", args=[bradford.pk, file_format]),
                              YEAR)
        assert response.status_code == 404, file_format
    client.logout()
    response = client.get(reverse("pooled:team-download", args=[leeds.pk, "csv"]), YEAR)
    assert response.status_code == 302  # signed out: to the sign-in page
    sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))
    assert client.get(reverse("pooled:team-download", args=[leeds.pk, "csv"]),
                      YEAR).status_code in (403, 404)


def test_the_protected_download_is_the_pages_protected_report(client, teams):
    """The analysts' protected download is built by releases.protected_report, as the
    coordinator's page and download are: the same figures, byte for byte."""
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    analyst = client.get(reverse("pooled:report-protected-download", args=["csv"]), YEAR)
    client.logout()
    sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))
    coordinator = client.get(reverse("pooled:report-download", args=["csv"]), YEAR)
    assert analyst.status_code == coordinator.status_code == 200
    assert analyst.content == coordinator.content
    assert "yes" in {row["protected"] for row in csv_table(analyst)}


def test_json_numbers_are_numbers_and_hidden_ones_null_with_the_reason_beside(client, teams):
    sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))
    payload = client.get(reverse("pooled:report-download", args=["json"]), YEAR).json()
    referrers = next(s for s in payload["sections"] if s["key"] == "referrers")
    rows = {row["label"]: row for row in referrers["rows"]}
    assert rows["GP"]["count"] is None and rows["GP"]["count_status"].startswith("suppressed")
    assert rows["GP"]["percent"] is None and rows["GP"]["percent_status"]
    shown = rows["Health visitor"]
    assert isinstance(shown["count"], int) and shown["count_status"] == ""
    assert isinstance(shown["percent"], float) and isinstance(referrers["total"], int)
    every = [value for section in payload["sections"] for row in section["rows"]
             for key, value in row.items() if key in ("count", "percent")]
    every += [value for figure in payload["figures"] for key, value in figure.items()
              if key in ("value", "people", "quartiles_lower", "quartiles_upper")]
    every += [value for outcome in payload["outcomes"] for key, value in outcome.items()
              if key not in ("code", "name", "direction") and not key.endswith("_status")]
    assert every and all(value is None or isinstance(value, int | float) for value in every)
    (phq9,) = payload["outcomes"]
    for field in ("mean_change_ci", "effect_size_ci"):
        assert f"{field}_lower" in phq9 and f"{field}_upper" in phq9 and field not in phq9
    for key, value in phq9.items():
        if key.endswith("_status") or value is not None or key in ("code", "name"):
            continue
        assert phq9[key.removesuffix("_lower").removesuffix("_upper") + "_status"], key
