"""The second factor: roles that need it are sent to set it up (TOTP, with a QR code and the
secret), then to enter a code each time they sign in; recovery codes work once each."""

from __future__ import annotations

import base64
import re
from urllib.parse import quote

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from cradle.accounts import two_factor
from cradle.accounts.models import (
    FORGIVEN_WRONG_CODES,
    AuthenticatorApp,
    CommissionerArea,
    RecoveryCode,
    RecoveryCodes,
)
from cradle.geography.models import Area
from tests.accounts_helpers import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
PROTECTED = "/account/invitations/"  # needs Permission.USER_MANAGE: coordinators only
TWO_FACTOR = "/account/two-factor/"


@pytest.fixture(autouse=True)
def no_throttle(settings):
    """django-otp makes each wrong code wait longer; tests enter codes back to back."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(device: AuthenticatorApp) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in_with_password(client: Client, email: str, next_page: str = ""):
    data = {"username": email, "password": PASSWORD}
    if next_page:
        data["next"] = next_page
    return client.post("/account/sign-in/", data)


@pytest.fixture
def coordinator():
    return make_user("coordinator@example.org", network_role="coordinator")


def set_up_app(user) -> tuple[AuthenticatorApp, list[str]]:
    device = two_factor.pending_app(user)
    device.confirmed = True
    device.save()
    return device, two_factor.new_recovery_codes(user)


def test_a_coordinator_sets_up_totp_then_reaches_the_page(client, coordinator):
    client.force_login(coordinator)
    response = client.get(PROTECTED)
    assert response.status_code == 302
    assert response["Location"] == f"{TWO_FACTOR}?next={PROTECTED}"

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-two-factor-step="setup"' in html
    assert "<h1>Set up two-factor authentication</h1>" in html
    assert 'src="data:image/svg+xml;base64,' in html
    device = AuthenticatorApp.objects.get(user=coordinator, confirmed=False)
    svg = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)[1])
    assert svg.startswith(b"<svg")
    secret = base64.b32encode(device.bin_key).decode()
    shown = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", html)[1]
    assert shown.replace(" ", "") == secret
    assert f'name="next" value="{PROTECTED}"' in html
    # A reload shows the same secret (the app may have scanned it already).
    assert shown in client.get(response["Location"]).content.decode()
    assert AuthenticatorApp.objects.filter(user=coordinator).count() == 1

    wrong = client.post(TWO_FACTOR, {"code": "000000" if code_for(device) != "000000"
                                     else "111111", "next": PROTECTED})
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()
    assert "There is a problem" in wrong.content.decode()
    assert client.get(PROTECTED).status_code == 302

    done = client.post(TWO_FACTOR, {"code": code_for(device), "next": PROTECTED})
    assert done.status_code == 200
    html = done.content.decode()
    assert "Two-factor authentication is set up" in html
    codes = re.findall(r'<code class="nhsuk-u-font-size-22">([a-z2-7]+)</code>', html)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert f'href="{PROTECTED}"' in html
    assert done["Cache-Control"].startswith("max-age=0")
    device.refresh_from_db()
    assert device.confirmed
    assert RecoveryCode.objects.filter(device__user=coordinator).count() == 10

    assert client.get(PROTECTED).status_code == 200
    # Verified for the session: the step now just passes through.
    response = client.get(f"{TWO_FACTOR}?next={PROTECTED}")
    assert response.status_code == 302 and response["Location"] == PROTECTED


def test_signing_in_with_a_password_leads_to_the_second_factor(client, coordinator):
    response = sign_in_with_password(client, "coordinator@example.org", next_page=PROTECTED)
    assert response.status_code == 302
    assert response["Location"] == f"{TWO_FACTOR}?next={quote(PROTECTED, safe='')}"
    assert 'data-two-factor-step="setup"' in client.get(response["Location"]).content.decode()


def test_a_commissioner_needs_no_second_factor(client):
    user = make_user("commissioner@example.org")
    CommissionerArea.objects.create(user=user, area=Area.objects.get(
        scheme="ccg2019", code="E38000001"))
    response = sign_in_with_password(client, "commissioner@example.org")
    assert response["Location"] == "/account/start/"


def test_a_code_from_the_app_verifies_a_new_session(client, coordinator):
    device, _ = set_up_app(coordinator)
    response = sign_in_with_password(client, "coordinator@example.org", next_page=PROTECTED)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'data-two-factor-step="verify"' in html
    assert "<h1>Enter your security code</h1>" in html
    assert "data:image" not in html  # the secret is never shown again
    session_before = client.session.session_key

    response = client.post(TWO_FACTOR, {"code": code_for(device),
                                        "next": PROTECTED})
    assert response.status_code == 302 and response["Location"] == PROTECTED
    assert client.session.session_key != session_before  # a new session id
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(PROTECTED).status_code == 200


def test_a_used_app_code_cannot_be_replayed(client, coordinator):
    device, _ = set_up_app(coordinator)
    code = code_for(device)
    first = Client()
    first.force_login(coordinator)
    assert first.post(TWO_FACTOR, {"code": code})["Location"] == "/account/start/"
    second = Client()
    second.force_login(coordinator)
    response = second.post(TWO_FACTOR, {"code": code})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()


def test_a_recovery_code_works_once(coordinator):
    _, codes = set_up_app(coordinator)
    first = Client()
    first.force_login(coordinator)
    assert first.get(PROTECTED).status_code == 302
    response = first.post(TWO_FACTOR, {"code": codes[0].upper(), "next": PROTECTED})
    assert response.status_code == 302 and response["Location"] == PROTECTED
    page = first.get(PROTECTED)
    assert page.status_code == 200
    assert "You used a recovery code: you have 9 left" in page.content.decode()
    assert RecoveryCode.objects.filter(device__user=coordinator).count() == 9

    second = Client()
    second.force_login(coordinator)
    response = second.post(TWO_FACTOR, {"code": codes[0], "next": PROTECTED})
    assert response.status_code == 200
    assert "has been used already" in response.content.decode()
    assert second.get(PROTECTED).status_code == 302
    # Another, unused code still works.
    assert second.post(TWO_FACTOR, {"code": codes[1], "next": PROTECTED}).status_code == 302
    assert second.get(PROTECTED).status_code == 200


def test_next_must_be_on_this_site(client, coordinator):
    device, _ = set_up_app(coordinator)
    client.force_login(coordinator)
    response = client.post(TWO_FACTOR, {"code": code_for(device),
                                        "next": "https://evil.example/"})
    assert response["Location"] == "/account/start/"


def wrong_code(device: AuthenticatorApp) -> str:
    return "000000" if code_for(device) != "000000" else "111111"


def test_wrong_codes_are_throttled(client, coordinator, settings):
    """Guessing is still slowed: after the forgiven typos, even the right code must wait."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 10
    device, _ = set_up_app(coordinator)
    client.force_login(coordinator)
    for _ in range(FORGIVEN_WRONG_CODES):
        client.post(TWO_FACTOR, {"code": wrong_code(device)})
    response = client.post(TWO_FACTOR, {"code": code_for(device)})
    assert response.status_code == 200
    assert "too many wrong codes" in response.content.decode()
    assert client.get(PROTECTED).status_code == 302


