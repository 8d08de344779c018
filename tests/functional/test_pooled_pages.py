"""The pooled pages with data (charts, tables, funnel plot) meet WCAG 2.1 AA (axe-core) under
the strict CSP, for an analyst, a team and the public."""

import pytest
from django.test import Client

from cradle.directory.models import Service
from tests.accounts_helpers import make_user, sign_in
from tests.functional.accessibility import assert_accessible
from tests.pooled_helpers import record


def open_as(page, live_server, user, path):
    if user is not None:
        client = sign_in(Client(), user)
        page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                                   "url": live_server.url}])
    response = page.goto(path, wait_until="networkidle")
    assert response is not None and response.status == 200, path
    page.locator("header.nhsuk-header[data-nhsuk-header-init]").wait_for(state="attached")
    assert page.locator("h1").count() == 1, path
    assert_accessible(page)


@pytest.mark.browser
def test_pooled_pages_are_accessible(reference_geography, browser_page, browser_errors,
                                     live_server):
    leeds, bradford = (Service.objects.get(register_ref=ref) for ref in ("T15", "T16"))
    record(leeds, cases=10, referrer="health_visitor", improved=7)
    record(bradford, cases=9, referrer="gp", improved=2)
    open_as(browser_page, live_server, None, "/pooled/public/?year=2025")
    open_as(browser_page, live_server, make_user("analyst@example.org", network_role="analyst"),
            "/pooled/?year=2025")
    assert browser_page.locator("svg.cradle-funnel circle").count() == 2
    browser_page.context.clear_cookies()
    open_as(browser_page, live_server, make_user("practitioner@example.org", team=leeds),
            f"/pooled/teams/{leeds.pk}/?year=2025")
    assert browser_page.locator("svg.cradle-funnel circle.cradle-chart__point--own").count() == 1
    assert browser_errors == [], "\n".join(browser_errors)
