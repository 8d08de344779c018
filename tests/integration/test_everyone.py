"""Issue 13, everyone: each role lands on its work, error pages in the NHS.UK design with a way
back, the statements in every footer, invitations resent and revoked, and the admin's
synthetic-team filter and staffing history."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults
from django_otp import DEVICE_ID_SESSION_KEY

from cradle.accounts import invitations
from cradle.accounts.models import (
    AuthenticatorApp,
    CommissionerArea,
    Invitation,
    NetworkRole,
    TeamMembership,
)
from cradle.accounts.sign_in_throttle import KNOWN_BROWSER_COOKIE
from cradle.audit.models import AuditEntry
from cradle.directory.models import Profession, Service
from cradle.geography.models import Area
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
STATEMENTS = ["/privacy/", "/accessibility/", "/cookies/", "/contact/"]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# Landing after sign-in ---------------------------------------------------------------------

def signed_in_lands_on(client, user, next_page: str = "") -> str:
    """Sign in with the password (and the second factor if asked) and follow to the end."""
    if not AuthenticatorApp.objects.filter(user=user).exists():
        AuthenticatorApp.new(user, "test authenticator", confirmed=True)
    data = {"username": user.email, "password": PASSWORD}
    if next_page:
        data["next"] = next_page
    response = client.post("/account/sign-in/", data)
    assert response.status_code == 302, text(response)
    location = response["Location"]
    if location.startswith(settings.TWO_FACTOR_URL):
        # The second-factor step passes through to `next` once verified; verify directly.
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = AuthenticatorApp.objects.get(
            user=user).persistent_id
        session.save()
        location = client.get(location)["Location"]
    while location.startswith("/account/start/") or location == "/outcomes/":
        following = client.get(location)
        if following.status_code != 302:
            break
        location = following["Location"]
    return location


def test_a_practitioner_lands_on_their_teams_caseload(client):
    leeds = Service.objects.get(register_ref="T15")
    user = make_user("practitioner@example.org", team=leeds)
    assert signed_in_lands_on(client, user) == reverse("outcomes:team", args=[leeds.pk])


def test_a_practitioner_of_two_teams_chooses_one(client):
    leeds, bradford = (Service.objects.get(register_ref=ref) for ref in ("T15", "T16"))
    user = make_user("practitioner@example.org", team=leeds)
    TeamMembership.objects.create(user=user, service=bradford, role="practitioner")
    sign_in(client, user)
    response = client.get("/account/start/")
    assert response["Location"] == reverse("outcomes:home")
    chooser = client.get(reverse("outcomes:home"))
    assert chooser.status_code == 200
    for team in (leeds, bradford):
        assert reverse("outcomes:team", args=[team.pk]) in chooser.content.decode()


@pytest.mark.parametrize("role, landing", [("analyst", "/pooled/"),
                                           ("coordinator", "/foi/")])
def test_network_roles_land_on_their_work(client, role, landing):
    user = make_user(f"{role}@example.org", network_role=role)
    assert signed_in_lands_on(client, user) == landing


def test_a_commissioner_lands_on_their_areas_planning_profile(client):
    user = make_user("commissioner@example.org")
    area = Area.objects.get(scheme="ccg2019", code="E38000001")
    CommissionerArea.objects.create(user=user, area=area)
    location = signed_in_lands_on(client, user)
    assert location == reverse("planning:area-profile", args=["ccg2019", "E38000001"])
    assert client.get(location).status_code == 200


def test_someone_with_no_role_lands_on_their_account(client):
    user = make_user("nobody@example.org")
    assert signed_in_lands_on(client, user) == "/account/"


def test_next_is_still_honoured_and_an_offsite_next_is_not(client):
    user = make_user("coordinator@example.org", network_role="coordinator")
    assert signed_in_lands_on(client, user, "/audit/") == "/audit/"
    assert signed_in_lands_on(client, user, "https://evil.example.org/") == "/foi/"


# Error pages -------------------------------------------------------------------------------

def assert_nhs_error_page(response, status: int, heading: str) -> None:
    page = text(response)
    assert response.status_code == status
    assert f'data-error-page="{status}"' in page
    assert heading in page
    assert 'class="nhsuk-header"' in page and 'class="nhsuk-footer"' in page
    assert 'href="/">Go to the Cradle home page</a>' in page
    assert "403 Forbidden" not in page


def test_a_refused_role_gets_the_nhs_403_page_from_require_permission(client):
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    assert_nhs_error_page(client.get("/foi/"), 403,
                          "You do not have permission to see this page")


def test_a_missing_page_gets_the_nhs_404_page(client):
    assert_nhs_error_page(client.get("/no-such-page/"), 404, "Page not found")


def test_another_teams_case_is_the_nhs_404_page(client):
    sign_in(client, make_user("practitioner@example.org",
                              team=Service.objects.get(register_ref="T15")))
    assert_nhs_error_page(client.get("/outcomes/cases/999999/"), 404, "Page not found")


def test_a_server_error_gets_the_nhs_500_page_without_request_context():
    response = defaults.server_error(RequestFactory().get("/"))
    assert_nhs_error_page(response, 500, "Sorry, there is a problem with the service")


def test_a_form_without_its_csrf_cookie_gets_the_nhs_page(client):
    client = client.__class__(enforce_csrf_checks=True)
    response = client.post("/account/sign-in/", {"username": "a@example.org"})
    assert response.status_code == 403
    assert "Your form could not be sent" in text(response)


# Statements --------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/services/", "/account/sign-in/", "/no-such-page/",
                                 *STATEMENTS])
def test_every_page_links_the_statements_from_its_footer(client, url):
    footer = text(client.get(url)).split('class="nhsuk-footer"', 1)[1]
    for statement in STATEMENTS:
        assert f'href="{statement}"' in footer


def test_the_statements_are_public(client):
    for url in STATEMENTS:
        assert client.get(url).status_code == 200


def test_the_privacy_notice_covers_what_is_held_the_lawful_basis_retention_and_rights(client):
    page = text(client.get("/privacy/"))
    for words in ("pseudonym", "birth month", "postcode district", "Article 6(1)(e)",
                  "Article 9(2)(h)", "Article 9(2)(i)", "Schedule 1", "Data Protection Officer",
                  "How long it is kept", "Your rights", "Information Commissioner"):
        assert words in page, words


def test_the_accessibility_statement_names_the_standard_tests_and_enforcement(client):
    page = text(client.get("/accessibility/"))
    for words in ("WCAG", "2.2", "AA", "axe", "Known issues", "Reporting a problem",
                  "Equality and Human Rights Commission"):
        assert words in page, words


def test_the_cookies_page_lists_every_cookie_cradle_sets_by_its_real_name(client):
    page = text(client.get("/cookies/"))
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages",
                 KNOWN_BROWSER_COOKIE):
        assert f"<code>{name}</code>" in page
    # And the cookies a sign-in really sets are all listed.
    user = make_user("nobody@example.org")
    client.get("/account/sign-in/")
    response = client.post("/account/sign-in/", {"username": user.email, "password": PASSWORD})
    for cookie in set(client.cookies) | set(response.cookies):
        assert f"<code>{cookie}</code>" in page, cookie


def test_the_contact_address_comes_from_the_settings(client, settings):
    assert "network coordinator" in text(client.get("/contact/"))
    settings.CRADLE_CONTACT_EMAIL = "cradle-help@example.org"
    assert 'href="mailto:cradle-help@example.org"' in text(client.get("/contact/"))


# The menu, invitations ---------------------------------------------------------------------

def test_coordinators_reach_the_admin_and_invitations_from_the_menu(client):
    sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))
    nav = text(client.get("/")).split('aria-label="Menu"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/account/invitations/"' in nav and 'href="/admin/"' in nav
    client.logout()
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    nav = text(client.get("/")).split('aria-label="Menu"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/account/invitations/"' not in nav and 'href="/admin/"' not in nav


@pytest.fixture
def coordinator(client):
    user = make_user("coordinator@example.org", network_role="coordinator")
    sign_in(client, user)
    return user


def invite(email: str, by) -> Invitation:
    return invitations.invite(email=email, role="analyst", invited_by=by,
                              accept_url=lambda token: "https://cradle.example.org" + reverse(
                                  "accounts:accept-invitation", args=[token]))


def link_token(message) -> str:
    return re.search(r"https?://\S+/accept/([^/\s]+)/", message.body)[1]


def test_a_waiting_invitation_is_listed_and_can_be_sent_again(client, coordinator,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = invite("new.analyst@example.org", coordinator)
    page = text(client.get("/account/invitations/"))
    assert reverse("accounts:invitation-resend", args=[first.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:invitation-resend", args=[first.pk]))
    assert response.status_code == 302
    assert "sent again" in text(client.get("/account/invitations/"))
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["new.analyst@example.org"]
    first.refresh_from_db()
    assert first.status() == "Expired"
    second = Invitation.objects.exclude(pk=first.pk).get()
    assert (second.email, second.role, second.status()) == ("new.analyst@example.org",
                                                            "analyst", "Waiting")
    assert invitations.refusal(invitations.find_invitation(link_token(mail.outbox[1]))) is None
    assert "expired" in invitations.refusal(invitations.find_invitation(
        link_token(mail.outbox[0])))
    assert AuditEntry.objects.filter(model_label="accounts.invitation",
                                     object_id=str(second.pk)).exists()
    # Sending the expired one again is refused with a message (a double click).
    client.post(reverse("accounts:invitation-resend", args=[first.pk]))
    assert "no longer waiting" in text(client.get("/account/invitations/"))
    assert Invitation.objects.count() == 2


def test_a_revoked_invitation_link_no_longer_works(client, coordinator,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite("new.analyst@example.org", coordinator)
    token = link_token(mail.outbox[0])
    response = client.post(reverse("accounts:invitation-revoke", args=[invitation.pk]))
    assert response.status_code == 302
    assert "revoked" in text(client.get("/account/invitations/"))
    with pytest.raises(invitations.InvitationError):
        invitations.accept(token, PASSWORD)
    assert AuditEntry.objects.filter(model_label="accounts.invitation",
                                     object_id=str(invitation.pk),
                                     note="invitation revoked").exists()
    client.logout()
    accept_page = client.get(reverse("accounts:accept-invitation", args=[token]))
    assert "expired" in text(accept_page)


def test_only_user_managers_can_resend_or_revoke(client, django_capture_on_commit_callbacks):
    owner = make_user("coordinator@example.org", network_role="coordinator")
    invitation = invite("new.analyst@example.org", owner)
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    for name in ("accounts:invitation-resend", "accounts:invitation-revoke"):
        assert client.post(reverse(name, args=[invitation.pk])).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status() == "Waiting"


# The admin ---------------------------------------------------------------------------------

@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin@example.org", "x" * 16)
    NetworkRole.objects.create(user=user, role="coordinator")
    return sign_in(client, user)


def test_the_admin_hides_synthetic_teams_unless_asked(admin_client):
    Service.objects.filter(register_ref="T16").update(synthetic=True, name="Synthetic team A")
    url = reverse("admin:directory_service_changelist")
    assert "Synthetic team A" not in text(admin_client.get(url))
    assert "Synthetic team A" in text(admin_client.get(url, {"synthetic": "shown"}))
    only = text(admin_client.get(url, {"synthetic": "only"}))
    assert "Synthetic team A" in only
    assert Service.objects.get(register_ref="T15").name not in only


def change_form_data(page) -> dict:
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for field in management:
            data[f"{management.prefix}-{field.name}"] = field.value()
        for index, inline_form in enumerate(formset.formset.forms):
            for field in inline_form:
                value = field.value()
                if value is not None:
                    data[f"{formset.formset.prefix}-{index}-{field.name}"] = value
    return data


def test_a_staffing_edit_in_the_admin_is_in_the_services_history(admin_client):
    leeds = Service.objects.get(register_ref="T15")
    url = reverse("admin:directory_service_change", args=[leeds.pk])
    data = change_form_data(admin_client.get(url))
    prefix = "staffing"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data |= {f"{prefix}-TOTAL_FORMS": str(total + 1), f"{prefix}-{total}-profession":
             Profession.values[0], f"{prefix}-{total}-wte": "0.6", f"{prefix}-{total}-service":
             str(leeds.pk)}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert leeds.staffing.filter(wte="0.6").exists()
    latest = leeds.history.order_by("-history_id").first()
    assert "1 added" in latest.history_change_reason
    assert "staffing" in latest.history_change_reason.lower()
    history = text(admin_client.get(reverse("admin:directory_service_history",
                                            args=[leeds.pk])))
    assert latest.history_change_reason in history
