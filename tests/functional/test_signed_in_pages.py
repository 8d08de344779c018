"""The pages only signed-in people see meet WCAG 2.1 AA too (axe-core), under the real CSP."""

import pytest
from django.test import Client

from cradle.directory.models import Service
from tests.accounts_helpers import make_user, sign_in
from tests.functional.accessibility import assert_accessible


def signed_in_page(browser_page, live_server, user):
    client = sign_in(Client(), user)
    browser_page.context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value,
        "url": live_server.url}])
    return browser_page


@pytest.mark.browser
def test_coordinator_pages_are_accessible(reference_geography, browser_page, browser_errors,
                                          live_server):
    page = signed_in_page(browser_page, live_server,
                          make_user("coordinator@example.org", network_role="coordinator"))
    for path in ["/account/", "/account/invitations/", "/audit/", "/foi/"]:
        response = page.goto(path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
        page.locator("header.nhsuk-header[data-nhsuk-header-init]").wait_for(state="attached")
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
    assert browser_errors == [], "\n".join(browser_errors)


@pytest.mark.browser
def test_team_members_page_is_accessible(reference_geography, browser_page, browser_errors,
                                         live_server):
    team = Service.objects.get(register_ref="T15")
    page = signed_in_page(browser_page, live_server,
                          make_user("manager@example.org", team=team, team_role="team_manager"))
    response = page.goto(f"/account/teams/{team.pk}/", wait_until="networkidle")
    assert response is not None and response.status == 200
    assert_accessible(page)
    assert browser_errors == [], "\n".join(browser_errors)
