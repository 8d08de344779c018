"""Signing in and setting up the second factor in a real browser: the pages meet WCAG 2.1 AA
(axe-core), run no inline script or style, and the QR code and password input work."""

from __future__ import annotations

import pytest
from django_otp.oath import totp

from cradle.accounts.models import AuthenticatorApp
from tests.accounts_helpers import make_user
from tests.functional.accessibility import assert_accessible

PASSWORD = "correct horse battery staple 42"


def _ready(page) -> None:
    assert page.title().endswith("– Cradle")
    page.locator("header.nhsuk-header[data-nhsuk-header-init]").wait_for(state="attached")


@pytest.mark.browser
def test_sign_in_page_is_accessible_with_and_without_errors(browser_page, browser_errors):
    response = browser_page.goto("/account/sign-in/", wait_until="networkidle")
    assert response is not None and response.status == 200
    _ready(browser_page)
    # NHS.UK's password input module ran: its Show button is revealed and works.
    toggle = browser_page.get_by_role("button", name="Show password")
    toggle.wait_for(state="visible")
    browser_page.fill("#id_password", "secret")
    toggle.click()
    assert browser_page.get_attribute("#id_password", "type") == "text"
    browser_page.fill("#id_password", "")
    assert_accessible(browser_page)

    browser_page.get_by_role("button", name="Sign in", exact=True).click()
    browser_page.wait_for_load_state("networkidle")
    assert browser_page.title().startswith("Error: Sign in")
    assert browser_page.locator(".nhsuk-error-summary").is_visible()
    assert_accessible(browser_page)
    assert browser_errors == [], "\n".join(browser_errors)


@pytest.mark.browser
def test_two_factor_setup_page_is_accessible(browser_page, browser_errors):
    user = make_user("coordinator@example.org", network_role="coordinator")
    browser_page.goto("/account/sign-in/?next=/account/invitations/",
                      wait_until="networkidle")
    browser_page.fill("#id_username", "coordinator@example.org")
    browser_page.fill("#id_password", PASSWORD)
    browser_page.get_by_role("button", name="Sign in", exact=True).click()
    browser_page.wait_for_load_state("networkidle")

    assert "/account/two-factor/" in browser_page.url
    _ready(browser_page)
    assert browser_page.locator("[data-two-factor-step='setup']").count() == 1
    qr = browser_page.get_by_role("img", name="QR code to add Cradle to your authenticator app")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessible(browser_page)

    device = AuthenticatorApp.objects.get(user=user, confirmed=False)
    browser_page.fill("#id_code", f"{totp(device.bin_key):06d}")
    browser_page.get_by_role("button", name="Confirm and continue").click()
    browser_page.wait_for_load_state("networkidle")
    assert browser_page.locator("[data-recovery-codes] li").count() == 10
    assert_accessible(browser_page)

    browser_page.get_by_role("button", name="I have saved my codes: continue").click()
    browser_page.wait_for_load_state("networkidle")
    assert browser_page.url.endswith("/account/invitations/")
    _ready(browser_page)
    assert_accessible(browser_page)
    assert browser_errors == [], "\n".join(browser_errors)
