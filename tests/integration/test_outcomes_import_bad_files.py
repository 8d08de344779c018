"""Bad files get a clear refusal, never an error page or a silent loss: a stale <dimension>
drops no rows, a file over the row cap is refused before its rows are checked, XML entity
tricks are refused unexpanded, and NUL bytes, 30-digit numbers and out-of-range years are
named by row and column. Each test performs the attack through the import page."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from cradle.outcomes.bulk import limits
from cradle.outcomes.models import Case, Contact, MeasureAdministration, Referral
from tests.outcomes_helpers import confirm_import, upload_import, xlsx_bytes

pytestmark = pytest.mark.django_db

DAY = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
HEADER = ("team_reference", "referred_on", "referrer_type")
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(autouse=True)
def staging(settings, tmp_path):
    settings.CRADLE_IMPORT_STAGING_DIR = tmp_path / "staging"


def rezip(data: bytes, part: str, change) -> bytes:
    """The workbook with one part's XML changed by `change(bytes) -> bytes`, or a part added
    (`change(None)`)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            body = source.read(name)
            target.writestr(name, change(body) if name == part else body)
        if part not in source.namelist():
            target.writestr(part, change(None))
    return out.getvalue()


def referrals_book(n: int, prefix: str = "BAD") -> bytes:
    return xlsx_bytes({"referrals": [HEADER] + [(f"{prefix}-{i}", DAY, "gp")
                                                for i in range(n)]})


def refused(response, message: str) -> str:
    page = response.content.decode()
    assert response.status_code == 400, page
    assert message.lower() in page.lower(), page
    assert "Import these records" not in page
    return page


# A stale <dimension> -----------------------------------------------------------------------

def test_a_stale_dimension_drops_no_rows(signed_in, team):
    """The sheet says it ends at C3 (two records); it holds ten, and all ten are imported.
    (openpyxl's read-only mode stops at the stated dimension; the preview then said every
    row passed while seven were never read.)"""
    data = referrals_book(10)
    assert b'<dimension ref="A1:C11"' in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    data = rezip(data, SHEET, lambda xml: xml.replace(b'<dimension ref="A1:C11"',
                                                      b'<dimension ref="A1:C3"'))
    response = upload_import(signed_in, team, "stale.xlsx", data)
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "Every one of the 10 rows passed" in page and 'data-count="referrals">10,' in page
    assert confirm_import(signed_in, team, page).status_code == 302
    assert Referral.objects.filter(case__team=team, case__team_reference__startswith="BAD-"
                                   ).count() == 10


# The row cap -------------------------------------------------------------------------------

# (A CSV file over the row cap is checked in the background: test_outcomes_import_background.)


def test_a_workbook_over_the_row_cap_is_refused(signed_in, team):
    """Checked in the background (it is over the in-request size), and refused there."""
    from cradle.jobs.models import Job, JobState

    response = upload_import(signed_in, team, "big.xlsx",
                             referrals_book(limits.MAX_WORKBOOK_ROWS + 1))
    assert response.status_code == 302
    job = Job.objects.get(pk=response["Location"].split("/")[2])
    assert job.state == JobState.FAILED
    assert "more than 10,000 rows of records" in job.error and "save it as CSV" in job.error
    assert not Case.objects.filter(team_reference__startswith="BAD-").exists()


def test_a_workbook_of_far_more_rows_is_refused_before_it_is_parsed(signed_in, team,
                                                                    monkeypatch):
    """The review's 300,000-row workbook (62 s, 745 MB) in small: its sheets' XML is counted
    before openpyxl opens it, which is never asked to."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("referrals")
    sheet.append(list(HEADER))
    for i in range(limits.MAX_ROW_ELEMENTS + 1):
        sheet.append([f"MANY-{i}", DAY, "gp"])
    buffer = io.BytesIO()
    book.save(buffer)
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(1))
    refused(upload_import(signed_in, team, "many.xlsx", buffer.getvalue()),
            "sheets have more than 20,000 rows, counting empty rows")
    assert opened == []


def test_the_limits_are_stated_in_the_guide(signed_in, team):
    import openpyxl
    from django.urls import reverse

    page = signed_in.get(reverse("outcomes:team-import", args=[team.pk])).content.decode()
    assert ("A CSV file may hold up to 250,000 rows of records and a workbook up to 10,000 "
            "(every sheet together), and a file may be up to 100 MB") in page
    book = openpyxl.load_workbook(io.BytesIO(signed_in.get(reverse(
        "outcomes:team-import-template-xlsx", args=[team.pk])).content), read_only=True)
    notes = [row for row in book["guide"].iter_rows(values_only=True) if row and
             row[0] == "limits"]
    assert notes and "250,000 rows" in notes[0][3] and "10,000" in notes[0][3]


# XML entity tricks and archive bombs -------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
"""


