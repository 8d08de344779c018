"""Accounts: signing in by email, lock-out, session expiry, signing out (everywhere), the
account page, password reset and change, invitations, `cradle createuser` and the admin."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cradle.accounts import invitations
from cradle.accounts.models import (
    CommissionerArea,
    Invitation,
    NetworkRole,
    TeamMembership,
    User,
)
from cradle.directory.models import Service
from cradle.geography.models import Area
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
NEW_PASSWORD = "plum kettle orbit meadow 7"
SIGN_IN = "/account/sign-in/"


def _sign_in(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": email, "password": password, **extra})


def _signed_in_as(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


@pytest.fixture
def team() -> Service:
    return Service.objects.get(register_ref="T01")


# Signing in --------------------------------------------------------------------------------

def test_sign_in_page_names_the_email_field_username(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1>Sign in</h1>' in html
    assert 'name="username" type="email"' in html
    assert 'type="password"' in html and 'autocomplete="current-password"' in html


def test_sign_in_with_email_and_password(client):
    user = make_user("Practitioner@Example.org".lower())
    response = _sign_in(client, "  PRACTITIONER@example.org ")
    assert response.status_code == 302
    # The landing page by role (issue 13): someone with no role lands on their account.
    assert response["Location"] == "/account/start/"
    assert client.get("/account/start/")["Location"] == "/account/"
    assert _signed_in_as(client) == str(user.pk)
    page = client.get("/account/")
    assert "practitioner@example.org" in page.content.decode()


def test_a_wrong_password_is_refused_without_saying_which_part_is_wrong(client):
    make_user("someone@example.org")
    wrong = _sign_in(client, "someone@example.org", "not the password at all")
    unknown = _sign_in(client, "nobody@example.org", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 200
        html = response.content.decode()
        assert "There is a problem" in html
        assert "Enter a correct email address and password" in html
        assert response.context["form"].errors
    assert _signed_in_as(client) is None


def test_empty_sign_in_says_what_to_enter(client):
    html = _sign_in(client, "", "").content.decode()
    assert '<title>Error: Sign in' in html
    assert 'href="#id_username">Enter your email address' in html
    assert 'href="#id_password">Enter your password' in html


def test_sign_in_goes_to_a_safe_next_page_only(client):
    make_user("next@example.org")
    response = _sign_in(client, "next@example.org", next="/areas/")
    assert response["Location"] == "/areas/"
    client.post("/account/sign-out/")
    response = _sign_in(client, "next@example.org", next="https://evil.example/")
    assert response["Location"] == "/account/start/"


def test_five_wrong_passwords_make_the_account_wait(client):
    user = make_user("target@example.org")
    for _ in range(5):
        assert _sign_in(client, "target@example.org", "wrong password here").status_code == 200
    locked = _sign_in(client, "target@example.org", "wrong password here")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "You cannot sign in at the moment" in html
    assert "target@example.org" not in html  # says nothing of the account
    assert "Try again in 1 minute." in html

    refused = _sign_in(client, "target@example.org", PASSWORD)
    assert refused.status_code == 429
    assert _signed_in_as(client) is None

    # The same message for an address that has no account: nothing is revealed.
    for _ in range(6):
        response = _sign_in(client, "ghost@example.org", "wrong password here")
    assert response.status_code == 429
    assert "You cannot sign in at the moment" in response.content.decode()
    assert user.pk  # (the real account stayed untouched)


def test_resetting_the_password_lifts_the_lock_out(client, mailoutbox):
    make_user("forgetful@example.org")
    for _ in range(5):
        _sign_in(client, "forgetful@example.org", "wrong password here")
    assert _sign_in(client, "forgetful@example.org", PASSWORD).status_code == 429
    _reset_password(client, "forgetful@example.org", mailoutbox, NEW_PASSWORD)
    response = _sign_in(client, "forgetful@example.org", NEW_PASSWORD)
    assert response.status_code == 302


# Sessions ----------------------------------------------------------------------------------

def _session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_ends_after_inactivity(client):
    make_user("idle@example.org")
    _sign_in(client, "idle@example.org")
    assert client.get("/account/").status_code == 200

    # Each request pushes the expiry back by the whole session age (30 minutes)...
    row = _session_row(client)
    row.expire_date = timezone.now() + datetime.timedelta(seconds=5)
    row.save()
    assert client.get("/account/").status_code == 200
    remaining = _session_row(client).expire_date - timezone.now()
    assert remaining > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)

    # ...and once that time passes without a request, the session is over.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/?next=")


def test_session_settings_expire_on_inactivity():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_sign_out_is_a_post(client):
    user = make_user("leaving@example.org")
    client.force_login(user)
    assert client.get("/account/sign-out/").status_code == 405
    response = client.post("/account/sign-out/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in_as(client) is None


def test_sign_out_everywhere_ends_the_other_sessions(client):
    user = make_user("many@example.org")
    other = make_user("other@example.org")
    laptop, phone, someone_else = Client(), Client(), Client()
    for c in (laptop, phone):
        c.force_login(user)
    someone_else.force_login(other)
    assert phone.get("/account/").status_code == 200

    assert laptop.get("/account/sign-out-everywhere/").status_code == 405
    response = laptop.post("/account/sign-out-everywhere/")
    assert response.status_code == 302 and response["Location"] == "/account/sign-in/"
    assert "signed out on every device" in laptop.get(SIGN_IN).content.decode()

    assert phone.get("/account/").status_code == 302
    assert laptop.get("/account/").status_code == 302
    assert someone_else.get("/account/").status_code == 200


# The account page --------------------------------------------------------------------------

def test_account_page_needs_signing_in(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/account/"


def test_account_page_shows_email_roles_and_teams(client, team):
    user = make_user("manager@example.org", team=team, team_role="team_manager")
    NetworkRole.objects.create(user=user, role="analyst")
    sign_in(client, user)
    html = client.get("/account/").content.decode()
    assert '<dd class="nhsuk-summary-list__value" data-account-email>manager@example.org' in html
    assert 'data-role="team_manager"' in html and "Team manager" in html
    assert 'data-role="analyst"' in html and "Network analyst" in html
    team_page = reverse("accounts:team-members", args=[team.pk])
    assert (f'data-team="{team.pk}"><a href="{team_page}">{team.name}</a> (team manager)'
            in html)
    assert "confirmed for this session" in html
    assert "Invite people" not in html


def test_account_page_of_a_commissioner_lists_their_areas(client):
    user = make_user("commissioner@example.org")
    area = Area.objects.get(scheme="ccg2019", code="E38000001")
    CommissionerArea.objects.create(user=user, area=area)
    sign_in(client, user, verified=False)
    html = client.get("/account/").content.decode()
    assert 'data-role="commissioner"' in html
    assert f"{area.name} (E38000001)" in html
    assert "Your roles do not need it" in html


# Passwords ---------------------------------------------------------------------------------

def _reset_password(client: Client, email: str, mailoutbox, password: str):
    start = len(mailoutbox)
    response = client.post("/account/password-reset/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/account/password-reset/sent/"
    assert len(mailoutbox) == start + 1
    message = mailoutbox[-1]
    assert message.to == [email.lower()]  # the account's own address
    assert message.subject == "Reset your Cradle password"
    link = re.search(r"https?://testserver(/account/password-reset/\S+/)", message.body)[1]
    response = client.get(link)  # moves the token into the session
    assert response.status_code == 302
    form_url = response["Location"]
    assert "set-password" in form_url
    page = client.get(form_url)
    assert "Choose a new password" in page.content.decode()
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert response["Location"] == "/account/password-reset/done/"
    return link


def test_password_reset_by_email(client, mailoutbox):
    user = make_user("reset@example.org")
    elsewhere = Client()
    elsewhere.force_login(user)
    assert client.get("/account/password-reset/").status_code == 200

    link = _reset_password(client, "Reset@Example.org", mailoutbox, NEW_PASSWORD)
    assert "Your password has been changed" in client.get(
        "/account/password-reset/done/").content.decode()
    assert _sign_in(Client(), "reset@example.org", PASSWORD).status_code == 200  # old: no
    assert _sign_in(Client(), "reset@example.org", NEW_PASSWORD).status_code == 302
    assert elsewhere.get("/account/").status_code == 302  # other sessions ended

    # The link works once.
    response = client.get(link, follow=True)
    assert "This link does not work" in response.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client,
                                                                              mailoutbox):
    response = client.post("/account/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/account/password-reset/sent/"
    assert mailoutbox == []


def test_password_reset_applies_the_validators(client, mailoutbox):
    make_user("weak@example.org")
    client.post("/account/password-reset/", {"email": "weak@example.org"})
    link = re.search(r"testserver(/\S+/)", mailoutbox[0].body)[1]
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "too short" in html


def test_password_change(client):
    user = make_user("changer@example.org")
    elsewhere = Client()
    elsewhere.force_login(user)
    sign_in(client, user, verified=False)
    assert client.get("/account/password/").status_code == 200

    response = client.post("/account/password/", {
        "old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "Your current password is not right" in response.content.decode()
    response = client.post("/account/password/", {
        "old_password": PASSWORD, "new_password1": "12345678901234",
        "new_password2": "12345678901234"})
    assert "entirely numeric" in response.content.decode()

    response = client.post("/account/password/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert "Your password has been changed" in client.get("/account/").content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.password.startswith("argon2")
    assert elsewhere.get("/account/").status_code == 302


def test_password_change_needs_signing_in(client):
    response = client.get("/account/password/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


# Invitations -------------------------------------------------------------------------------

@pytest.fixture
def coordinator(client):
    user = make_user("coordinator@example.org", network_role="coordinator")
    sign_in(client, user)
    return user


def _invite(client, mailoutbox, capture, **data):
    with capture(execute=True):
        response = client.post("/account/invitations/", data)
    assert response.status_code == 302, response.content.decode()
    message = mailoutbox[-1]
    link = re.search(r"https?://testserver(/account/invitations/accept/[^/\s]+/)", message.body)
    return message, link[1]


def test_invitation_end_to_end(client, coordinator, team, mailoutbox,
                               django_capture_on_commit_callbacks):
    assert client.get("/account/invitations/").status_code == 200
    message, link = _invite(client, mailoutbox, django_capture_on_commit_callbacks,
                            email="New.Person@Example.org", role="practitioner",
                            service=team.pk)
    assert message.to == ["new.person@example.org"]
    assert message.subject == "You are invited to Cradle"
    assert "coordinator@example.org has invited you to Cradle as practitioner" in message.body
    assert team.name in message.body

    invitation = Invitation.objects.get()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == invitations.hash_token(token) != token
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    listing = client.get("/account/invitations/").content.decode()
    assert 'data-invitation="new.person@example.org"' in listing and "Waiting" in listing

    invitee = Client()
    page = invitee.get(link)
    assert page.status_code == 200
    assert "Create your account" in page.content.decode()
    weak = invitee.post(link, {"new_password1": "password123", "new_password2": "password123"})
    assert weak.status_code == 200 and "There is a problem" in weak.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()

    response = invitee.post(link, {"new_password1": NEW_PASSWORD,
                                   "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/?next=%2Faccount%2F"
    user = User.objects.get(email="new.person@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert TeamMembership.objects.get(user=user).service == team
    assert user.role_keys() == {"practitioner"}
    assert _signed_in_as(invitee) == str(user.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert "Accepted" in client.get("/account/invitations/").content.decode()

    # The link works once.
    again = Client().get(link)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    again = Client().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert again.status_code == 410


def test_an_expired_invitation_is_refused(client, coordinator, mailoutbox,
                                          django_capture_on_commit_callbacks):
    _, link = _invite(client, mailoutbox, django_capture_on_commit_callbacks,
                      email="late@example.org", role="analyst")
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = Client().get(link)
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    response = Client().post(link, {"new_password1": NEW_PASSWORD,
                                    "new_password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email="late@example.org").exists()


def test_an_unknown_invitation_link_is_refused(client):
    response = client.get("/account/invitations/accept/not-a-real-token/")
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_inviting_again_replaces_the_waiting_invitation(client, coordinator, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    _, first = _invite(client, mailoutbox, django_capture_on_commit_callbacks,
                       email="twice@example.org", role="analyst")
    _, second = _invite(client, mailoutbox, django_capture_on_commit_callbacks,
                        email="twice@example.org", role="analyst")
    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 200


def test_invitations_of_a_coordinator_and_a_commissioner(client, coordinator, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    _, link = _invite(client, mailoutbox, django_capture_on_commit_callbacks,
                      email="boss@example.org", role="coordinator")
    Client().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    boss = User.objects.get(email="boss@example.org")
    assert boss.role_keys() == {"coordinator"}
    assert boss.is_staff and boss.groups.filter(name="Coordinators").exists()

    _, link = _invite(client, mailoutbox, django_capture_on_commit_callbacks,
                      email="ccg@example.org", role="commissioner",
                      areas="ccg2019:E38000001 E38000002")
    response = Client().post(link, {"new_password1": NEW_PASSWORD,
                                    "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/account/"  # commissioners need no second factor
    ccg = User.objects.get(email="ccg@example.org")
    assert ccg.role_keys() == {"commissioner"}
    assert sorted(ccg.commissioner_areas.values_list("area__code", flat=True)) == [
        "E38000001", "E38000002"]


def test_the_invitation_form_says_what_is_missing(client, coordinator, mailoutbox):
    response = client.post("/account/invitations/", {"email": "", "role": ""})
    html = response.content.decode()
    assert "Enter the email address to send the invitation to" in html
    assert 'href="#id_role_0">Choose a role' in html
    response = client.post("/account/invitations/", {"email": "a@example.org",
                                                     "role": "team_manager"})
    assert "Choose the team the team manager joins" in response.content.decode()
    response = client.post("/account/invitations/", {"email": "a@example.org",
                                                     "role": "commissioner",
                                                     "areas": "nowhere:X1"})
    assert "No single area has the code nowhere:X1" in response.content.decode()
    response = client.post("/account/invitations/", {"email": "coordinator@example.org",
                                                     "role": "analyst"})
    assert "There is already an account for this email address" in response.content.decode()
    assert Invitation.objects.count() == 0 and mailoutbox == []


def test_only_verified_coordinators_invite(client, team):
    practitioner = make_user("p@example.org", team=team)
    sign_in(client, practitioner)
    assert client.get("/account/invitations/").status_code == 403

    unverified = Client()
    sign_in(unverified, make_user("c@example.org", network_role="coordinator"), verified=False)
    response = unverified.get("/account/invitations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/?next=/account/invitations/")

    response = Client().post("/account/invitations/", {"email": "x@example.org",
                                                       "role": "analyst"})
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")
    assert Invitation.objects.count() == 0


def test_accepting_twice_makes_one_account(team):
    links = []
    invitations.invite(email="race@example.org", role="practitioner", service=team,
                       invited_by=None, accept_url=lambda token: links.append(token) or token)
    invitations.accept(links[0], NEW_PASSWORD)
    with pytest.raises(invitations.InvitationError, match="already been used"):
        invitations.accept(links[0], NEW_PASSWORD)
    assert User.objects.filter(email="race@example.org").count() == 1


# cradle createuser -------------------------------------------------------------------------

def _createuser(monkeypatch, *args, password=NEW_PASSWORD) -> str:
    monkeypatch.setenv("CRADLE_NEW_USER_PASSWORD", password)
    out = io.StringIO()
    call_command("createuser", *args, stdout=out)
    return out.getvalue()


def test_createuser_makes_a_team_member(monkeypatch, team):
    out = _createuser(monkeypatch, "--email", "Nurse@Example.org", "--role", "practitioner",
                      "--team", "t01")
    assert out.strip() == f"Created nurse@example.org: Practitioner in {team.name}"
    assert NEW_PASSWORD not in out
    user = User.objects.get(email="nurse@example.org")
    assert user.check_password(NEW_PASSWORD) and not user.is_staff
    assert TeamMembership.objects.get(user=user).service == team

    _createuser(monkeypatch, "--email", "lead@example.org", "--role", "team_manager",
                "--team", str(team.pk))
    assert User.objects.get(email="lead@example.org").team_ids() == {team.pk}


def test_createuser_coordinator_gets_admin_access(monkeypatch):
    out = _createuser(monkeypatch, "--email", "coord@example.org", "--role", "coordinator")
    assert "with admin access" in out
    user = User.objects.get(email="coord@example.org")
    assert user.is_staff and not user.is_superuser
    group = Group.objects.get(name="Coordinators")
    assert user.groups.filter(pk=group.pk).exists()
    assert user.has_perm("directory.change_service")
    assert user.has_perm("foi.add_campaign")
    assert not user.has_perm("accounts.change_user")


def test_createuser_commissioner_with_areas_and_staff(monkeypatch):
    _createuser(monkeypatch, "--email", "comm@example.org", "--role", "commissioner",
                "--area", "ccg2019:E38000001", "--area", "ccg2019:E38000002", "--staff")
    user = User.objects.get(email="comm@example.org")
    assert user.role_keys() == {"commissioner"}
    assert user.commissioner_areas.count() == 2
    assert user.is_staff


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "practitioner"], "needs --team"),
    (["--role", "practitioner", "--team", "T999"], "No service"),
    (["--role", "commissioner"], "at least one --area"),
    (["--role", "commissioner", "--area", "ccg2019:NOPE"], "No single area"),
    (["--role", "analyst", "--team", "T01"], "--team is only for a team role"),
])
def test_createuser_refuses_incomplete_roles(monkeypatch, args, message):
    with pytest.raises(CommandError, match=message):
        _createuser(monkeypatch, "--email", "x@example.org", *args)
    assert not User.objects.filter(email="x@example.org").exists()


def test_createuser_applies_the_password_validators(monkeypatch):
    with pytest.raises(CommandError, match="too short") as error:
        _createuser(monkeypatch, "--email", "x@example.org", "--role", "analyst",
                    password="short")
    assert "short\"" not in str(error.value)
    with pytest.raises(CommandError, match="too similar"):
        _createuser(monkeypatch, "--email", "averylongname@example.org", "--role", "analyst",
                    password="averylongname@example.org")
    assert User.objects.count() == 0


def test_createuser_refuses_an_existing_address_and_a_missing_password(monkeypatch):
    make_user("taken@example.org")
    with pytest.raises(CommandError, match="already an account"):
        _createuser(monkeypatch, "--email", "taken@example.org", "--role", "analyst")
    monkeypatch.delenv("CRADLE_NEW_USER_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: nobody to ask
    with pytest.raises(CommandError, match="CRADLE_NEW_USER_PASSWORD"):
        call_command("createuser", "--email", "new@example.org", "--role", "analyst")


# The admin ---------------------------------------------------------------------------------

def test_admin_edits_users_by_email_with_their_roles(client, team):
    admin = User.objects.create_superuser("admin@example.org", PASSWORD)
    sign_in(client, admin)
    user = make_user("member@example.org", team=team)
    assert client.get("/admin/accounts/user/").status_code == 200
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "member@example.org" in html and "username" not in html.lower().replace(
        "autocomplete=\"username\"", "")
    assert "team_memberships-TOTAL_FORMS" in html

    assert client.get("/admin/accounts/user/add/").status_code == 200
    response = client.post("/admin/accounts/user/add/", {
        "email": "added@example.org", "usable_password": "true",
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
        "team_memberships-TOTAL_FORMS": "0", "team_memberships-INITIAL_FORMS": "0",
        "network_roles-TOTAL_FORMS": "0", "network_roles-INITIAL_FORMS": "0",
        "commissioner_areas-TOTAL_FORMS": "0", "commissioner_areas-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="added@example.org").check_password(NEW_PASSWORD)
    assert client.get("/admin/accounts/invitation/").status_code == 200