@pytest.mark.parametrize("throttle_factor", [1, 10])
def test_setting_up_a_typo_then_the_right_code_at_once_succeeds(client, coordinator, settings,
                                                                 throttle_factor):
    """Issue 13: with django-otp's real throttle, one wrong code made the right one entered
    straight after it fail with "too many wrong codes" while setting up the app."""
    settings.OTP_TOTP_THROTTLE_FACTOR = throttle_factor
    client.force_login(coordinator)
    client.get(TWO_FACTOR)
    device = AuthenticatorApp.objects.get(user=coordinator, confirmed=False)
    typo = client.post(TWO_FACTOR, {"code": wrong_code(device), "next": PROTECTED})
    assert "The code is not right" in typo.content.decode()
    done = client.post(TWO_FACTOR, {"code": code_for(device), "next": PROTECTED})
    assert "Two-factor authentication is set up" in done.content.decode()
    assert client.get(PROTECTED).status_code == 200


def test_signing_in_a_typo_then_the_right_code_at_once_succeeds(client, coordinator, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 10
    device, _ = set_up_app(coordinator)
    client.force_login(coordinator)
    client.post(TWO_FACTOR, {"code": wrong_code(device)})
    response = client.post(TWO_FACTOR, {"code": code_for(device), "next": PROTECTED})
    assert response.status_code == 302 and response["Location"] == PROTECTED


def test_new_recovery_codes_replace_the_old_ones(client, coordinator):
    device, old = set_up_app(coordinator)
    client.force_login(coordinator)
    # Not until the second factor is done in this session.
    response = client.post("/account/two-factor/recovery-codes/")
    assert response["Location"].startswith(TWO_FACTOR)
    client.post(TWO_FACTOR, {"code": code_for(device)})
    assert "Make new recovery codes" in client.get("/account/").content.decode()
    response = client.post("/account/two-factor/recovery-codes/")
    assert response.status_code == 200
    new = re.findall(r'<code class="nhsuk-u-font-size-22">([a-z2-7]+)</code>',
                     response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert RecoveryCodes.objects.filter(user=coordinator).count() == 1
    assert client.get("/account/two-factor/recovery-codes/").status_code == 405


def test_setting_up_again_replaces_the_old_devices(client, coordinator):
    """When an administrator removes a lost app, setting up a new one starts afresh."""
    device, old_codes = set_up_app(coordinator)
    device.delete()
    client.force_login(coordinator)
    assert 'data-two-factor-step="setup"' in client.get(TWO_FACTOR).content.decode()
    new_device = AuthenticatorApp.objects.get(user=coordinator, confirmed=False)
    client.post(TWO_FACTOR, {"code": code_for(new_device)})
    assert RecoveryCode.objects.filter(device__user=coordinator).count() == 10
    with pytest.raises(two_factor.CodeRefused):
        two_factor.verify(coordinator, old_codes[0])


def test_the_second_factor_needs_signing_in(client):
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")
