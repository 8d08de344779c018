"""Bulk import of episodes and contacts, without the database: each row checked with the
rules of actions.open_episode, close_episode and record_contact (plain tables, synthetic
references only). Links to referrals and episodes need the other sheets or the database and
are tested in tests/integration/test_outcomes_import_episodes.py."""

from __future__ import annotations

import csv
import datetime
import io

import pytest

from cradle.directory.vocabulary import INTERVENTIONS
from cradle.outcomes import validation
from cradle.outcomes.bulk.checks import check_sheets
from cradle.outcomes.bulk.columns import CONTACTS, EPISODES, guide_rows
from cradle.outcomes.bulk.parsing import read_csv
from cradle.outcomes.vocabulary import CONTACT_MODES, CONTACT_OUTCOMES, DISCHARGE_REASONS

TODAY = datetime.date.today()
START = TODAY - datetime.timedelta(days=60)
EARLIER = (START - datetime.timedelta(days=1)).isoformat()
LATER = (START + datetime.timedelta(days=30)).isoformat()
TOMORROW = (TODAY + datetime.timedelta(days=1)).isoformat()


def sheet_of(kind, header, *rows):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([header, *rows])
    (sheet,) = read_csv(buffer.getvalue().encode("utf-8"), kind)
    return sheet


def found(checked):
    return [(p.row, p.column) for p in checked.problems]


# Guide ---------------------------------------------------------------------------------------

def test_the_guides_list_the_controlled_values():
    episodes = {row["column"]: row["accepts"] for row in guide_rows(EPISODES)}
    contacts = {row["column"]: row["accepts"] for row in guide_rows(CONTACTS)}
    for key, _label in INTERVENTIONS:
        assert key in episodes["interventions"]
    for key, label in DISCHARGE_REASONS:
        assert f"{key} ({label})" in episodes["discharge_reason"]
    for key, _label in CONTACT_MODES:
        assert key in contacts["mode"]
    for key, _label in CONTACT_OUTCOMES:
        assert key in contacts["outcome"]
    # The limit is stated, not imported, by the templates: hold the two equal.
    assert f"0 to {validation.MAX_CONTACT_MINUTES} " in contacts["minutes"]


# Episodes ------------------------------------------------------------------------------------

EPISODE_HEADER = ("team_reference", "started_on", "referred_on", "ended_on",
                  "discharge_reason", "interventions")


def episode(**cells):
    row = {"team_reference": "F-1", "started_on": START.isoformat(), "referred_on": "",
           "ended_on": "", "discharge_reason": "", "interventions": ""} | cells
    return [row[name] for name in EPISODE_HEADER]


def test_a_good_episode_row_is_normalised():
    checked = check_sheets([sheet_of(
        EPISODES, EPISODE_HEADER,
        episode(referred_on=EARLIER, ended_on=LATER, discharge_reason="Planned ending",
                interventions="vig; Watch, Wait and Wonder;five_to_thrive;"),
        episode(team_reference="F-2"))])
    assert checked.problems == []
    closed, still_open = checked.episodes
    assert (closed.reference, closed.started_on, closed.referred_on) == (
        "F-1", START, datetime.date.fromisoformat(EARLIER))
    assert (closed.ended_on, closed.discharge_reason) == (
        datetime.date.fromisoformat(LATER), "planned")
    assert closed.interventions == ["vig", "watch_wait_wonder", "five_to_thrive"]
    assert (still_open.ended_on, still_open.discharge_reason, still_open.interventions) == (
        None, "", [])


@pytest.mark.parametrize("cells, column, message", [
    ({"team_reference": ""}, "team_reference", "give the team's reference"),
    ({"started_on": ""}, "started_on", "give the date the work started"),
    ({"started_on": TOMORROW}, "started_on", "in the future"),
    ({"started_on": "spring"}, "started_on", "YYYY-MM-DD"),
    ({"referred_on": "last year"}, "referred_on", "YYYY-MM-DD"),
    ({"ended_on": EARLIER, "discharge_reason": "planned"}, "ended_on",
     "the date is before the start of the episode"),
    ({"ended_on": TOMORROW, "discharge_reason": "planned"}, "ended_on", "in the future"),
    ({"ended_on": LATER}, "discharge_reason", "with the end date"),
    ({"discharge_reason": "planned"}, "ended_on", "with the discharge reason"),
    ({"ended_on": LATER, "discharge_reason": "bored"}, "discharge_reason", "choose one of"),
    ({"interventions": "vig;astrology"}, "interventions", "1 unknown choice"),
])
def test_each_bad_episode_cell_is_reported_against_its_column(cells, column, message):
    checked = check_sheets([sheet_of(EPISODES, EPISODE_HEADER, episode(team_reference="F-0"),
                                     episode(**cells))])
    assert found(checked) == [(3, column)]
    assert message in checked.problems[0].message
    assert [row.reference for row in checked.episodes] == ["F-0"]


def test_one_case_cannot_have_two_episodes_starting_the_same_day():
    checked = check_sheets([sheet_of(EPISODES, EPISODE_HEADER, episode(),
                                     episode(team_reference="F-2"), episode())])
    assert found(checked) == [(4, "started_on")]
    assert "row 2 gives an episode of the same case" in checked.problems[0].message


# Contacts ------------------------------------------------------------------------------------

CONTACT_HEADER = ("team_reference", "episode_started_on", "on", "mode", "outcome", "minutes",
                  "caregivers_attended", "baby_attended")


