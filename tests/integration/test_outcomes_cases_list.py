"""Issue 13, slice 1: every case can be found. The team's cases list (search by reference,
status filters, sort, pages, audited reads), "my cases" through who held each contact, and the
timeline newest first. Each test replays what could not be done before (the list did not
exist: a case with no open episode could not be found at all)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cradle.audit.models import Action, AuditEntry
from cradle.directory.models import Service
from cradle.outcomes import actions
from cradle.outcomes.case_list import PAGE_SIZE
from cradle.outcomes.models import Contact
from cradle.outcomes.validation import InvalidRecord
from tests.accounts_helpers import make_user, sign_in
from tests.outcomes_helpers import ago, date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_team():
    return Service.objects.get(register_ref="T16")


def cases_page(client, team, **query):
    response = client.get(reverse("outcomes:team-cases", args=[team.pk]), query)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def listed(page: str) -> list[int]:
    return [int(chunk.split('"')[0]) for chunk in page.split('data-case="')[1:]]


def make_case(user, team, reference):
    return actions.create_case(user=user, team=team, team_reference=reference)


def discharged_case(user, team, reference, *, ended=200):
    case = make_case(user, team, reference)
    episode = actions.open_episode(user=user, case=case, started_on=ago(ended + 100))
    actions.close_episode(user=user, episode=episode, ended_on=ago(ended),
                          discharge_reason="planned")
    return case


def test_a_discharged_case_is_found_by_its_reference(signed_in, team, practitioner):
    # The caseload lists open episodes and the waiting list only: a discharged case was on no
    # page at all. It is found by its whole reference in any case, or by how it starts.
    case = discharged_case(practitioner, team, "PIT-0042")
    make_case(practitioner, team, "PIT-0043")
    make_case(practitioner, team, "OTHER-1")
    caseload = signed_in.get(reverse("outcomes:team", args=[team.pk])).content.decode()
    assert f'data-open-case="{case.pk}"' not in caseload
    assert reverse("outcomes:team-cases", args=[team.pk]) in caseload
    assert "The team has 3 cases in all" in caseload

    assert listed(cases_page(signed_in, team, ref="pit-0042")) == [case.pk]
    assert len(listed(cases_page(signed_in, team, ref="Pit-004"))) == 2
    assert len(listed(cases_page(signed_in, team))) == 3
    page = cases_page(signed_in, team, ref="NOPE")
    assert listed(page) == [] and 'id="no-match"' in page


def test_search_wildcards_are_literal(signed_in, team, practitioner):
    make_case(practitioner, team, "A%1")
    make_case(practitioner, team, "AB1")
    make_case(practitioner, team, "A_2")
    assert len(listed(cases_page(signed_in, team, ref="A%"))) == 1
    assert len(listed(cases_page(signed_in, team, ref="A_"))) == 1


def test_another_teams_cases_are_never_listed(client, team, other_team, practitioner):
    make_case(practitioner, team, "PIT-1")
    bradford = make_user("bradford@example.org", team=other_team)
    theirs = make_case(bradford, other_team, "PIT-2")
    sign_in(client, bradford)
    assert listed(cases_page(client, other_team, ref="PIT")) == [theirs.pk]
    before = AuditEntry.objects.filter(action=Action.REFUSED).count()
    response = client.get(reverse("outcomes:team-cases", args=[team.pk]), {"ref": "PIT"})
    assert response.status_code == 404 and "PIT-1" not in response.content.decode()
    assert AuditEntry.objects.filter(action=Action.REFUSED).count() == before + 1


def test_the_list_is_audited_naming_the_cases_shown(signed_in, team, practitioner):
    shown = make_case(practitioner, team, "PIT-1")
    make_case(practitioner, team, "QQ-1")
    cases_page(signed_in, team, ref="PIT")
    entry = AuditEntry.objects.filter(action=Action.VIEW, object_id=str(team.pk)).latest(
        "sequence")
    assert entry.note == f"cases list listing 1 case: {shown.pk}"
    assert "PIT" not in entry.note


def test_status_filters(signed_in, team, practitioner):
    waiting = make_case(practitioner, team, "W-1")
    actions.record_referral(user=practitioner, case=waiting, referred_on=ago(20),
                            referrer_type="gp", decision="accepted", decided_on=ago(19))
    open_case = make_case(practitioner, team, "O-1")
    actions.open_episode(user=practitioner, case=open_case, started_on=ago(30))
    discharged = discharged_case(practitioner, team, "D-1")
    never = make_case(practitioner, team, "N-1")
    assert listed(cases_page(signed_in, team, status="waiting")) == [waiting.pk]
    assert listed(cases_page(signed_in, team, status="open")) == [open_case.pk]
    assert listed(cases_page(signed_in, team, status="discharged")) == [discharged.pk]
    assert sorted(listed(cases_page(signed_in, team))) == sorted(
        [waiting.pk, open_case.pk, discharged.pk, never.pk])
    page = cases_page(signed_in, team, status="discharged")
    assert 'data-statuses="Discharged"' in page


def test_bad_filters_are_refused_with_a_message_not_an_error(signed_in, team, practitioner):
    make_case(practitioner, team, "PIT-1")
    response = signed_in.get(reverse("outcomes:team-cases", args=[team.pk]), {
        "status": "everything", "only": "nonsense", "sort": "password", "page": "-4",
        "ref": "x" * 300})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Choose a status from the list" in page


def test_sorting_and_pages(signed_in, team, practitioner):
    references = [f"PIT-{n:03d}" for n in range(PAGE_SIZE + 5)]
    for reference in reversed(references):
        make_case(practitioner, team, reference)
    started = make_case(practitioner, team, "ZZ-1")
    actions.open_episode(user=practitioner, case=started, started_on=ago(3))

    page = cases_page(signed_in, team)
    assert len(listed(page)) == PAGE_SIZE
    assert 'aria-sort="ascending" data-sort-key="reference"' in page
    assert "Page 2 of 2" in page
    assert page.index("PIT-000") < page.index("PIT-001")
    second = cases_page(signed_in, team, page=2)
    assert len(listed(second)) == 6 and "ZZ-1" in second

    descending = cases_page(signed_in, team, sort="-reference")
    assert 'aria-sort="descending" data-sort-key="reference"' in descending
    assert listed(descending)[0] == started.pk
    # By episode start, newest first: the one case with an episode comes first.
    by_start = cases_page(signed_in, team, sort="-started")
    assert listed(by_start)[0] == started.pk
    assert 'aria-sort="descending" data-sort-key="started"' in by_start
    # Sorting keeps the filters; paging keeps both.
    filtered = cases_page(signed_in, team, ref="PIT", sort="-reference")
    assert "ref=PIT&amp;sort=reference" in filtered
    assert listed(filtered)[0] != started.pk


def test_my_cases_are_those_i_held_a_contact_with(client, team, practitioner):
    colleague = make_user("colleague@example.org", team=team)
    mine, theirs, nobodys = (make_case(practitioner, team, ref) for ref in ("M-1", "T-1", "X-1"))
    for case, who in ((mine, practitioner), (theirs, colleague), (nobodys, None)):
        episode = actions.open_episode(user=practitioner, case=case, started_on=ago(30))
        actions.record_contact(user=practitioner, episode=episode, on=ago(10), mode="phone",
                               outcome="attended", minutes=30, caregivers_attended=True,
                               delivered_by=who)
    sign_in(client, practitioner)
    assert listed(cases_page(client, team, only="mine")) == [mine.pk]
    caseload = client.get(reverse("outcomes:team", args=[team.pk])).content.decode()
    assert 'id="my-cases"' in caseload
    sign_in(client, colleague)
    assert listed(cases_page(client, team, only="mine")) == [theirs.pk]


def test_the_contact_form_records_who_held_it(signed_in, team, practitioner, other_team):
    case = make_case(practitioner, team, "PIT-1")
    episode = actions.open_episode(user=practitioner, case=case, started_on=ago(30))
    colleague = make_user("colleague@example.org", team=team)
    outsider = make_user("outsider@example.org", team=other_team)
    url = reverse("outcomes:case-contact", args=[case.pk])
    form = signed_in.get(url).content.decode()
    assert f'<option value="{practitioner.pk}" selected>' in form
    assert "outsider@example.org" not in form
    base = {"episode": episode.pk, **date_fields("on", ago(5)), "mode": "phone",
            "outcome": "attended", "minutes": "30", "attended": ["caregivers"]}
    # Someone from another team cannot be named as having held it.
    response = signed_in.post(url, {**base, "delivered_by": outsider.pk})
    assert response.status_code == 400 and "Choose a member of the team" in \
        response.content.decode()
    assert not Contact.objects.exists()
    response = signed_in.post(url, {**base, "delivered_by": colleague.pk})
    assert response.status_code == 302
    assert Contact.objects.get().delivered_by == colleague
    page = signed_in.get(reverse("outcomes:case", args=[case.pk])).content.decode()
    assert f'data-delivered-by="{colleague.pk}"' in page
    with pytest.raises(InvalidRecord):
        actions.record_contact(user=practitioner, episode=episode, on=ago(4), mode="phone",
                               outcome="attended", minutes=10, caregivers_attended=True,
                               delivered_by=outsider)


def test_the_timeline_can_run_newest_first(signed_in, team, practitioner):
    case = make_case(practitioner, team, "PIT-1")
    actions.record_referral(user=practitioner, case=case, referred_on=ago(40),
                            referrer_type="gp")
    episode = actions.open_episode(user=practitioner, case=case, started_on=ago(30))
    actions.record_contact(user=practitioner, episode=episode, on=ago(10), mode="phone",
                           outcome="did_not_attend")
    url = reverse("outcomes:case", args=[case.pk])

    def kinds(page):
        return [chunk.split('"')[0] for chunk in page.split('data-event="')[1:]]

    oldest = signed_in.get(url).content.decode()
    newest = signed_in.get(url, {"order": "newest"}).content.decode()
    assert kinds(oldest) == ["referral", "episode_start", "contact"]
    assert kinds(newest) == ["contact", "episode_start", "referral"]
    assert "Show oldest first" in newest and "Show newest first" in oldest
    assert signed_in.get(url, {"order": "sideways"}).status_code == 200


def test_cases_list_needs_case_view(client, team):
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    assert client.get(reverse("outcomes:team-cases", args=[team.pk])).status_code == 403

