"""Issue 13: no page is wider than a 390 px phone. One page of every type, at 390 px: the page
must not scroll sideways (a wide table scrolls inside its own labelled region instead).
The pages new in issue 13 (statements, error pages) are checked with axe as well."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from cradle.accounts.models import CommissionerArea, NetworkRole
from cradle.directory.models import Service
from cradle.foi import actions as foi_actions
from cradle.foi.models import Body
from cradle.foi.questions import DEFAULT_LETTER
from cradle.geography.models import Area
from cradle.outcomes import actions as outcomes_actions
from tests.accounts_helpers import make_user, sign_in
from tests.functional.accessibility import assert_accessible

PHONE = {"width": 390, "height": 844}

PUBLIC_PAGES = [
    "/", "/services/?q=Leeds", "/areas/", "/areas/ccg2019/E38000001/", "/coverage/", "/data/",
    "/planning/", "/planning/areas/ccg2019/E38000001/",
    "/planning/areas/ccg2019/E38000001/specification/", "/pooled/public/",
    "/account/sign-in/", "/account/password-reset/", "/areas/icb2026/S1Y5D/", "/api/",
]
NEW_PAGES = ["/privacy/", "/accessibility/", "/cookies/", "/contact/", "/no-such-page/"]


def width_problem(page, path: str) -> str | None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= PHONE["width"]:
        return None
    # Name the widest elements that stick out, to say what to fix.
    culprits = page.evaluate("""(limit) => Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().right > limit && !e.closest('.cradle-table-scroll'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' +
                         Math.round(e.getBoundingClientRect().right))""", PHONE["width"])
    return f"{path} is {width} px wide: {culprits}"


def visit(page, path: str, *, accessible: bool = False) -> str | None:
    response = page.goto(path, wait_until="networkidle")
    assert response is not None, path
    assert response.status < 500, f"{path}: {response.status}"
    if accessible:
        assert_accessible(page)
    if path.startswith("/admin/"):
        return width_problem(page, path)  # Django's admin templates, not Cradle's base
    unwrapped = page.locator("main table:not(.cradle-table-scroll > table)").count()
    assert unwrapped == 0, f"{path}: {unwrapped} table(s) outside a scrolling region"
    regions = page.locator(".cradle-table-scroll")
    for index in range(regions.count()):
        region = regions.nth(index)
        assert region.get_attribute("tabindex") == "0", path
        assert region.get_attribute("aria-labelledby") or region.get_attribute("aria-label")
    return width_problem(page, path)


@pytest.fixture
def world(reference_geography):
    leeds = Service.objects.get(register_ref="T15")
    user = make_user("everyone@example.org", network_role="coordinator", team=leeds,
                     team_role="team_manager")
    user.is_staff = user.is_superuser = True
    user.save()
    NetworkRole.objects.create(user=user, role="analyst")
    CommissionerArea.objects.create(user=user,
                                    area=Area.objects.get(scheme="ccg2019", code="E38000001"))
    case = outcomes_actions.create_case(user=user, team=leeds, team_reference="PHONE-1")
    outcomes_actions.record_referral(user=user, case=case, referred_on=datetime.date(2026, 1, 5),
                                     referrer_type="health_visitor")
    episode = outcomes_actions.open_episode(user=user, case=case,
                                            started_on=datetime.date(2026, 1, 12))
    campaign = foi_actions.create_campaign(
        name="Phone test campaign", question_set="camhs-2019", letter_template=DEFAULT_LETTER,
        signatory="Cradle", reply_to="foi@example.org")
    foi_actions.add_commissioners()
    (request,) = foi_actions.add_recipients(
        campaign=campaign, bodies=[Body.objects.get(ods_code="02N")], by="test",
        on=datetime.date(2026, 1, 5))
    foi_actions.send_requests(requests=[request], on=datetime.date(2026, 1, 6), by="test",
                              email=False)
    return {"user": user, "team": leeds, "case": case, "episode": episode,
            "campaign": campaign, "request": request}


def signed_in_pages(world) -> list[str]:
    team, case, episode = world["team"].pk, world["case"].pk, world["episode"].pk
    return [
        "/account/", "/account/invitations/", f"/account/teams/{team}/",
        f"/outcomes/teams/{team}/", f"/outcomes/cases/{case}/",
        f"/outcomes/teams/{team}/cases/new/", f"/outcomes/cases/{case}/referrals/new/",
        f"/outcomes/cases/{case}/contacts/new/", f"/outcomes/cases/{case}/measures/new/",
        f"/outcomes/cases/{case}/edit/", f"/outcomes/cases/{case}/episodes/new/",
        f"/outcomes/episodes/{episode}/close/", f"/outcomes/teams/{team}/import/",
        f"/outcomes/teams/{team}/workforce/",
        "/pooled/", f"/pooled/teams/{team}/",
        "/foi/", "/foi/new/", f"/foi/{world['campaign'].pk}/",
        f"/foi/{world['campaign'].pk}/report/", f"/foi/{world['campaign'].pk}/statistics/",
        f"/foi/requests/{world['request'].pk}/",
        "/audit/", "/admin/", "/admin/directory/service/",
        f"/admin/directory/service/{team}/change/",
    ]


def sign_in_browser(page, live_server, user):
    client = sign_in(Client(), user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


@pytest.mark.browser
def test_no_page_is_wider_than_a_phone(world, browser_page, live_server):
    page = browser_page
    page.set_viewport_size(PHONE)
    service = f"/services/{world['team'].pk}/"
    problems = [visit(page, path) for path in [*PUBLIC_PAGES, service]]
    problems += [visit(page, path, accessible=True) for path in NEW_PAGES]
    sign_in_browser(page, live_server, world["user"])
    problems += [visit(page, path) for path in signed_in_pages(world)]
    # The 403 page, as someone with no role.
    page.context.clear_cookies()
    sign_in_browser(page, live_server, make_user("nobody@example.org"))
    problems.append(visit(page, "/foi/", accessible=True))
    assert page.locator("[data-error-page='403']").count() == 1
    problems = [problem for problem in problems if problem]
    assert problems == [], "\n".join(problems)
