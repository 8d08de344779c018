"""Nothing is written twice: concurrent confirmations of one staged import write it once (the
others are told it is already imported), and rows Cradle already holds are recognised in the
preview by each kind's natural key and skipped (bulk/held.py)."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cradle.directory.models import Service
from cradle.outcomes import actions
from cradle.outcomes.models import (
    Case,
    Contact,
    Episode,
    MeasureAdministration,
    Referral,
    StagedImport,
)
from tests.accounts_helpers import make_user, sign_in
from tests.outcomes_helpers import confirm_import, upload_import, xlsx_bytes

TODAY = datetime.date.today()
REFERRED = TODAY - datetime.timedelta(days=90)
STARTED = TODAY - datetime.timedelta(days=80)
RECORDS = (Case, Referral, Episode, Contact, MeasureAdministration)

REFERRAL_HEADER = ("team_reference", "referred_on", "referrer_type")
EPISODE_HEADER = ("team_reference", "started_on", "referred_on")
CONTACT_HEADER = ("team_reference", "episode_started_on", "on", "mode", "outcome", "minutes",
                  "caregivers_attended")
MEASURE_HEADER = ("team_reference", "instrument", "timepoint", "administered_on", "total")


@pytest.fixture(autouse=True)
def staging(settings, tmp_path):
    settings.CRADLE_IMPORT_STAGING_DIR = tmp_path / "staging"


def counts():
    return {model.__name__: model.objects.count() for model in RECORDS}


def days(n: int) -> datetime.date:
    return STARTED + datetime.timedelta(days=n)


def token_of(page: str) -> str:
    return page.split('name="token" value="')[1].split('"')[0]


def referrals_file(n: int, prefix: str = "RUN") -> bytes:
    return xlsx_bytes({"referrals": [REFERRAL_HEADER] + [
        (f"{prefix}-{i}", REFERRED, "gp") for i in range(n)]})


# Concurrent confirmations ----------------------------------------------------------------

@pytest.mark.skipif("connection.vendor != 'postgresql'",
                    reason="the SQLite test database is in memory (shared cache), where a "
                    "second connection is refused a locked table instead of waiting: on "
                    "SQLite the next test runs the attack against a database file")
@pytest.mark.django_db(transaction=True)
def test_three_simultaneous_confirms_write_the_import_once():
    """Three confirmations of one staged import at once, each on its own connection: one
    imports the 300 referrals (of cases Cradle has, so no unique constraint would stop a
    second copy), the other two are told it is already imported."""
    team = Service.objects.create(name="Concurrency test team", kind="team", nation="england")
    Case.objects.bulk_create([Case(team=team, team_reference=f"RUN-{i}") for i in range(300)])
    user = make_user("concurrent@example.org", team=team)
    browser = sign_in(Client(), user)
    page = upload_import(browser, team, "last-year.xlsx", referrals_file(300)).content.decode()
    token = token_of(page)
    url = reverse("outcomes:team-import-confirm", args=[team.pk])
    start = threading.Barrier(3)
    responses, errors = [], []

    def confirm() -> None:
        try:
            client = Client()
            client.cookies = browser.cookies  # the same signed-in session, as three tabs
            start.wait()
            responses.append(client.post(url, {"token": token}))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r.status_code for r in responses) == [302, 409, 409]
    assert Referral.objects.filter(case__team=team).count() == 300
    for response in responses:
        if response.status_code == 409:
            text = response.content.decode()
            assert "already been imported" in text
            assert "Imported 300 referrals; 0 new cases." in text
            assert reverse("outcomes:team", args=[team.pk]) in text
    assert StagedImport.objects.get(token=token).state == StagedImport.IMPORTED


@pytest.mark.skipif("connection.vendor == 'postgresql'",
                    reason="run on PostgreSQL by the test above; this one is SQLite's")
def test_three_simultaneous_confirms_write_once_on_a_sqlite_file(tmp_path):
    """The same attack on SQLite as deployed (a file, where connections wait for the write
    lock), in a process of its own: 1,000 referrals written once, two told it is done."""
    script = Path(__file__).with_name("outcomes_concurrent_confirms.py")
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cradle.sqlite3'}",
                   "CRADLE_VAR_DIR": str(tmp_path), "CRADLE_DEBUG": "1"}
    finished = subprocess.run([sys.executable, str(script), "1000"], env=environment,
                              capture_output=True, text=True, timeout=600, check=False)
    assert finished.returncode == 0, finished.stderr[-2000:]
    outcome = json.loads(finished.stdout.strip().splitlines()[-1])
    assert outcome == {"results": [["already imported", 1000], ["already imported", 1000],
                                   ["imported", 1000]], "referrals": 1000}


@pytest.mark.django_db
def test_a_confirmation_that_loses_the_claim_writes_nothing(signed_in, team, tmp_path):
    """The race replayed one step at a time (so on SQLite too): another confirmation has
    claimed the import while this one was on its way; its file is still on the server, yet
    nothing is written again and the user is told it is already imported."""
    page = upload_import(signed_in, team, "f.xlsx", referrals_file(5)).content.decode()
    assert confirm_import(signed_in, team, page).status_code == 302
    before = counts()
    # A second tab of the same session, which had the preview open, confirms again.
    session = signed_in.session
    session["outcomes_import"] = {"team": team.pk, "token": token_of(page)}
    session.save()
    response = confirm_import(signed_in, team, page)
    assert response.status_code == 409
    text = response.content.decode()
    assert "This file has already been imported: Imported 5 referrals; 5 new cases." in text
    assert counts() == before
    assert list((tmp_path / "staging").glob("*.json")) == []  # nothing left waiting


@pytest.mark.django_db
def test_a_claimed_but_unwritten_import_is_not_written_by_a_second_confirmation(
        signed_in, team, tmp_path):
    """The staged row says imported (a concurrent confirmation holds it) while the staged
    file is still there: the old code, which trusted the file, would import it again."""
    page = upload_import(signed_in, team, "f.xlsx", referrals_file(4)).content.decode()
    StagedImport.objects.filter(token=token_of(page)).update(state=StagedImport.IMPORTED)
    before = counts()
    response = confirm_import(signed_in, team, page)
    assert response.status_code == 409 and "already been imported" in response.content.decode()
    assert counts() == before
    assert list((tmp_path / "staging").glob("*.json")) == []


@pytest.mark.django_db
def test_another_users_token_imports_nothing(signed_in, team, client):
    page = upload_import(signed_in, team, "f.xlsx", referrals_file(2)).content.decode()
    other = sign_in(Client(), make_user("colleague@example.org", team=team))
    before = counts()
    response = confirm_import(other, team, page)
    assert response.status_code == 400 and "upload the file again" in response.content.decode()
    assert counts() == before


@pytest.mark.django_db
def test_a_failed_import_stays_staged(signed_in, team, practitioner):
    """A re-plan that finds a problem rolls the claim back with everything else."""
    page = upload_import(signed_in, team, "f.xlsx", xlsx_bytes({"episodes": [
        EPISODE_HEADER, ("GONE-1", STARTED, "")]})).content.decode()
    assert "Import these records" not in page  # the case does not exist: refused outright
    case = actions.create_case(user=practitioner, team=team, team_reference="GONE-2")
    page = upload_import(signed_in, team, "f.xlsx", xlsx_bytes({"episodes": [
        EPISODE_HEADER, ("GONE-2", STARTED, "")]})).content.decode()
    case.delete()
    response = confirm_import(signed_in, team, page)
    assert response.status_code == 400
    assert StagedImport.objects.get(token=token_of(page)).state == StagedImport.STAGED


# Re-importing rows Cradle already holds ----------------------------------------------------

def full_file(prefix: str = "HELD") -> bytes:
    return xlsx_bytes({
        "referrals": [REFERRAL_HEADER, (f"{prefix}-1", REFERRED, "gp"),
                      (f"{prefix}-2", REFERRED, "health_visitor")],
        "episodes": [EPISODE_HEADER, (f"{prefix}-1", STARTED, REFERRED),
                     (f"{prefix}-2", STARTED, "")],
        "contacts": [CONTACT_HEADER, (f"{prefix}-1", STARTED, days(1), "video", "attended", 50, "yes"),
                     (f"{prefix}-1", STARTED, days(8), "phone", "attended", 20, "yes"),
                     (f"{prefix}-2", STARTED, days(2), "home_visit", "attended", 60, "yes")],
        "measures": [MEASURE_HEADER, (f"{prefix}-1", "phq9", "baseline", STARTED, 14),
                     (f"{prefix}-2", "gad7", "baseline", STARTED, 9)],
    })


def held_count(page: str, kind: str) -> int:
    return int(page.split(f'data-count="held_{kind}">')[1].split("<")[0])


@pytest.mark.django_db
def test_reimporting_the_same_file_shows_every_row_as_held_and_adds_nothing(signed_in, team):
    page = upload_import(signed_in, team, "f.xlsx", full_file()).content.decode()
    assert "Already in Cradle" not in page
    assert confirm_import(signed_in, team, page).status_code == 302
    before = counts()
    assert before["Referral"] >= 2 and before["Contact"] >= 3

    response = upload_import(signed_in, team, "f.xlsx", full_file())
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "Already in Cradle: skipped" in page and 'data-count="held">9 rows' in page
    assert [held_count(page, kind) for kind in ("referrals", "episodes", "contacts",
                                                "measures")] == [2, 2, 3, 2]
    for kind in ("cases", "referrals", "episodes", "contacts", "measures"):
        assert f'data-count="{kind}">0' in page, kind
    response = confirm_import(signed_in, team, page)
    assert response.status_code == 302
    assert counts() == before
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[-1:] == ["Imported no records; 0 new cases. Skipped 9 rows Cradle already "
                        "holds."]


@pytest.mark.django_db
def test_an_overlapping_file_adds_only_the_new_rows(signed_in, team):
    """Last month's file again with this month's rows added: the held rows are skipped, the
    new ones (of held cases and episodes) are added and linked to what Cradle holds."""
    page = upload_import(signed_in, team, "f.xlsx", full_file("OVL")).content.decode()
    assert confirm_import(signed_in, team, page).status_code == 302
    episode = Episode.objects.get(case__team=team, case__team_reference="OVL-1")
    before = counts()
    grown = xlsx_bytes({
        "referrals": [REFERRAL_HEADER, ("OVL-1", REFERRED, "gp"), ("OVL-1", days(5), "gp")],
        "episodes": [EPISODE_HEADER, ("OVL-1", STARTED, REFERRED)],
        "contacts": [CONTACT_HEADER, ("OVL-1", STARTED, days(1), "video", "attended", 50, "yes"),
                     ("OVL-1", STARTED, days(15), "video", "attended", 50, "yes")],
        "measures": [MEASURE_HEADER, ("OVL-1", "phq9", "baseline", STARTED, 14),
                     ("OVL-1", "phq9", "discharge", days(15), 5)],
    })
    page = upload_import(signed_in, team, "f.xlsx", grown).content.decode()
    assert [held_count(page, kind) for kind in ("referrals", "episodes", "contacts",
                                                "measures")] == [1, 1, 1, 1]
    assert 'data-count="referrals">1,' in page and 'data-count="episodes">0,' in page
    assert confirm_import(signed_in, team, page).status_code == 302
    after = counts()
    assert {name: after[name] - before[name] for name in after} == {
        "Case": 0, "Referral": 1, "Episode": 0, "Contact": 1, "MeasureAdministration": 1}
    assert sorted(episode.contacts.values_list("on", flat=True)) == [days(1), days(8),
                                                                     days(15)]


@pytest.mark.django_db
def test_records_entered_by_hand_are_recognised_too(signed_in, team, practitioner):
    """The keys are the records', not the file's: a referral, episode, contact and measure
    entered on their pages are held when a spreadsheet of the same work is imported."""
    case = actions.create_case(user=practitioner, team=team, team_reference="HAND-1")
    actions.record_referral(user=practitioner, case=case, referred_on=REFERRED,
                            referrer_type="gp")
    episode = actions.open_episode(user=practitioner, case=case, started_on=STARTED)
    actions.record_contact(user=practitioner, episode=episode, on=days(1), mode="video",
                           outcome="attended", minutes=50, caregivers_attended=True,
                           baby_attended=False)
    actions.record_measure(user=practitioner, case=case, instrument="phq9",
                           timepoint="baseline", administered_on=STARTED, total=14)
    before = counts()
    page = upload_import(signed_in, team, "f.xlsx", xlsx_bytes({
        "referrals": [REFERRAL_HEADER, ("HAND-1", REFERRED, "gp"),
                      ("HAND-1", REFERRED, "midwife")],
        "episodes": [EPISODE_HEADER, ("HAND-1", STARTED, REFERRED)],
        "contacts": [CONTACT_HEADER, ("HAND-1", STARTED, days(1), "video", "attended", 50, "yes"),
                     ("HAND-1", STARTED, days(1), "phone", "attended", 10, "yes")],
        "measures": [MEASURE_HEADER, ("HAND-1", "phq9", "baseline", STARTED, 14),
                     ("HAND-1", "phq9", "review", days(30), 9)],
    })).content.decode()
    assert [held_count(page, kind) for kind in ("referrals", "episodes", "contacts",
                                                "measures")] == [1, 1, 1, 1]
    assert confirm_import(signed_in, team, page).status_code == 302
    after = counts()
    assert {name: after[name] - before[name] for name in after} == {
        "Case": 0, "Referral": 1, "Episode": 0, "Contact": 1, "MeasureAdministration": 1}