def with_doctype(doctype: bytes, reference: bytes):
    """Put the DOCTYPE before the sheet and the entity reference in cell A2."""
    def change(xml: bytes) -> bytes:
        xml = xml.replace(b"<t>BAD-0</t>", b"<t>" + reference + b"</t>")
        return doctype + xml
    return change


def test_a_billion_laughs_workbook_is_refused_unexpanded(signed_in, team):
    data = rezip(referrals_book(1), SHEET, with_doctype(BILLION_LAUGHS, b"&lol9;"))
    page = refused(upload_import(signed_in, team, "laughs.xlsx", data),
                   "The workbook holds XML entity or document type declarations")
    assert "lollol" not in page


def test_an_external_entity_workbook_reads_no_file(signed_in, team, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doctype = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://'
               + str(secret).encode() + b'">]>')
    data = rezip(referrals_book(1), SHEET, with_doctype(doctype, b"&xxe;"))
    page = refused(upload_import(signed_in, team, "xxe.xlsx", data),
                   "The workbook holds XML entity or document type declarations")
    assert "TOP-SECRET-CONTENT" not in page
    assert not Case.objects.filter(team_reference__contains="SECRET").exists()


def test_entities_in_the_workbook_part_are_refused_too(signed_in, team):
    data = rezip(referrals_book(1), "xl/workbook.xml",
                 lambda xml: BILLION_LAUGHS + xml.split(b"?>", 1)[-1])
    refused(upload_import(signed_in, team, "laughs.xlsx", data),
            "The workbook holds XML entity or document type declarations")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(signed_in, team):
    data = rezip(referrals_book(1), "xl/media/padding.bin", lambda _none: bytes(4_000_000))
    assert len(data) < 100_000
    refused(upload_import(signed_in, team, "bomb.xlsx", data), "The workbook unpacks to more")


@pytest.mark.parametrize("change", [
    lambda xml: xml.replace(b'r="A2"', b'r="A-1"'),  # a cell reference no sheet has
    lambda xml: xml.replace(b"<sheetData>", b"<sheetData><row r=\"x\">"),  # broken XML
    lambda xml: xml.replace(b't="inlineStr"><is><t>BAD-0</t></is>',
                            b't="s"><v>99</v>'),  # a shared string that does not exist
    lambda xml: xml.replace(b't="inlineStr"><is><t>BAD-0</t></is>',
                            b"><v>" + b"9" * 5000 + b"</v>"),  # a number Python will not read
], ids=["cell-reference", "broken-xml", "missing-shared-string", "5000-digit-number"])
def test_a_malformed_workbook_is_refused_not_an_error(signed_in, team, change):
    data = rezip(referrals_book(2), SHEET, change)
    refused(upload_import(signed_in, team, "odd.xlsx", data),
            "The file is not an Excel workbook Cradle can read")


# NUL bytes, huge numbers, out-of-range years -----------------------------------------------

def test_nul_bytes_in_a_csv_file_are_refused(signed_in, team):
    data = f"{','.join(HEADER)}\nNUL-1\x00,{DAY},gp\n".encode()
    refused(upload_import(signed_in, team, "nul.csv", data, holds="referrals"),
            "The file holds NUL bytes, so it is not CSV UTF-8 text")
    utf16 = f"{','.join(HEADER)}\nNUL-2,{DAY},gp\n".encode("utf-16-le")
    refused(upload_import(signed_in, team, "utf16.csv", utf16, holds="referrals"),
            "NUL bytes")
    assert not Case.objects.filter(team_reference__startswith="NUL").exists()


