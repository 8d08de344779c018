"""Issue 13, item 7: downloads that add up. The pooled downloads used to carry every figure as
text ("12", "*", "-3.5 to -1.2"), so an analyst's XLSX did not sum, a negative mean change came
out of the CSV as '-6.5, and intervals were one "a to b" cell. Now numbers are numbers,
intervals have their own lower and upper columns, and a hidden value is empty with a status
saying why."""

from __future__ import annotations

import csv
import io
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
