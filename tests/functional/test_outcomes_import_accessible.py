"""The bulk import pages (upload with the column guide, the list of problems, and the dry-run
preview, with episodes and contacts too) meet WCAG 2.1 AA (axe-core) under the strict CSP."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.test import Client

from cradle.directory.models import Service
from tests.accounts_helpers import make_user, sign_in
from tests.functional.accessibility import assert_accessible

HEADER = "team_reference,referred_on,referrer_type,decision,decided_on\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(path: Path, day: datetime.date) -> Path:
    """Referrals, an ended episode with interventions, two contacts and a measure."""
    later = day + datetime.timedelta(days=1)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in (
        ("referrals", [("team_reference", "referred_on", "referrer_type"), ("ACC-1", day, "gp")]),
        ("episodes", [("team_reference", "started_on", "referred_on", "ended_on",
                       "discharge_reason", "interventions"),
                      ("ACC-1", day, day, later, "planned", "vig;mellow")]),
        ("contacts", [("team_reference", "episode_started_on", "on", "mode", "outcome",
                       "minutes", "caregivers_attended", "baby_attended"),
                      ("ACC-1", day, day, "video", "attended", 50, "yes", "yes"),
                      ("ACC-1", day, later, "phone", "did_not_attend", 0, "no", "no")]),
        ("measures", [("team_reference", "instrument", "timepoint", "administered_on",
                       "total"), ("ACC-1", "phq9", "baseline", day, 12)]),
    ):
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.browser
def test_import_pages_are_accessible(reference_geography, browser_page, browser_errors,
                                     live_server, monkeypatch, settings, tmp_path):
    monkeypatch.setenv("CRADLE_PSEUDONYM_KEY", "a test pseudonym key that is long enough ok")
    settings.CRADLE_IMPORT_STAGING_DIR = tmp_path / "staging"
    team = Service.objects.get(register_ref="T15")
    user = make_user("practitioner@example.org", team=team)
    client = sign_in(Client(), user)
    browser_page.context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value,
        "url": live_server.url}])
    page = browser_page
    day = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"ACC-1,{day},neighbour,,\nACC-2,soon,gp,accepted,\n")
    good = tmp_path / "good.csv"
    good.write_text(HEADER + f"ACC-1,{day},gp,accepted,{day}\n")

    def check(path: Path | None):
        if path is not None:
            page.set_input_files("#id_file", files=[{
                "name": path.name, "mimeType": XLSX if path.suffix == ".xlsx" else "text/csv",
                "buffer": path.read_bytes()}])
            page.click("form[enctype] button[type=submit]")
            page.wait_for_load_state("networkidle")
        page.locator("header.nhsuk-header[data-nhsuk-header-init]").wait_for(state="attached")
        assert page.locator("h1").count() == 1
        assert_accessible(page)

    page.goto(f"/outcomes/teams/{team.pk}/import/", wait_until="networkidle")
    check(None)
    check(bad)
    assert page.locator("#problems").count() == 1, page.locator("main").inner_text()[:600]
    check(good)
    assert page.locator("[data-count=referrals]").count() == 1
    page.goto(f"/outcomes/teams/{team.pk}/import/", wait_until="networkidle")
    check(workbook(tmp_path / "full.xlsx", datetime.date.today() - datetime.timedelta(days=4)))
    assert page.locator("#first-episodes").count() == 1, page.locator("main").inner_text()[:600]
    assert page.locator("#first-contacts").count() == 1

    # Imported, then the same workbook again: every row is listed as already held.
    token = page.locator("input[name=token]").get_attribute("value")
    page.click("text=Import these records")
    page.wait_for_load_state("networkidle")
    page.goto(f"/outcomes/teams/{team.pk}/import/", wait_until="networkidle")
    check(tmp_path / "full.xlsx")
    assert page.locator("#held").count() == 1, page.locator("main").inner_text()[:600]

    # A second confirmation of the import already written: told so, with a link.
    page.goto(f"/outcomes/teams/{team.pk}/import/", wait_until="networkidle")
    page.evaluate("""token => {
        const form = document.querySelector("form[enctype]");
        form.removeAttribute("enctype");
        form.action = location.pathname + "confirm/";
        const input = document.createElement("input");
        input.type = "hidden"; input.name = "token"; input.value = token;
        form.appendChild(input);
    }""", token)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    check(None)
    assert page.locator("[data-already-imported]").count() == 1, (
        page.locator("main").inner_text()[:600])
    # The file with problems is answered 400 on purpose (as invalid forms are), and the repeated
    # confirmation 409.
    unexpected = [e for e in browser_errors if "400" not in e and "409" not in e]
    assert unexpected == [], "\n".join(unexpected)
