"""Reads of case-level data are audited, and so are refused attempts on case records: the
caseload page writes one entry naming the cases it listed (by id, with no personal values),
each case page writes one for the case, and asking for another team's caseload, case, episode
or referral (a 404) writes a `refused` entry naming what was asked for."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cradle.audit.models import Action, AuditEntry
from cradle.directory.models import Service
from cradle.outcomes import actions
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
NHS = "943 476 5919"


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def other_team():
    return Service.objects.get(register_ref="T16")


@pytest.fixture
def caseload(team, practitioner):
    """Two open cases, one waiting (accepted, no episode yet) and one closed."""
    def case(reference: str):
        return actions.create_case(user=practitioner, team=team, team_reference=reference,
                                   nhs_number=NHS if reference == "PIT-OPEN-1" else None,
                                   postcode="LS1 4AP")
    opened = [case("PIT-OPEN-1"), case("PIT-OPEN-2")]
    for each in opened:
        actions.open_episode(user=practitioner, case=each, started_on=ago(20))
    waiting = case("PIT-WAIT")
    actions.record_referral(user=practitioner, case=waiting, referred_on=ago(10),
                            referrer_type="health_visitor", decision="accepted",
                            decided_on=ago(5))
    closed = case("PIT-CLOSED")
    return {"open": opened, "waiting": waiting, "closed": closed}


def new_entries(before: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(sequence__gt=before).order_by("sequence"))


def newest() -> int:
    entry = AuditEntry.objects.newest_first().first()
    return entry.sequence if entry else 0


def test_the_caseload_page_writes_one_entry_naming_the_cases_listed(
        signed_in, team, practitioner, caseload):
    before = newest()
    response = signed_in.get(reverse("outcomes:team", args=[team.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "PIT-OPEN-1" in page and "PIT-WAIT" in page
    (entry,) = new_entries(before)
    listed = sorted([*(c.pk for c in caseload["open"]), caseload["waiting"].pk])
    assert (entry.actor, entry.action, entry.model_label, entry.object_id, entry.fields) == (
        practitioner.email, Action.VIEW, "directory.service", str(team.pk), ["caseload"])
    assert entry.note == f"caseload listing 3 cases: {', '.join(map(str, listed))}"
    # Ids only: no team reference, NHS number, pseudonym or postcode in the entry.
    written = " ".join(str(value) for value in entry.as_chain_dict().values())
    pseudonym = caseload["open"][0].nhs_number_pseudonym
    for value in ("PIT-", "9434765919", "943 476 5919", pseudonym, "LS1"):
        assert value not in written


def test_an_empty_caseload_is_recorded_too(signed_in, team, practitioner):
    before = newest()
    signed_in.get(reverse("outcomes:team", args=[team.pk]))
    (entry,) = new_entries(before)
    assert entry.note == "caseload listing 0 cases"


@pytest.mark.parametrize("page", ["outcomes:case", "outcomes:case-edit",
                                  "outcomes:case-contact", "outcomes:case-episode"])
def test_each_case_page_records_a_view_of_the_case(signed_in, caseload, practitioner, page):
    case = caseload["open"][0]
    before = newest()
    assert signed_in.get(reverse(page, args=[case.pk])).status_code == 200
    assert [(e.actor, e.action, e.model_label, e.object_id) for e in new_entries(before)] == [
        (practitioner.email, Action.VIEW, "outcomes.case", str(case.pk))]


def test_an_episode_page_records_a_view_of_its_case(signed_in, caseload, practitioner):
    case = caseload["open"][0]
    episode = case.episodes.get()
    before = newest()
    assert signed_in.get(reverse("outcomes:episode-close", args=[episode.pk])).status_code == 200
    assert [(e.action, e.model_label, e.object_id) for e in new_entries(before)] == [
        (Action.VIEW, "outcomes.case", str(case.pk))]


@pytest.fixture
def outsider(client, other_team):
    """A practitioner of another team, signed in."""
    return sign_in(client, make_user("outsider@example.org", team=other_team))


@pytest.mark.parametrize(("page", "label", "record"), [
    ("outcomes:case", "outcomes.case", lambda c: c["open"][0].pk),
    ("outcomes:case-edit", "outcomes.case", lambda c: c["open"][0].pk),
    ("outcomes:case-measure", "outcomes.case", lambda c: c["closed"].pk),
    ("outcomes:episode-close", "outcomes.episode", lambda c: c["open"][0].episodes.get().pk),
    ("outcomes:referral-decision", "outcomes.referral",
     lambda c: c["waiting"].referrals.get().pk),
])
def test_a_refused_attempt_on_another_teams_record_is_audited(
        outsider, caseload, page, label, record):
    pk = record(caseload)
    before = newest()
    assert outsider.get(reverse(page, args=[pk])).status_code == 404
    (entry,) = new_entries(before)
    assert (entry.actor, entry.action, entry.model_label, entry.object_id) == (
        "outsider@example.org", Action.REFUSED, label, str(pk))
    assert entry.note == "not visible to the user: not found (404)"


def test_a_refused_post_is_audited_and_writes_nothing_else(outsider, caseload):
    case = caseload["open"][0]
    before = newest()
    response = outsider.post(reverse("outcomes:case-edit", args=[case.pk]),
                             {"team_reference": "HIJACKED"})
    assert response.status_code == 404
    assert [(e.action, e.object_id) for e in new_entries(before)] == [
        (Action.REFUSED, str(case.pk))]
    case.refresh_from_db()
    assert case.team_reference == "PIT-OPEN-1"


def test_another_teams_caseload_is_refused_and_audited(outsider, team, caseload):
    before = newest()
    assert outsider.get(reverse("outcomes:team", args=[team.pk])).status_code == 404
    (entry,) = new_entries(before)
    assert (entry.action, entry.model_label, entry.object_id) == (
        Action.REFUSED, "directory.service", str(team.pk))


def test_a_case_that_does_not_exist_is_refused_the_same_way(signed_in, caseload):
    missing = max(c.pk for c in caseload["open"]) + 1000
    before = newest()
    assert signed_in.get(reverse("outcomes:case", args=[missing])).status_code == 404
    (entry,) = new_entries(before)
    assert (entry.action, entry.object_id) == (Action.REFUSED, str(missing))
