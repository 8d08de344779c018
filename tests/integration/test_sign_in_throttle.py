"""Sign-in throttling per account, across addresses, with a progressive delay, that cannot be
turned on a colleague: the attacks, replayed."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from cradle.accounts import sign_in_throttle
from cradle.accounts.models import SignInFailures
from tests.accounts_helpers import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
WRONG = "not the password at all"
SIGN_IN = "/account/sign-in/"


def attempt(client: Client, email: str, password: str, address: str = "192.0.2.1"):
    return client.post(SIGN_IN, {"username": email, "password": password},
                       REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def let_time_pass(email: str, minutes: float) -> None:
    """Move the account's last failure back, as if `minutes` had gone by."""
    SignInFailures.objects.filter(key=sign_in_throttle.account_key(email)).update(
        last_failure_at=timezone.now() - datetime.timedelta(minutes=minutes))


def test_eighty_guesses_from_twenty_addresses_are_throttled():
    """The attack that used to work: 4 guesses from each of 20 addresses (under a lock-out per
    address and account), 80 in all. Now only the first five reach the password check."""
    make_user("target@example.org")
    checked = refused = 0
    for guess in range(80):
        address = f"198.51.100.{guess % 20 + 1}"
        response = attempt(Client(), "target@example.org", f"{WRONG} {guess}", address)
        if response.status_code == 429:
            refused += 1
            assert "Try again in" in response.content.decode()
        else:
            assert response.status_code == 200
            checked += 1
    assert (checked, refused) == (5, 75)
    # Even the right password, from yet another address, waits its turn.
    client = Client()
    assert attempt(client, "target@example.org", PASSWORD, "203.0.113.9").status_code == 429
    assert not signed_in(client)


def test_the_delay_grows_with_each_failure_and_is_capped():
    make_user("target@example.org")
    for guess in range(5):
        attempt(Client(), "target@example.org", f"{WRONG} {guess}")
    waits = []
    for _ in range(6):
        response = attempt(Client(), "target@example.org", WRONG)
        assert response.status_code == 429
        waits.append(int(response.content.decode().split("Try again in ")[1].split(" ")[0]))
        # Waiting just long enough lets exactly one more guess through.
        let_time_pass("target@example.org", waits[-1])
        assert attempt(Client(), "target@example.org", WRONG).status_code == 200
    assert waits == [1, 2, 4, 8, 15, 15]
    # Tries while waiting are not counted: hammering does not lengthen the wait.
    for _ in range(10):
        assert attempt(Client(), "target@example.org", WRONG).status_code == 429
    assert SignInFailures.objects.get(
        key=sign_in_throttle.account_key("target@example.org")).failures == 11


def test_a_colleague_behind_the_same_address_is_not_locked_out():
    make_user("target@example.org")
    make_user("colleague@example.org")
    office = "10.20.30.40"  # one NHS address for the whole building
    for guess in range(30):
        attempt(Client(), "target@example.org", f"{WRONG} {guess}", office)
    colleague = Client()
    response = attempt(colleague, "colleague@example.org", PASSWORD, office)
    assert response.status_code == 302 and signed_in(colleague)


def test_the_owner_signs_in_from_a_known_browser_while_someone_guesses_at_their_account():
    """Guessing at a colleague's account cannot shut them out: the browser they have signed
    in on before is counted on its own."""
    make_user("owner@example.org")
    laptop = Client()
    assert attempt(laptop, "owner@example.org", PASSWORD).status_code == 302
    assert sign_in_throttle.KNOWN_BROWSER_COOKIE in laptop.cookies
    laptop.post("/account/sign-out/")
    for guess in range(30):
        attempt(Client(), "owner@example.org", f"{WRONG} {guess}", "10.20.30.40")
    assert attempt(Client(), "owner@example.org", PASSWORD).status_code == 429
    response = attempt(laptop, "owner@example.org", PASSWORD, "10.20.30.40")
    assert response.status_code == 302 and signed_in(laptop)
    # The account's own count is still running for everyone else.
    assert attempt(Client(), "owner@example.org", PASSWORD).status_code == 429


def test_a_known_browser_cookie_is_no_way_round_the_limit():
    make_user("owner@example.org")
    make_user("attacker@example.org")
    # A cookie for one account does nothing for another.
    browser = Client()
    attempt(browser, "attacker@example.org", PASSWORD)
    browser.post("/account/sign-out/")
    for guess in range(5):
        attempt(browser, "owner@example.org", f"{WRONG} {guess}")
    assert attempt(browser, "owner@example.org", WRONG).status_code == 429
    # A forged cookie counts for nothing.
    forged = Client()
    forged.cookies[sign_in_throttle.KNOWN_BROWSER_COOKIE] = "forged:value"
    assert attempt(forged, "owner@example.org", WRONG).status_code == 429
    # And a known browser is limited on its own count, as strictly.
    for guess in range(5):
        assert attempt(browser, "attacker@example.org", f"{WRONG} {guess}").status_code == 200
    assert attempt(browser, "attacker@example.org", PASSWORD).status_code == 429


def test_a_right_password_clears_the_count():
    make_user("typo@example.org")
    client = Client()
    for _ in range(4):
        attempt(client, "typo@example.org", WRONG)
    assert attempt(client, "typo@example.org", PASSWORD).status_code == 302
    assert not SignInFailures.objects.filter(
        key=sign_in_throttle.account_key("typo@example.org")).exists()


def test_forgotten_counts_are_pruned():
    make_user("typo@example.org")
    attempt(Client(), "someone-long-ago@example.org", WRONG)
    let_time_pass("someone-long-ago@example.org", 25 * 60)
    attempt(Client(), "typo@example.org", PASSWORD)
    assert not SignInFailures.objects.exists()


def test_the_table_names_no_one():
    make_user("target@example.org")
    attempt(Client(), "target@example.org", WRONG)
    attempt(Client(), "nobody-here@example.org", WRONG)
    for row in SignInFailures.objects.values("key"):
        assert "@" not in row["key"] and "example" not in row["key"]
    assert SignInFailures.objects.count() == 2
