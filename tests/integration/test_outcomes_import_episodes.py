"""Bulk import of episodes and contacts through the test client: a workbook with all four
sheets imports all or nothing, contacts and episodes find their episode and referral in the
file or in Cradle, and every refused link or date is listed by sheet, row and column."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cradle.audit.models import Action, AuditEntry
from cradle.outcomes import actions
from cradle.outcomes.models import (
    Case,
    Contact,
    Episode,
    EpisodeIntervention,
    MeasureAdministration,
    Referral,
)
from tests.outcomes_helpers import confirm_import

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
REFERRED = TODAY - datetime.timedelta(days=90)
STARTED = TODAY - datetime.timedelta(days=80)
ENDED = TODAY - datetime.timedelta(days=20)
RECORDS = (Case, Referral, Episode, EpisodeIntervention, Contact, MeasureAdministration)

REFERRAL_HEADER = ("team_reference", "referred_on", "referrer_type", "decision", "decided_on")
EPISODE_HEADER = ("team_reference", "started_on", "referred_on", "ended_on", "discharge_reason",
                  "interventions")
CONTACT_HEADER = ("team_reference", "episode_started_on", "on", "mode", "outcome", "minutes",
                  "caregivers_attended", "baby_attended")
MEASURE_HEADER = ("team_reference", "instrument", "timepoint", "administered_on", "total")


@pytest.fixture(autouse=True)
def staging(settings, tmp_path):
    settings.CRADLE_IMPORT_STAGING_DIR = tmp_path / "staging"


def counts():
    return {model.__name__: model.objects.count() for model in RECORDS}


def days(n: int) -> datetime.date:
    return STARTED + datetime.timedelta(days=n)


def workbook(referrals=(), episodes=(), contacts=(), measures=()) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, header, rows in (("referrals", REFERRAL_HEADER, referrals),
                               ("episodes", EPISODE_HEADER, episodes),
                               ("contacts", CONTACT_HEADER, contacts),
                               ("measures", MEASURE_HEADER, measures)):
        if rows:
            sheet = book.create_sheet(name)
            sheet.append(list(header))
            for row in rows:
                sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("last-year.xlsx", buffer.getvalue())


def upload(client, team, file, holds=""):
    return client.post(reverse("outcomes:team-import", args=[team.pk]),
                       {"file": file, "holds": holds})




def problems_in(page: str) -> set[tuple[str, str]]:
    """(row, column) of every problem listed."""
    found = set()
    for part in page.split('data-problem-row="')[1:]:
        row, rest = part.split('"', 1)
        found.add((row, rest.split('data-problem-column="')[1].split('"')[0]))
    return found


REFERRALS = [("EP-1", REFERRED, "health_visitor", "accepted", REFERRED),
             ("EP-2", REFERRED, "gp", "", "")]
EPISODES = [("EP-1", STARTED, REFERRED, ENDED, "Planned ending", "vig;circle_of_security"),
            ("EP-2", STARTED, "", "", "", "")]
CONTACTS = [("EP-1", STARTED, days(0), "home_visit", "attended", 60, "yes", "yes"),
            ("EP-1", STARTED, days(7), "video", "Did not attend", "", "", ""),
            ("EP-1", STARTED, ENDED, "phone", "attended", 30, "yes", "no"),
            ("EP-2", STARTED, days(3), "face_to_face", "attended", 50, "yes", "yes")]
MEASURES = [("EP-1", "phq9", "baseline", STARTED, 14), ("EP-1", "phq9", "discharge", ENDED, 6)]


def test_a_workbook_with_all_four_sheets_imports_everything_linked(signed_in, team,
                                                                   practitioner):
    before, entries = counts(), AuditEntry.objects.count()
    response = upload(signed_in, team, workbook(REFERRALS, EPISODES, CONTACTS, MEASURES))
    page = response.content.decode()
    assert response.status_code == 200, page
    assert 'data-count="episodes">2, 1 of them ended, with 2 interventions' in page
    assert 'data-count="contacts">4<' in page and 'data-count="measures">2<' in page
    assert "First episodes" in page and "First contacts" in page
    assert counts() == before and AuditEntry.objects.count() == entries  # a dry run

    response = confirm_import(signed_in, team, page)
    assert response.status_code == 302
    first = Case.objects.get(team=team, team_reference="EP-1")
    episode = first.episodes.get()
    assert episode.referral == first.referrals.get()
    assert (episode.started_on, episode.ended_on, episode.discharge_reason) == (
        STARTED, ENDED, "planned")
    assert sorted(episode.interventions.values_list("intervention", flat=True)) == [
        "circle_of_security", "vig"]
    assert list(episode.contacts.values_list("on", "outcome", "minutes", "caregivers_attended",
                                             "baby_attended")) == [
        (days(0), "attended", 60, True, True), (days(7), "did_not_attend", 0, False, False),
        (ENDED, "attended", 30, True, False)]
    second = Case.objects.get(team=team, team_reference="EP-2").episodes.get()
    assert second.referral is None and second.is_open and second.contacts.count() == 1
    assert first.measures.count() == 2
    assert {name: counts()[name] - before[name] for name in before} == {
        "Case": 2, "Referral": 2, "Episode": 2, "EpisodeIntervention": 2, "Contact": 4,
        "MeasureAdministration": 2}
    created = AuditEntry.objects.filter(action=Action.CREATE, actor_id=str(practitioner.pk))
    for label, number in (("outcomes.episode", 2), ("outcomes.episodeintervention", 2),
                          ("outcomes.contact", 4)):
        assert created.filter(model_label=label).count() == number, label
    entry = created.get(model_label="outcomes.episode", object_id=str(episode.pk))
    assert {"referral", "ended_on", "discharge_reason"} <= set(entry.fields)
    summary = AuditEntry.objects.get(action=Action.LOAD, note__startswith="Bulk import")
    assert "2 episodes" in summary.note and "4 contacts" in summary.note


@pytest.mark.parametrize("bad, column, message", [
    (("EP-1", STARTED, days(9), "video", "did_not_attend", "", "yes", ""),
     "caregivers_attended", "A contact that did not take place has no attendees"),
    (("EP-1", STARTED, ENDED + datetime.timedelta(days=1), "video", "attended", 50, "yes",
      "yes"), "on", "The date is after the end of the episode"),
    (("EP-1", STARTED, days(-1), "video", "attended", 50, "yes", "yes"), "on",
     "The date is before the start of the episode"),
    (("EP-1", days(1), days(2), "video", "attended", 50, "yes", "yes"), "episode_started_on",
     "The case has no episode starting on this date"),
    (("EP-9", STARTED, days(2), "video", "attended", 50, "yes", "yes"), "team_reference",
     "Cradle has no case with this team reference"),
])
def test_a_bad_contact_row_writes_nothing_and_is_listed(signed_in, team, bad, column, message):
    before = counts()
    response = upload(signed_in, team, workbook(REFERRALS, EPISODES, [*CONTACTS, bad],
                                                MEASURES))
    page = response.content.decode()
    assert response.status_code == 400
    assert problems_in(page) == {("6", column)}
    assert f"Sheet contacts, row 6, column {column}" in page and message in page
    assert "1 problem in 1 row: nothing has been imported" in page
    assert counts() == before


def test_an_episode_must_name_a_referral_the_case_has(signed_in, team):
    episodes = [("EP-1", STARTED, REFERRED - datetime.timedelta(days=1), "", "", ""),
                ("EP-2", STARTED, REFERRED, "", "", "")]
    twice = [*REFERRALS, ("EP-2", REFERRED, "midwife", "", "")]
    before = counts()
    response = upload(signed_in, team, workbook(twice, episodes))
    page = response.content.decode()
    assert response.status_code == 400
    assert problems_in(page) == {("2", "referred_on"), ("3", "referred_on")}
    assert "Sheet episodes, row 2, column referred_on" in page
    assert "The case has no referral on this date, on the referrals sheet or in Cradle" in page
    assert "The case has 2 referrals on this date, so Cradle cannot tell which" in page
    assert counts() == before


def test_episodes_and_contacts_find_what_cradle_already_has(signed_in, team, practitioner):
    case = actions.create_case(user=practitioner, team=team, team_reference="DB-1")
    referral = actions.record_referral(user=practitioner, case=case, referred_on=REFERRED,
                                       referrer_type="gp")
    closed = actions.open_episode(user=practitioner, case=case, started_on=STARTED)
    actions.close_episode(user=practitioner, episode=closed, ended_on=days(30),
                          discharge_reason="moved_away")
    later = days(40)
    episodes = [("DB-1", later, REFERRED, "", "", "mellow")]
    contacts = [("DB-1", STARTED, days(30), "video", "attended", 45, "yes", "no"),
                ("DB-1", later, days(41), "phone", "cancelled_by_family", 0, "no", "no")]
    response = upload(signed_in, team, workbook(episodes=episodes, contacts=contacts))
    page = response.content.decode()
    assert response.status_code == 200, page
    assert 'data-count="existing_cases">1<' in page and 'data-count="cases">0<' in page
    assert confirm_import(signed_in, team, page).status_code == 302
    new = case.episodes.get(started_on=later)
    assert new.referral == referral
    assert list(closed.contacts.values_list("on", flat=True)) == [days(30)]
    assert list(new.contacts.values_list("outcome", flat=True)) == ["cancelled_by_family"]

    # A contact after the end of an episode in Cradle; the same episode imported twice is
    # recognised as held (not refused, not added: see test_outcomes_import_once.py).
    before = counts()
    response = upload(signed_in, team, workbook(
        episodes=episodes,
        contacts=[("DB-1", STARTED, days(31), "video", "attended", 45, "yes", "no")]))
    page = response.content.decode()
    assert response.status_code == 400
    assert problems_in(page) == {("2", "on")}
    assert "The date is after the end of the episode" in page
    assert counts() == before


def test_the_episode_is_checked_again_when_confirming(signed_in, team, practitioner):
    case = actions.create_case(user=practitioner, team=team, team_reference="DB-2")
    episode = actions.open_episode(user=practitioner, case=case, started_on=STARTED)
    response = upload(signed_in, team, workbook(contacts=[
        ("DB-2", STARTED, days(20), "video", "attended", 45, "yes", "no")]))
    assert response.status_code == 200, response.content.decode()
    # The episode is closed before that contact's date between the preview and confirming.
    actions.close_episode(user=practitioner, episode=episode, ended_on=days(10),
                          discharge_reason="planned")
    response = confirm_import(signed_in, team, response.content.decode())
    assert response.status_code == 400
    assert "The date is after the end of the episode" in response.content.decode()
    assert not episode.contacts.exists()


def test_a_refused_episode_row_is_not_reported_again_by_its_contacts(signed_in, team):
    episodes = [("EP-1", STARTED, REFERRED, ENDED, "", "")]
    response = upload(signed_in, team, workbook(REFERRALS, episodes, CONTACTS[:1]))
    page = response.content.decode()
    assert response.status_code == 400
    assert problems_in(page) == {("2", "discharge_reason")}


def test_contacts_import_from_a_csv_file_of_their_own(signed_in, team, practitioner):
    case = actions.create_case(user=practitioner, team=team, team_reference="CSV-1")
    episode = actions.open_episode(user=practitioner, case=case, started_on=STARTED)
    lines = [",".join(CONTACT_HEADER),
             f"CSV-1,{STARTED},{days(5)},Face to face,Attended,55,yes,yes"]
    file = SimpleUploadedFile("contacts.csv", ("\n".join(lines) + "\n").encode(), "text/csv")
    response = upload(signed_in, team, file, holds="contacts")
    assert response.status_code == 200, response.content.decode()
    response = confirm_import(signed_in, team, response.content.decode())
    assert response.status_code == 302
    assert list(episode.contacts.values_list("mode", "minutes")) == [("face_to_face", 55)]
    page = signed_in.get(response["Location"]).content.decode()
    assert "Imported 1 contact; 0 new cases." in page
