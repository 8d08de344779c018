"""Replays of the disclosure attacks of issue 12 (item 5) against the real pages and downloads:
back-solving a hidden or rounded count from the figures derived from it, subtracting releases
that add up (UK minus England gives Wales; the UK minus a commissioner's area), the funnel plot's
exact counts, and a commissioner asking for someone else's area."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cradle.accounts.models import CommissionerArea
from cradle.directory.models import Service
from cradle.geography.models import Area
from tests import disclosure_attacker as attacker
from tests.accounts_helpers import make_user, sign_in
from tests.pooled_helpers import record

pytestmark = pytest.mark.django_db

YEAR = {"year": 2025}
# True PHQ-9 pair counts of the fixture: the UK's and England's are not what they round to.
UK_PAIRS, ENGLAND_PAIRS, WALES_PAIRS, LEEDS_PAIRS = 23, 20, 3, 11
WALES_BASELINES = [25, 26, 27]


@pytest.fixture
def family():
    leeds, bradford, wales = (Service.objects.get(register_ref=ref)
                              for ref in ("T15", "T16", "T02"))
    record(leeds, cases=LEEDS_PAIRS, referrer="health_visitor", improved=7,
           baselines=[14, 15, 16, 17, 18, 19, 20, 14, 16, 18, 20],
           discharges=[3, 4, 2, 6, 5, 7, 9, 15, 17, 19, 21])
    record(bradford, cases=9, referrer="gp", improved=8,
           baselines=[15, 16, 17, 18, 19, 20, 21, 22, 23],
           discharges=[2, 3, 5, 6, 8, 9, 10, 11, 24])
    record(wales, cases=WALES_PAIRS, referrer="gp", improved=2, baselines=WALES_BASELINES,
           discharges=[5, 6, 27])
    return leeds, bradford, wales


def leeds_area(team) -> Area:
    return team.coverage.select_related("area").get(area__scheme="ccg2019").area


def viewers(leeds):
    """Every kind of reader of protected figures, with where they download them from."""
    commissioner = make_user("commissioner@example.org")
    CommissionerArea.objects.create(user=commissioner, area=leeds_area(leeds))
    return {
        "public": (None, "pooled:public-download"),
        "commissioner": (commissioner, "pooled:report-download"),
        "team manager": (make_user("manager@example.org", team=leeds, team_role="team_manager"),
                         "pooled:report-download"),
        "coordinator": (make_user("coordinator@example.org", network_role="coordinator"),
                        "pooled:report-download"),
    }


def download(client, user, name, **params) -> dict:
    client.logout()
    if user is not None:
        sign_in(client, user)
    response = client.get(reverse(name, args=["json"]), {**YEAR, **params})
    assert response.status_code == 200, response.status_code
    return json.loads(response.content, parse_float=Decimal)


def phq9(payload: dict) -> dict:
    return next(o for o in payload["outcomes"] if o["code"] == "phq9")


def test_the_pair_count_cannot_be_back_solved_on_any_protected_view(client, family):
    leeds = family[0]
    for who, (user, name) in viewers(leeds).items():
        for nation, true_pairs in ((None, UK_PAIRS), ("England", ENGLAND_PAIRS)):
            outcome = phq9(download(client, user, name, **({"nation": nation} if nation else {})))
            shown = int(outcome["pairs"])
            if nation == "England":
                # The UK's summaries and England's would give Wales's 3 people's: England's go.
                assert outcome["effect_size"] is None and outcome["mean_before"] is None
                assert outcome["effect_size_status"].startswith("withheld")
                assert outcome["effect_size_ci_lower"] is outcome["mean_change_ci_upper"] is None
            for solve in (attacker.effect_size_backsolve, attacker.mean_interval_backsolve):
                solved = solve(outcome)
                # What the derived figures give is the count as published, no more.
                assert nation == "England" or solved is not None, (who, nation, solve)
                assert solved is None or abs(solved - shown) < 1, (who, nation, solve)
            # Percentages come from the shown counts: read naively they point at the shown one.
            assert (true_pairs == shown
                    or attacker.percentage_counts(outcome) != {true_pairs}), (who, nation)
            assert true_pairs in attacker.informed_counts(outcome)
            assert len(attacker.informed_counts(outcome)) == 5
            if true_pairs != shown:
                assert true_pairs not in attacker.naive_counts(outcome), (who, nation)


def test_means_are_rounded_so_as_not_to_narrow_a_small_count(client, family):
    leeds = family[0]
    user, name = viewers(leeds)["commissioner"]
    outcome = phq9(download(client, user, name,
                            area=f"{leeds_area(leeds).scheme}:{leeds_area(leeds).code}"))
    assert outcome["pairs"] == 10  # 11 pairs: shown as 10, which stands for 8 to 12
    for field in ("mean_before", "mean_after", "mean_change"):
        assert isinstance(outcome[field], int), (field, outcome[field])
        # Every count the shown count stands for has a whole-number total with that mean.
        for n in attacker.preimage(outcome["pairs"]):
            low, high = attacker._sum_range(outcome[field], n)
            assert any(low <= total < high for total in range(int(low) - 1, int(high) + 2))
    for field in ("reliably_improved", "no_reliable_change", "reliably_deteriorated"):
        # Computed: shown, or hidden by protection (null, with why), never not applicable.
        assert outcome[field] is not None or outcome[f"{field}_status"].startswith(
            ("suppressed", "withheld")), field


@pytest.mark.parametrize("counts", [attacker.naive_counts, attacker.informed_counts])
def test_uk_minus_the_other_nations_gives_neither_wales_count_nor_its_means(
        client, family, counts):
    pages = {nation: phq9(download(client, None, "pooled:public-download",
                                   **({"nation": nation} if nation else {})))
             for nation in (None, "England")}
    assert download(client, None, "pooled:public-download", nation="Wales")["outcomes"][0][
        "pairs"] is None
    for other in ("Scotland", "Northern Ireland"):
        assert download(client, None, "pooled:public-download", nation=other)["outcomes"] == []
    rest_counts, low, high = attacker.difference(pages[None], [pages["England"]], counts)
    assert rest_counts != {WALES_PAIRS}
    true_mean = sum(WALES_BASELINES) / len(WALES_BASELINES)
    pinned = low <= true_mean <= high and high - low <= 4
    assert not pinned, (low, high)


def test_uk_minus_england_pins_no_hidden_count_in_any_table(client, family):
    """The generic attacker over every count table: the UK's cells minus England's,
    Scotland's and Northern Ireland's, against what Wales shows."""
    releases = {nation: download(client, None, "pooled:public-download",
                                 **({"nation": nation} if nation else {}))
                for nation in (None, "England", "Wales", "Scotland", "Northern Ireland")}
    for index, section in enumerate(releases[None]["sections"]):
        for row in [*section["rows"], {"label": "Total", "count": section["total"]}]:
            def cell(nation, label=row["label"], index=index):
                table = releases[nation]["sections"][index]
                if label == "Total":
                    return table["total"]
                return next((r["count"] for r in table["rows"] if r["label"] == label), 0)
            wales = set(attacker.preimage(cell("Wales"))) if cell("Wales") is not None else None
            possible = {uk - e - s - ni
                        for uk in attacker.preimage(cell(None))
                        for e in attacker.preimage(cell("England"))
                        for s in attacker.preimage(cell("Scotland"))
                        for ni in attacker.preimage(cell("Northern Ireland"))}
            possible = {n for n in possible if n >= 0}
            if cell("Wales") is None:
                # A hidden Welsh count (at least 1) stays hidden: two or more remain possible.
                assert len(possible - {0}) != 1, (section["key"], row["label"], possible)
            else:
                assert possible & wales, (section["key"], row["label"])


@pytest.mark.parametrize("counts", [attacker.naive_counts, attacker.informed_counts])
def test_the_whole_minus_a_commissioners_area_gives_nothing_away(client, family, counts):
    leeds = family[0]
    area = leeds_area(leeds)
    user, name = viewers(leeds)["commissioner"]
    whole = download(client, user, name)
    part = download(client, user, name, area=f"{area.scheme}:{area.code}")
    rest_counts, low, high = attacker.difference(
        phq9(whole), [phq9(part)], counts, hidden_range=range(0, 1000))
    # The other teams' exact number of pairs is not given away (their 12 pairs are more than
    # 7, so a mean over them may be worked out, as any published mean of 12 people).
    assert rest_counts and rest_counts != {UK_PAIRS - LEEDS_PAIRS}
    # Nothing of the area's counts, or of the rest, is pinned.
    for index, section in enumerate(whole["sections"]):
        inner = part["sections"][index]
        shown = {r["label"]: r["count"] for r in inner["rows"]}
        for row in section["rows"]:
            inside = attacker.preimage(shown.get(row["label"], 0))
            rest = {w - a for w in attacker.preimage(row["count"]) for a in inside if w >= a}
            assert len(rest) != 1 or rest == {0}, (section["key"], row["label"], rest)


def test_a_commissioner_cannot_ask_for_an_area_not_theirs(client, family):
    leeds, bradford, _wales = family
    user, _name = viewers(leeds)["commissioner"]
    sign_in(client, user)
    other = bradford.coverage.select_related("area").filter(area__scheme="ccg2019").first().area
    query = {**YEAR, "area": f"{other.scheme}:{other.code}"}
    assert client.get(reverse("pooled:report"), query).status_code == 404
    for file_format in ("csv", "xlsx", "json"):
        response = client.get(reverse("pooled:report-download", args=[file_format]), query)
        assert response.status_code == 404, file_format
    assert client.get(reverse("pooled:report"), {**YEAR, "area": "ccg2019:E00000000"}
                      ).status_code == 404
    own = leeds_area(leeds)
    assert client.get(reverse("pooled:report"), {**YEAR, "area": f"{own.scheme}:{own.code}"}
                      ).status_code == 200


def test_other_roles_with_protected_figures_cannot_narrow_to_an_area(client, family):
    leeds = family[0]
    area = leeds_area(leeds)
    for who in ("team manager", "coordinator"):
        user, _name = viewers(leeds)[who] if who == "team manager" else (
            make_user("coordinator-2@example.org", network_role="coordinator"), None)
        client.logout()
        sign_in(client, user)
        response = client.get(reverse("pooled:report-download", args=["json"]),
                              {**YEAR, "area": f"{area.scheme}:{area.code}"})
        assert response.status_code == 404, who
    analyst = make_user("analyst@example.org", network_role="analyst")
    client.logout()
    sign_in(client, analyst)
    assert client.get(reverse("pooled:report"),
                      {**YEAR, "area": f"{area.scheme}:{area.code}"}).status_code == 200


def test_a_coordinator_sees_no_funnel_and_no_exact_team_counts(client, family):
    sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))
    page = client.get(reverse("pooled:report"), YEAR).content.decode()
    assert 'id="funnel"' not in page and 'id="funnel-table"' not in page
    for team in family:
        assert team.name not in page


def funnel_rows(page: str) -> list[tuple[bool, str, str]]:
    table = page[page.index('id="funnel-table"'):page.index("</table>",
                                                             page.index('id="funnel-table"'))]
    rows = re.findall(r"<tr class=\"nhsuk-table__row\"( data-own-team)?>\s*<th[^>]*>([^<]*)"
                      r"</th>\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>", table)
    return [(bool(own), pairs.strip(), improved.strip()) for own, _n, pairs, improved in rows]


def test_a_team_sees_its_own_counts_exactly_and_the_others_protected(client, family):
    leeds, bradford, wales = family
    sign_in(client, make_user("practitioner@example.org", team=leeds))
    page = client.get(reverse("pooled:team", args=[leeds.pk]), YEAR).content.decode()
    rows = funnel_rows(page)
    assert rows[0] == (True, str(LEEDS_PAIRS), "7")
    others = rows[1:]
    assert len(others) == 2 and not any(own for own, *_ in others)
    # Bradford's 9 pairs and 8 improvements, Wales's 3 and 2: rounded or hidden, never exact.
    assert sorted(pairs for _own, pairs, _improved in others) == ["*", "10"]
    for _own, pairs, improved in others:
        assert pairs == "*" or int(pairs) % 5 == 0
        assert improved == "*" or int(improved) % 5 == 0 or improved == "0"
    assert bradford.name not in page and wales.name not in page
    # The drawn points sit at the protected counts too: no circle at 9 pairs.
    svg = page[page.index("cradle-funnel"):page.index("</svg>", page.index("cradle-funnel"))]
    assert svg.count("<circle") == 2  # its own and Bradford's; Wales's counts are hidden


def test_protected_figures_are_for_complete_years_only(client, family):
    from django.utils import timezone

    this_year = {"year": timezone.localdate().year}
    assert client.get(reverse("pooled:public"), this_year).status_code == 404
    assert client.get(reverse("pooled:public-download", args=["json"]),
                      this_year).status_code == 404
    sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))
    assert client.get(reverse("pooled:report"), this_year).status_code == 404
    page = client.get(reverse("pooled:report")).content.decode()
    assert f'<option value="{this_year["year"]}"' not in page
    client.logout()
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    assert client.get(reverse("pooled:report"), this_year).status_code == 200


@pytest.mark.parametrize("counts", [attacker.naive_counts, attacker.informed_counts])
def test_an_area_inside_another_commissioners_area_gives_the_rest_away(client, family, counts):
    """Two commissioners' areas, one around the other: the wider one's figures minus the
    narrower's must not give the 3 people of the team covering only the wider one."""
    from cradle.directory.models import ServiceCoverage

    leeds, _bradford, wales = family
    narrow = leeds_area(leeds)  # Leeds's sub-ICB location: Leeds's team only
    wide = leeds.coverage.select_related("area").get(area__scheme="la").area
    ServiceCoverage.objects.create(service=wales, area=wide)  # wide: Leeds's and 3 more pairs
    first, second = make_user("first@example.org"), make_user("second@example.org")
    CommissionerArea.objects.create(user=first, area=narrow)
    CommissionerArea.objects.create(user=second, area=wide)
    inner = phq9(download(client, first, "pooled:report-download",
                          area=f"{narrow.scheme}:{narrow.code}"))
    outer = phq9(download(client, second, "pooled:report-download",
                          area=f"{wide.scheme}:{wide.code}"))
    # The rest is 3 people, so the two areas' means are not both published.
    assert outer["mean_before"] is not None
    assert inner["mean_before"] is None and inner["effect_size"] is None
    rest_counts, low, high = attacker.difference(outer, [inner], counts)
    assert rest_counts != {WALES_PAIRS}
    true_mean = sum(WALES_BASELINES) / len(WALES_BASELINES)
    assert not (low <= true_mean <= high and high - low <= 4), (low, high)
