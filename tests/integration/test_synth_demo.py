"""`cradle demoaccounts` (make demo): a demo practitioner in a synthetic team and a demo
analyst who can sign in with the printed password and second factor; debug only; running it
again keeps the accounts and their authenticator secret and prints new passwords."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse
from django_otp.oath import totp

from cradle.accounts.models import AuthenticatorApp, User
from cradle.directory.models import Service
from cradle.outcomes.synth.demo import ANALYST_EMAIL, PRACTITIONER_EMAIL

pytestmark = pytest.mark.django_db


def demo_accounts() -> dict[str, dict[str, str]]:
    out = StringIO()
    call_command("demoaccounts", stdout=out)
    text = out.getvalue()
    accounts = {}
    for block in text.split("\n\n")[1:]:
        email = re.search(r"email:\s+(\S+)", block)
        if email:
            accounts[email[1]] = {
                "password": re.search(r"password:\s+(\S+)", block)[1],
                "secret": re.search(r"authenticator app: ([A-Z2-7 ]+)\n", block)[1].strip(),
                "codes": re.search(r"recovery codes: (.+)\n", block)[1].split(),
            }
    return accounts


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture
def synthetic(debug):
    call_command("synth", "--teams", "3", "--years", "1", "--seed", "5", stdout=StringIO())


def busiest_team() -> Service:
    return (Service.objects.filter(synthetic=True).annotate(n=Count("outcome_cases"))
            .order_by("-n", "name").first())


def test_demo_accounts_are_made_only_in_debug(settings):
    settings.DEBUG = False
    call_command("synth", "--teams", "1", "--years", "1", stdout=StringIO())
    with pytest.raises(CommandError, match="CRADLE_DEBUG"):
        demo_accounts()
    assert not User.objects.filter(email__in=[PRACTITIONER_EMAIL, ANALYST_EMAIL]).exists()


def test_demo_accounts_need_synthetic_teams(debug):
    with pytest.raises(CommandError, match="cradle synth"):
        demo_accounts()


def test_a_practitioner_in_the_busiest_synthetic_team_and_an_analyst(synthetic):
    accounts = demo_accounts()
    assert set(accounts) == {PRACTITIONER_EMAIL, ANALYST_EMAIL}
    practitioner = User.objects.get(email=PRACTITIONER_EMAIL)
    analyst = User.objects.get(email=ANALYST_EMAIL)
    assert practitioner.role_keys() == {"practitioner"}
    assert practitioner.team_ids() == {busiest_team().pk}
    assert analyst.role_keys() == {"analyst"}
    for email, account in accounts.items():
        user = User.objects.get(email=email)
        assert user.check_password(account["password"])
        assert len(account["codes"]) == 10
        device = AuthenticatorApp.objects.get(user=user, confirmed=True)
        assert account["secret"].replace(" ", "") in device.config_url


def test_the_printed_password_and_recovery_code_sign_in_to_the_team_caseload(synthetic,
                                                                             client):
    account = demo_accounts()[PRACTITIONER_EMAIL]
    response = client.post(reverse("accounts:login"),
                           {"username": PRACTITIONER_EMAIL, "password": account["password"]})
    assert response.status_code == 302
    team_page = reverse("outcomes:team", args=[busiest_team().pk])
    assert client.get(team_page).status_code == 302  # the second factor comes first
    response = client.post(reverse("accounts:two-factor"),
                           {"code": account["codes"][0], "next": team_page})
    assert response.status_code == 302
    page = client.get(team_page)
    assert page.status_code == 200
    assert "Synthetic team" in page.content.decode()


def test_the_printed_secret_gives_working_app_codes(synthetic, client):
    demo_accounts()
    analyst = User.objects.get(email=ANALYST_EMAIL)
    device = AuthenticatorApp.objects.get(user=analyst, confirmed=True)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    client.force_login(analyst)
    response = client.post(reverse("accounts:two-factor"), {"code": code})
    assert response.status_code == 302


def test_running_again_keeps_the_accounts_and_secret_with_a_new_password(synthetic):
    first = demo_accounts()
    second = demo_accounts()
    assert User.objects.filter(email__in=[PRACTITIONER_EMAIL, ANALYST_EMAIL]).count() == 2
    for email in (PRACTITIONER_EMAIL, ANALYST_EMAIL):
        user = User.objects.get(email=email)
        assert second[email]["secret"] == first[email]["secret"]
        assert second[email]["password"] != first[email]["password"]
        assert user.check_password(second[email]["password"])
        assert not user.check_password(first[email]["password"])
        assert AuthenticatorApp.objects.filter(user=user).count() == 1


def test_after_synth_clear_the_practitioner_moves_to_the_new_synthetic_team(synthetic):
    demo_accounts()
    call_command("synth", "--teams", "2", "--years", "1", "--seed", "8", "--clear",
                 stdout=StringIO())
    practitioner = User.objects.get(email=PRACTITIONER_EMAIL)
    assert practitioner.team_ids() == set()  # the old team went, and its membership
    demo_accounts()
    assert practitioner.team_ids() == {busiest_team().pk}
