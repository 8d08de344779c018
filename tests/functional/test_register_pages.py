"""The pages that say what is confirmed (issue 14): home, search results and service pages of
each kind of evidence, at phone width and through axe."""

import pytest

from cradle.directory.models import Service
from cradle.directory.register_updates import new_ref
from tests.functional.test_phone_width import PHONE, visit

#: A team confirmed only by Rare Jewels, one with an undated source, a closure, a new team
#: with every criterion sourced, and a new service in development.
SERVICES = ["T11", "T08", "T19", new_ref("Building Attachment and Bonds Service (BABS) Sefton"),
            new_ref("Kent Parent Infant Mental Health Service")]


@pytest.mark.browser
def test_register_pages_fit_a_phone_and_pass_axe(reference_geography, browser_page,
                                                  browser_errors):
    page = browser_page
    page.set_viewport_size(PHONE)
    paths = ["/", "/coverage/?on=2025-12-11", "/services/?q=Greater+Manchester",
             "/areas/la/E09000010/"]
    paths += [f"/services/{Service.objects.get(register_ref=ref).pk}/" for ref in SERVICES]
    problems = [visit(page, path, accessible=True) for path in paths]
    assert [problem for problem in problems if problem] == []
    page.goto("/", wait_until="networkidle")
    assert page.locator("[data-headline='published']").inner_text() == "51"
    assert browser_errors == []