def test_a_nul_character_reference_in_a_workbook_is_refused(signed_in, team):
    """XML cannot hold a NUL character, even as &#0;: the workbook is refused as unreadable
    (it never reaches the database, which would refuse it)."""
    data = rezip(referrals_book(2), SHEET,
                 lambda xml: xml.replace(b"<t>BAD-1</t>", b"<t>BAD&#0;1</t>"))
    refused(upload_import(signed_in, team, "nul.xlsx", data),
            "The file is not an Excel workbook Cradle can read")
    assert not Case.objects.filter(team_reference__startswith="BAD").exists()


@pytest.mark.parametrize("holds,header,row,column", [
    ("contacts", "team_reference,episode_started_on,on,mode,outcome,minutes",
     f"X-1,{DAY},{DAY},video,attended,{'1' * 30}", "minutes"),
    ("measures", "team_reference,instrument,timepoint,administered_on,total",
     f"X-1,asqse2,baseline,{DAY},{'9' * 30}", "total"),
    ("measures", "team_reference,instrument,timepoint,administered_on,item_1",
     f"X-1,phq9,baseline,{DAY},{'9' * 30}", "item_1"),
    ("referrals", "team_reference,referred_on,referrer_type,caregiver_1_relationship,"
     "caregiver_1_age", f"X-1,{DAY},gp,mother,{'2' * 30}", "caregiver_1_age"),
    ("measures", "team_reference,instrument,timepoint,administered_on,total",
     f"X-1,asqse2,baseline,{DAY},1e308", "total"),
], ids=["contact-minutes", "open-ended-total", "item", "caregiver-age", "1e308"])
def test_a_30_digit_number_is_named_by_row_and_column(signed_in, team, holds, header, row,
                                                      column):
    page = refused(upload_import(signed_in, team, "n.csv", f"{header}\n{row}\n".encode(),
                                 holds=holds), "the number is too large")
    assert f'data-problem-row="2" data-problem-column="{column}"' in page
    assert "1" * 30 not in page and "9" * 30 not in page and "2" * 30 not in page


def test_a_30_digit_number_cell_in_a_workbook_is_named_too(signed_in, team):
    data = xlsx_bytes({"measures": [
        ("team_reference", "instrument", "timepoint", "administered_on", "total"),
        ("X-1", "asqse2", "baseline", DAY, 10 ** 30)]})
    page = refused(upload_import(signed_in, team, "n.xlsx", data), "the number is too large")
    assert 'data-problem-column="total"' in page
    assert not MeasureAdministration.objects.filter(case__team=team).exists()


@pytest.mark.parametrize("day,message", [
    ("0001-01-01", "the year is out of range: give a date from 1900 on"),
    ("1066-10-14", "the year is out of range"),
    ("31/12/0999", "the year is out of range"),
    ("0000-01-01", "there is no such date"),
    ("99999-01-01", "give a date as YYYY-MM-DD"),
    ("2025-02-30", "there is no such date"),
])
def test_an_out_of_range_year_is_named_by_row_and_column(signed_in, team, day, message):
    data = f"{','.join(HEADER)}\nY-1,{day},gp\n".encode()
    page = refused(upload_import(signed_in, team, "y.csv", data, holds="referrals"), message)
    assert 'data-problem-row="2" data-problem-column="referred_on"' in page


def test_out_of_range_date_cells_in_a_workbook_are_named(signed_in, team):
    """A date cell of 1800, and a date-formatted cell whose serial number no date has."""
    data = xlsx_bytes({"contacts": [
        ("team_reference", "episode_started_on", "on", "mode", "outcome"),
        ("Y-1", datetime.date(1800, 1, 1), datetime.date(1800, 1, 2), "video", "attended"),
        ("Y-1", datetime.date(2024, 1, 1), datetime.date(2024, 1, 2), "video", "attended")]})
    data = rezip(data, SHEET, lambda xml: xml.replace(
        xml[xml.index(b'<c r="C3"'):xml.index(b"</c>", xml.index(b'<c r="C3"')) + 4],
        xml[xml.index(b'<c r="C3"'):xml.index(b"<v>", xml.index(b'<c r="C3"'))]
        + b"<v>99999999999</v></c>"))
    page = refused(upload_import(signed_in, team, "d.xlsx", data), "the year is out of range")
    assert 'data-problem-row="2" data-problem-column="episode_started_on"' in page
    assert 'data-problem-row="3" data-problem-column="on"' in page
    assert not Contact.objects.filter(episode__case__team=team).exists()
