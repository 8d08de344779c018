"""The pooled pages through the test client: analysts see the pooled figures as recorded, other
roles and the public only protected ones; a team sees its own figures and only its own name on
the funnel plot; downloads and JSON carry the same protected figures; demo mode pools only the
synthetic teams."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from cradle.directory.models import Service
from cradle.outcomes import actions
from tests.accounts_helpers import make_user, sign_in
from tests.pooled_helpers import DAY, record

pytestmark = pytest.mark.django_db

@pytest.fixture
def teams():
    leeds, bradford = (Service.objects.get(register_ref=ref) for ref in ("T15", "T16"))
    record(leeds, cases=12, referrer="health_visitor", improved=9)
    record(bradford, cases=3, referrer="gp", improved=1)
    return leeds, bradford


def counts_shown(page: str) -> list[str]:
    return re.findall(r"<td[^>]*data-count>([^<]*)</td>", page)


def test_an_analyst_sees_the_pooled_figures_as_recorded(client, teams):
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    page = client.get(reverse("pooled:report"), {"year": 2025}).content.decode()
    assert 'data-teams-pooled="2"' in page
    assert "15" in counts_shown(page) and "3" in counts_shown(page)
    # Network roles see every team's name on the funnel plot.
    leeds, bradford = teams
    assert leeds.name in page and bradford.name in page and 'id="funnel"' in page


def test_a_coordinator_sees_only_protected_figures(client, teams):
    sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))
    page = client.get(reverse("pooled:report"), {"year": 2025}).content.decode()
    shown = counts_shown(page)
    assert shown and not any(re.fullmatch(r"[1-7]", value) for value in shown)
    assert "*" in shown
    assert "Figures are protected by disclosure control" in page


def test_the_public_summary_never_shows_a_count_from_1_to_7(client, teams):
    response = client.get(reverse("pooled:public"), {"year": 2025})
    assert response.status_code == 200
    page = response.content.decode()
    assert not any(re.fullmatch(r"[1-7]", value) for value in counts_shown(page))
    assert 'id="funnel"' not in page and teams[1].name not in page
    data = client.get(reverse("pooled:public-download", args=["json"]), {"year": 2025}).json()
    cells = [row["count"] for section in data["sections"] for row in section["rows"]]
    cells += [section["total"] for section in data["sections"]]
    assert cells and all(cell is None or isinstance(cell, int) for cell in cells)
    assert not any(cell is not None and 1 <= cell <= 7 for cell in cells)
    assert data["disclosure_control"]["threshold"] == 7 and data["teams_pooled"] == 2


def test_a_team_sees_its_own_figures_and_only_its_own_name(client, teams):
    leeds, bradford = teams
    sign_in(client, make_user("practitioner@example.org", team=leeds))
    page = client.get(reverse("pooled:team", args=[leeds.pk]), {"year": 2025}).content.decode()
    assert "12" in counts_shown(page)  # its own 12 referrals, unprotected
    funnel = page[page.index('id="funnel-table"'):]
    assert leeds.name in funnel and bradford.name not in funnel and "Another team" in funnel
    assert client.get(reverse("pooled:team", args=[bradford.pk])).status_code == 404


def test_downloads(client, teams):
    sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))
    csv_response = client.get(reverse("pooled:report-download", args=["csv"]), {"year": 2025})
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("period_start,period_end,teams_pooled")
    assert "'-" not in text  # numbers, negative ones too, are never neutralised as text
    xlsx = client.get(reverse("pooled:report-download", args=["xlsx"]), {"year": 2025})
    assert xlsx.content[:2] == b"PK"
    assert client.get(reverse("pooled:report-download", args=["pdf"])).status_code == 404
    payload = json.loads(client.get(reverse("pooled:report-download", args=["json"]),
                                    {"year": 2025}).content)
    assert payload["protected"] is True and payload["start"] == "2025-01-01"


def test_demo_mode_pools_only_synthetic_teams(client, teams):
    with override_settings(CRADLE_DEMO=True):
        page = client.get(reverse("pooled:public"), {"year": 2025}).content.decode()
    assert 'data-teams-pooled="0"' in page and 'id="synthetic"' in page


def test_a_commissioner_can_narrow_to_the_teams_covering_their_area(client, teams):
    from cradle.accounts.models import CommissionerArea

    leeds, bradford = teams
    area = leeds.coverage.select_related("area").first().area
    assert not bradford.coverage.filter(area=area).exists()
    user = make_user("commissioner@example.org")
    CommissionerArea.objects.create(user=user, area=area)
    sign_in(client, user)
    page = client.get(reverse("pooled:report"),
                      {"year": 2025, "area": f"{area.scheme}:{area.code}"}).content.decode()
    assert 'data-teams-pooled="1"' in page and f"of the teams covering {area.name}" in page
    assert f'<option value="{area.scheme}:{area.code}" selected>' in page
    shown = counts_shown(page)
    assert shown and not any(re.fullmatch(r"[1-7]", value) for value in shown)


def test_the_latest_complete_year_with_referrals_is_the_default(client, teams):
    page = client.get(reverse("pooled:public")).content.decode()
    assert "From 2025-01-01 to 2025-12-31" in page


def test_the_public_summary_is_computed_once_per_period(client, teams, django_assert_num_queries):
    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "LOCATION": "pooled-public-test"}}
    with override_settings(CACHES=locmem):
        from django.core.cache import cache
        cache.clear()
        first = client.get(reverse("pooled:public"), {"year": 2025}).content
        with django_assert_num_queries(0, exact=False) as queries:
            # The whole-page cache (ADR 0021) would answer before the view: a request with
            # credentials passes it by, and reaches the view's own cache.
            second = client.get(reverse("pooled:public"), {"year": 2025},
                                HTTP_AUTHORIZATION="Bearer none").content
        assert first == second
        assert not any("outcomes_referral" in q["sql"] for q in queries.captured_queries)
        cache.clear()


def test_the_primary_caregiver_is_the_first_recorded_on_each_referral():
    from cradle.pooled.data import Scope
    from cradle.pooled.extract import extract

    team = Service.objects.get(register_ref="T15")
    user = make_user("recorder@example.org", team=team)
    for number, ages in enumerate([(19, 40), (33, 18), (None, 25)]):
        case = actions.create_case(user=user, team=team, team_reference=f"C-{number}")
        actions.record_referral(
            user=user, case=case, referred_on=DAY, referrer_type="gp",
            caregivers=[{"relationship": "mother", "age_at_referral": ages[0]},
                        {"relationship": "father", "age_at_referral": ages[1],
                         "ethnic_category": "A"}])
    data = extract(Scope((team.pk,), datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)))
    assert data.primary_caregiver_ages == {19: 1, 33: 1, None: 1}
    assert data.primary_caregiver_ethnicity == {"Z": 3}
    assert data.referrals_by_team == {team.pk: 3} and data.referrer_types == {"gp": 3}
