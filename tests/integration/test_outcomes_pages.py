"""The outcomes pages through the test client: a practitioner records a case from referral to a
flagged measure; another team's case is not found; roles without case_view are refused; bad
input writes nothing and says what to fix."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cradle.audit.models import Action, AuditEntry
from cradle.directory.models import Service
from cradle.outcomes import actions
from cradle.outcomes.models import Case, Contact, MeasureAdministration, Referral
from tests.accounts_helpers import make_user, sign_in
from tests.outcomes_helpers import date_fields, item_fields

pytestmark = pytest.mark.django_db

NHS = "943 476 5919"
BAD_NHS = "943 476 5918"  # check digit does not match
TODAY = datetime.date.today()


@pytest.fixture
def other_team():
    return Service.objects.get(register_ref="T16")


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def make_case(user, team, reference="PIT-001"):
    return actions.create_case(user=user, team=team, team_reference=reference)


def test_one_team_goes_straight_to_its_caseload(signed_in, team):
    response = signed_in.get(reverse("outcomes:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:team", args=[team.pk])


def test_several_teams_are_listed(client, team, other_team):
    user = make_user("both@example.org", team=team)
    from cradle.accounts.models import TeamMembership
    TeamMembership.objects.create(user=user, service=other_team, role="practitioner")
    sign_in(client, user)
    page = client.get(reverse("outcomes:home")).content.decode()
    assert reverse("outcomes:team", args=[team.pk]) in page
    assert reverse("outcomes:team", args=[other_team.pk]) in page


def test_from_referral_to_a_flagged_measure(signed_in, team, practitioner):
    # A new case: the NHS number is kept only as a pseudonym, the postcode as its district.
    response = signed_in.post(reverse("outcomes:team-case-new", args=[team.pk]), {
        "team_reference": "PIT-042", "nhs_number": NHS, "baby_birth_month": "2026-01",
        "postcode_district": "LS1 4AP"})
    case = Case.objects.get(team=team, team_reference="PIT-042")
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:case", args=[case.pk])
    assert case.postcode_district == "LS1"
    assert case.nhs_number_pseudonym and "9434765919" not in case.nhs_number_pseudonym
    page = signed_in.get(response["Location"]).content.decode()
    assert "Case PIT-042 created." in page and "9434765919" not in page

    # The referral, accepted: the case joins the waiting list.
    response = signed_in.post(reverse("outcomes:case-referral", args=[case.pk]), {
        **date_fields("referred_on", ago(40)), "referrer_type": "health_visitor",
        "relationship": "mother", "age_at_referral": "28", "ethnic_category": "A",
        "single_caregiver_household": "no", "first_time_parent": "yes",
        "risk_caregiver": ["perinatal_mental_illness", "birth_trauma"],
        "risk_socio_demographic": ["isolation"],
        "decision": "accepted", **date_fields("decided_on", ago(35))})
    assert response.status_code == 302, response.content.decode()
    referral = Referral.objects.get(case=case)
    assert referral.first_time_parent is True and referral.single_caregiver_household is False
    assert sorted(referral.risk_factors.values_list("factor", flat=True)) == [
        "birth_trauma", "isolation", "perinatal_mental_illness"]
    assert referral.caregivers.get().age_at_referral == 28
    caseload = signed_in.get(reverse("outcomes:team", args=[team.pk])).content.decode()
    assert f'data-waiting="{case.pk}"' in caseload and 'data-days-waited="40"' in caseload

    # An episode (no form for it yet), then two contacts and a PHQ-9 with item 9 above 0.
    episode = actions.open_episode(user=practitioner, case=case, started_on=ago(20),
                                   referral=referral)
    for days, outcome, minutes in ((14, "attended", "60"), (7, "did_not_attend", "")):
        response = signed_in.post(reverse("outcomes:case-contact", args=[case.pk]), {
            "episode": episode.pk, **date_fields("on", ago(days)), "mode": "home_visit",
            "outcome": outcome, "minutes": minutes,
            "attended": ["caregivers", "baby"] if minutes else []})
        assert response.status_code == 302, response.content.decode()
    assert Contact.objects.filter(episode=episode).count() == 2
    response = signed_in.post(reverse("outcomes:case-measure", args=[case.pk])
                              + "?instrument=phq9", {
        "timepoint": "baseline", **date_fields("administered_on", ago(14)),
        "episode": episode.pk, "entered_as": "items", **item_fields(1, 2, 1, 0, 3, 1, 0, 2, 1)})
    assert response.status_code == 302, response.content.decode()
    measure = MeasureAdministration.objects.get(case=case)
    assert measure.total == 11 and measure.flags

    page = signed_in.get(reverse("outcomes:case", args=[case.pk])).content.decode()
    assert 'id="flags"' in page and "item 9 (self-harm)" in page and "data-measure-flag" in page
    kinds = [chunk.split('"')[0] for chunk in page.split('data-event="')[1:]]
    assert kinds == ["referral", "episode_start", "contact", "measure", "contact"]
    assert "Accepted" in page and "Perinatal mental illness" in page

    caseload = signed_in.get(reverse("outcomes:team", args=[team.pk])).content.decode()
    assert f'data-open-case="{case.pk}"' in caseload
    assert f'data-waiting="{case.pk}"' not in caseload
    # A PHQ-9 baseline 14 days ago: its review falls due 84 days after it, not yet.
    assert f'data-measure-due="{case.pk}"' not in caseload
    assert 'data-dna-rate="50"' in caseload


def test_reading_a_case_is_audited(signed_in, team, practitioner):
    case = make_case(practitioner, team)
    before = AuditEntry.objects.filter(action=Action.VIEW, object_id=str(case.pk)).count()
    assert signed_in.get(reverse("outcomes:case", args=[case.pk])).status_code == 200
    after = AuditEntry.objects.filter(action=Action.VIEW, object_id=str(case.pk)).count()
    assert after == before + 1


def test_another_teams_case_is_not_found(client, team, other_team, practitioner):
    case = make_case(practitioner, team)
    sign_in(client, make_user("bradford@example.org", team=other_team))
    for name in ("outcomes:case", "outcomes:case-referral", "outcomes:case-contact",
                 "outcomes:case-measure"):
        response = client.get(reverse(name, args=[case.pk]))
        assert response.status_code == 404, name
        assert "PIT-001" not in response.content.decode()
    assert client.get(reverse("outcomes:team", args=[team.pk])).status_code == 404
    assert client.get(reverse("outcomes:team-case-new", args=[team.pk])).status_code == 404
    response = client.post(reverse("outcomes:team-case-new", args=[team.pk]),
                           {"team_reference": "SNEAK-1"})
    assert response.status_code == 404 and not Case.objects.filter(team_reference="SNEAK-1")


def test_an_analyst_is_refused_the_pages(client, team, practitioner):
    case = make_case(practitioner, team)
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    for url in (reverse("outcomes:home"), reverse("outcomes:team", args=[team.pk]),
                reverse("outcomes:team-case-new", args=[team.pk]),
                reverse("outcomes:case", args=[case.pk]),
                reverse("outcomes:case-measure", args=[case.pk])):
        assert client.get(url).status_code == 403, url


def test_a_bad_nhs_number_writes_nothing_and_says_so(signed_in, team):
    response = signed_in.post(reverse("outcomes:team-case-new", args=[team.pk]), {
        "team_reference": "PIT-9", "nhs_number": BAD_NHS})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#id_nhs_number"' in page
    # The number is given back in its box to correct, never repeated in a message.
    assert 'id="id_nhs_number-error"' in page and page.count("5918") == 1
    assert not Case.objects.filter(team_reference="PIT-9").exists()


def test_a_due_month_needs_a_month(signed_in, team):
    response = signed_in.post(reverse("outcomes:team-case-new", args=[team.pk]), {
        "team_reference": "PIT-10", "birth_month_is_due_month": "on"})
    assert response.status_code == 400
    assert 'id="id_baby_birth_month-error"' in response.content.decode()
    assert "Give the expected due month" in response.content.decode()
    assert not Case.objects.filter(team_reference="PIT-10").exists()


def test_bad_measures_write_nothing(signed_in, team, practitioner):
    case = make_case(practitioner, team)
    url = reverse("outcomes:case-measure", args=[case.pk]) + "?instrument=phq9"
    base = {"timepoint": "baseline", **date_fields("administered_on", TODAY)}
    cases = [
        ({**item_fields(1, 2, 9, 0, 0, 0, 0, 0, 0)}, "id_item_3-error"),  # not a response
        ({"item_2": "two"}, "id_item_2-error"),
        ({**item_fields(0, 0, None, 0, 0, 0, 0, 0, 0)}, "Item 3 missing: the PHQ-9 can be "
                                                        "scored only with every item answered"),
        ({"entered_as": "total", "total": "inf"}, "Enter the total as a number"),
        ({"entered_as": "items"}, "Answer the items, or choose to enter the total"),
        ({"entered_as": "total"}, "Enter the total score"),
        ({"entered_as": "total", "total": "99"}, "id_total-error"),  # total out of range
        ({"entered_as": "sideways"}, "id_entered_as-error"),
    ]
    for extra, expected in cases:
        response = signed_in.post(url, {**base, **extra})
        assert response.status_code == 400, extra
        assert expected in response.content.decode(), extra
    assert not MeasureAdministration.objects.exists()


def test_a_contact_before_the_episode_is_refused(signed_in, team, practitioner):
    case = make_case(practitioner, team)
    episode = actions.open_episode(user=practitioner, case=case, started_on=ago(5))
    response = signed_in.post(reverse("outcomes:case-contact", args=[case.pk]), {
        "episode": episode.pk, **date_fields("on", ago(10)), "mode": "phone",
        "outcome": "attended", "minutes": "30"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_on_0"' in page and "The date is before the start of the episode" in page
    assert not Contact.objects.exists()


def test_a_contact_needs_an_episode(signed_in, team, practitioner):
    case = make_case(practitioner, team)
    page = signed_in.get(reverse("outcomes:case-contact", args=[case.pk])).content.decode()
    assert "open one first" in page


def test_a_referral_decision_needs_its_date(signed_in, team, practitioner):
    case = make_case(practitioner, team)
    response = signed_in.post(reverse("outcomes:case-referral", args=[case.pk]), {
        **date_fields("referred_on", ago(3)), "referrer_type": "gp", "ethnic_category": "Z",
        "decision": "accepted"})
    assert response.status_code == 400
    assert 'href="#id_decided_on_0"' in response.content.decode()
    assert "Give the date of the decision" in response.content.decode()
    assert not Referral.objects.exists()
