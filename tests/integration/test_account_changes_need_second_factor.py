"""Changing an account needs the second factor where the account has one: with a password
alone (a stolen or guessed one) nobody can change the password, sign out the owner's other
sessions or replace the recovery codes. The attacks, replayed."""

from __future__ import annotations

import pytest
from django.test import Client

from cradle.accounts import two_factor
from cradle.accounts.models import AuthenticatorApp, CommissionerArea
from cradle.geography.models import Area
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
NEW_PASSWORD = "plum kettle orbit meadow 7"
CHANGE = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
          "new_password2": NEW_PASSWORD}


@pytest.fixture
def analyst():
    user = make_user("analyst@example.org", network_role="analyst")
    AuthenticatorApp.new(user, "app", confirmed=True)
    return user


def password_only(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def goes_to_second_factor(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        "/account/two-factor/")


def test_a_password_alone_cannot_change_the_password(analyst):
    client = password_only(analyst)
    assert goes_to_second_factor(client.get("/account/password/"))
    assert goes_to_second_factor(client.post("/account/password/", CHANGE))
    analyst.refresh_from_db()
    assert analyst.check_password(PASSWORD) and not analyst.check_password(
        NEW_PASSWORD)


def test_a_password_alone_cannot_sign_out_everywhere(analyst):
    owner = sign_in(Client(), analyst)
    intruder = password_only(analyst)
    assert goes_to_second_factor(intruder.post("/account/sign-out-everywhere/"))
    assert owner.get("/account/").status_code == 200  # the owner's session goes on


def test_a_password_alone_cannot_replace_the_recovery_codes(analyst):
    codes = two_factor.new_recovery_codes(analyst)
    intruder = password_only(analyst)
    assert goes_to_second_factor(intruder.post("/account/two-factor/recovery-codes/"))
    assert two_factor.verify(analyst, codes[0]).recovery_code_used  # the old ones stand


def test_with_the_second_factor_the_changes_work(analyst):
    client = sign_in(Client(), analyst)
    response = client.post("/account/password/", CHANGE)
    assert response.status_code == 302 and response["Location"] == "/account/"
    analyst.refresh_from_db()
    assert analyst.check_password(NEW_PASSWORD)


def test_a_role_that_needs_a_second_factor_is_refused_before_setting_one_up():
    user = make_user("coordinator@example.org", network_role="coordinator")
    client = password_only(user)
    assert goes_to_second_factor(client.post("/account/password/", CHANGE))
    assert goes_to_second_factor(client.post("/account/sign-out-everywhere/"))


def test_an_account_without_a_second_factor_changes_its_password_with_the_password():
    user = make_user("commissioner@example.org")
    CommissionerArea.objects.create(user=user, area=Area.objects.get(scheme="ccg2019",
                                                                     code="E38000001"))
    client = password_only(user)
    assert client.post("/account/password/", CHANGE)["Location"] == "/account/"
