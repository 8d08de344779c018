"""The shipped, sourced service details on service pages and search results (issue 14): at
phone width (long page addresses included) and through axe."""

import pytest

from cradle.directory.models import Service
from cradle.directory.register_updates import new_ref
from tests.functional.test_phone_width import PHONE, visit

#: Leeds (a referral cited to Rare Jewels and a long undated page address) and Lanarkshire
#: (the longest list of referrers).
SERVICES = ["T15", new_ref("NHS Lanarkshire Infant Mental Health Service ('Infant Minds Matter')")]


@pytest.mark.browser
def test_sourced_details_fit_a_phone_and_pass_axe(reference_geography, browser_page,
                                                  browser_errors):
    page = browser_page
    page.set_viewport_size(PHONE)
    paths = ["/services/?q=Leeds", "/services/?q=Lanarkshire"]
    paths += [f"/services/{Service.objects.get(register_ref=ref).pk}/" for ref in SERVICES]
    problems = [visit(page, path, accessible=True) for path in paths]
    assert [problem for problem in problems if problem] == []
    page.goto(paths[2], wait_until="networkidle")
    refer = page.locator("[data-details] [data-how-to-refer]").inner_text()
    assert "(Rare Jewels, June 2019)" in refer
    assert browser_errors == []