def contact(**cells):
    row = {"team_reference": "F-1", "episode_started_on": START.isoformat(), "on": LATER,
           "mode": "video", "outcome": "attended", "minutes": "50",
           "caregivers_attended": "yes", "baby_attended": "no"} | cells
    return [row[name] for name in CONTACT_HEADER]


def test_a_good_contact_row_is_normalised():
    checked = check_sheets([sheet_of(
        CONTACTS, CONTACT_HEADER, contact(mode="Home visit", on=START.isoformat()),
        contact(outcome="Did not attend", minutes="", caregivers_attended="",
                baby_attended=""),
        contact(outcome="cancelled_by_service", minutes="0", caregivers_attended="no"))])
    assert checked.problems == []
    attended, missed, cancelled = checked.contacts
    assert (attended.mode, attended.outcome, attended.minutes, attended.on) == (
        "home_visit", "attended", 50, START)
    assert (attended.caregivers_attended, attended.baby_attended) == (True, False)
    assert attended.episode_key == ("F-1", START)
    assert (missed.outcome, missed.minutes, missed.caregivers_attended,
            missed.baby_attended) == ("did_not_attend", 0, False, False)
    assert cancelled.outcome == "cancelled_by_service"


@pytest.mark.parametrize("cells, problems, message", [
    ({"episode_started_on": ""}, [(3, "episode_started_on")], "give the start date"),
    ({"on": ""}, [(3, "on")], "give the date of the contact"),
    ({"on": EARLIER}, [(3, "on")], "the date is before the start of the episode"),
    ({"on": TOMORROW}, [(3, "on")], "in the future"),
    ({"mode": "carrier pigeon"}, [(3, "mode")], "choose one of"),
    ({"mode": ""}, [(3, "mode")], "give how the contact was held"),
    ({"outcome": "maybe"}, [(3, "outcome")], "choose one of"),
    ({"minutes": "1441"}, [(3, "minutes")], "from 0 to 1440"),
    ({"minutes": "-5"}, [(3, "minutes")], "from 0 to 1440"),
    ({"minutes": "45.5"}, [(3, "minutes")], "whole number"),
    ({"baby_attended": "perhaps"}, [(3, "baby_attended")], "answer yes or no"),
    ({"outcome": "did_not_attend", "minutes": "0"}, [(3, "caregivers_attended")],
     "a contact that did not take place has no attendees and no minutes"),
    ({"outcome": "cancelled_by_family", "caregivers_attended": "", "baby_attended": "yes"},
     [(3, "minutes"), (3, "baby_attended")], "did not take place"),
])
def test_each_bad_contact_cell_is_reported_against_its_column(cells, problems, message):
    checked = check_sheets([sheet_of(CONTACTS, CONTACT_HEADER, contact(team_reference="F-0"),
                                     contact(**cells))])
    assert found(checked) == problems
    assert message in checked.problems[0].message
    assert [row.reference for row in checked.contacts] == ["F-0"]


def test_a_refused_episode_is_remembered_so_its_contacts_are_not_reported_twice():
    checked = check_sheets([
        sheet_of(EPISODES, EPISODE_HEADER, episode(interventions="astrology")),
        sheet_of(CONTACTS, CONTACT_HEADER, contact())])
    assert found(checked) == [(2, "interventions")]
    assert checked.refused_episodes == {("F-1", START)}
    assert [row.episode_key for row in checked.contacts] == [("F-1", START)]


# The shared rules, as the actions and the import both call them ------------------------------

@pytest.mark.parametrize("outcome, minutes, caregivers, baby, refused", [
    ("attended", 60, True, True, None),
    ("attended", 30, False, True, None),
    ("attended", 0, True, False, ["minutes"]),
    ("attended", 45, False, False, ["attended"]),
    ("attended", 0, False, False, ["minutes", "attended"]),  # both at once
    ("did_not_attend", 0, False, False, None),
    ("did_not_attend", 1, False, False, ["outcome"]),
    ("cancelled_by_family", 0, True, False, ["outcome"]),
    ("cancelled_by_service", 0, False, True, ["outcome"]),
])
def test_a_contact_that_did_not_take_place_has_nobody_and_no_time(outcome, minutes, caregivers,
                                                                 baby, refused):
    """And one that took place has its length and someone who attended."""
    if refused:
        with pytest.raises(validation.InvalidRecord) as error:
            validation.contact_took_place(outcome, minutes=minutes,
                                          caregivers_attended=caregivers, baby_attended=baby)
        assert list(error.value.message_dict) == refused
    else:
        validation.contact_took_place(outcome, minutes=minutes, caregivers_attended=caregivers,
                                      baby_attended=baby)


@pytest.mark.parametrize("on, ended_on, message", [
    (START - datetime.timedelta(days=1), None, "before the start of the episode"),
    (START + datetime.timedelta(days=11), START + datetime.timedelta(days=10),
     "after the end of the episode"),
    (TODAY + datetime.timedelta(days=1), None, "in the future"),
])
def test_a_contact_falls_within_its_episode(on, ended_on, message):
    with pytest.raises(validation.InvalidRecord, match=message):
        validation.contact_date(on, started_on=START, ended_on=ended_on)
    last = ended_on or TODAY
    assert validation.contact_date(last, started_on=START, ended_on=ended_on) == last
    assert validation.contact_date(START, started_on=START, ended_on=ended_on) == START


@pytest.mark.parametrize("minutes", [-1, 1441, 30.0, True, "30", None])
def test_contact_minutes_are_whole_and_within_a_day(minutes):
    with pytest.raises(validation.InvalidRecord, match="from 0 to 1440"):
        validation.contact_minutes(minutes)
