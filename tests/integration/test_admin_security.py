"""The admin: a verified second factor, every change in the audit chain (field names, never
values), and only the models coordinators need."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from cradle.accounts import invitations, two_factor
from cradle.accounts.admin_site import AuditedAdmin, CradleAdminSite
from cradle.accounts.models import AuthenticatorApp, User
from cradle.audit import recorder
from cradle.audit.models import AuditEntry
from cradle.directory.models import Service
from cradle.foi.models import Body, BodyKind
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
ADMIN = "/admin/"


@pytest.fixture(autouse=True)
def no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def coordinator():
    """A coordinator as `cradle createuser --role coordinator` makes one: staff, with the
    Coordinators group's permissions on the register and FOI records."""
    user = make_user("coordinator@example.org")
    invitations.grant_role(user, "coordinator")
    return user


def entries_after(sequence: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(sequence__gt=sequence).order_by("sequence"))


def newest() -> int:
    entry = AuditEntry.objects.newest_first().first()
    return entry.sequence if entry else 0


# A verified second factor --------------------------------------------------------------------

def test_the_admin_login_form_takes_no_password(client, coordinator):
    """The attack: Django's admin sign-in, with the password alone."""
    response = client.post("/admin/login/?next=/admin/", {
        "username": coordinator.email, "password": PASSWORD, "next": ADMIN})
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN)["Location"].startswith("/admin/login/")


def test_a_password_only_session_is_sent_to_the_second_factor(client, coordinator):
    device = AuthenticatorApp.new(coordinator, "app", confirmed=True)
    response = client.post("/account/sign-in/", {"username": coordinator.email,
                                                  "password": PASSWORD, "next": ADMIN})
    assert response["Location"].startswith("/account/two-factor/")
    # Signed in with the password only: every admin page is refused...
    for url in (ADMIN, reverse("admin:directory_service_changelist"),
                reverse("admin:foi_body_add")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    # ...and the admin's sign-in sends the person to the second factor, and back.
    response = client.get(client.get(ADMIN)["Location"])
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/?next=%2Fadmin%2F"
    code = f"{totp(device.bin_key):06d}"
    assert client.post("/account/two-factor/", {"code": code, "next": ADMIN})["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_a_superuser_needs_the_second_factor_too(client):
    root = User.objects.create_superuser("root@example.org", PASSWORD)
    client.force_login(root)
    assert client.get(ADMIN).status_code == 302
    assert client.get("/admin/login/")["Location"].startswith("/account/two-factor/")
    # Without a role that needs one, signing in still asks for it once it is set up.
    sign_in(client, root)
    assert client.get(ADMIN).status_code == 200


def test_the_admin_has_no_password_change_of_its_own(client, coordinator):
    sign_in(client, coordinator)
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302 and response["Location"] == "/account/password/"


def test_signed_in_people_without_staff_status_are_refused(client):
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    assert client.get("/admin/login/").status_code == 403


# The audit chain -----------------------------------------------------------------------------

def test_adding_changing_and_deleting_in_the_admin_writes_field_names_to_the_audit(
        client, coordinator):
    sign_in(client, coordinator)
    before = newest()
    response = client.post(reverse("admin:foi_body_add"), {
        "name": "Synthetic Test Trust", "ods_code": "ZZ9", "kind": BodyKind.values[0],
        "nation": "England", "email": "foi@synthetic-trust.example", "code_system": "ods"})
    assert response.status_code == 302, response.content.decode()[:3000]
    body = Body.objects.get(ods_code="ZZ9")
    [created] = entries_after(before)
    assert (created.action, created.model_label, created.object_id) == (
        "create", "foi.body", str(body.pk))
    assert {"name", "ods_code", "email"} <= set(created.fields)
    assert created.actor == coordinator.email

    change_url = reverse("admin:foi_body_change", args=[body.pk])
    page = client.get(change_url)
    data = {name: value for name, value in page.context["adminform"].form.initial.items()
            if value is not None and not isinstance(value, list)}
    data.update(email="requests@synthetic-trust.example", name="Synthetic Test Trust")
    before = newest()
    assert client.post(change_url, data).status_code == 302
    [changed] = entries_after(before)
    assert (changed.action, changed.fields) == ("change", ["email"])

    before = newest()
    assert client.post(reverse("admin:foi_body_delete", args=[body.pk]),
                       {"post": "yes"}).status_code == 302
    [deleted] = entries_after(before)
    assert (deleted.action, deleted.model_label, deleted.object_id) == (
        "delete", "foi.body", str(body.pk))

    # Never a value: not the names, addresses or codes typed.
    for entry in (created, changed, deleted):
        text = " ".join([*entry.fields, entry.note, entry.object_id])
        for value in ("Synthetic Test Trust", "synthetic-trust", "ZZ9"):
            assert value not in text


def test_inline_rows_and_bulk_deletes_are_audited(client, coordinator):
    root = User.objects.create_superuser("root@example.org", PASSWORD)
    sign_in(client, root)
    member = make_user("member@example.org")
    team = Service.objects.get(register_ref="T01")
    url = reverse("admin:accounts_user_change", args=[member.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and name not in ("groups", "user_permissions", "password",
                                                  "last_login", "date_joined")}
    data.update({"date_joined_0": "2026-01-01", "date_joined_1": "09:00:00",
                 "team_memberships-TOTAL_FORMS": "1", "team_memberships-INITIAL_FORMS": "0",
                 "team_memberships-0-service": str(team.pk),
                 "team_memberships-0-role": "practitioner",
                 "network_roles-TOTAL_FORMS": "0", "network_roles-INITIAL_FORMS": "0",
                 "commissioner_areas-TOTAL_FORMS": "0", "commissioner_areas-INITIAL_FORMS": "0"})
    before = newest()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    labels = [(e.action, e.model_label, tuple(e.fields)) for e in entries_after(before)]
    assert ("create", "accounts.teammembership", ("service", "role")) in labels

    before = newest()
    response = client.post(reverse("admin:accounts_user_changelist"), {
        "action": "delete_selected", "_selected_action": [str(member.pk)], "post": "yes"})
    assert response.status_code == 302
    assert [(e.action, e.object_id) for e in entries_after(before)] == [
        ("delete", str(member.pk))]
    assert not User.objects.filter(pk=member.pk).exists()


def test_a_change_and_its_audit_entry_are_one_transaction(client, coordinator, monkeypatch):
    sign_in(client, coordinator)
    body = Body.objects.create(name="Synthetic Body", ods_code="ZZ8", kind=BodyKind.values[0],
                               nation="England", email="a@synthetic.example")

    def broken(*args, **kwargs):
        raise RuntimeError("the audit log could not be written")

    monkeypatch.setattr(recorder, "record_many", broken)
    change_url = reverse("admin:foi_body_change", args=[body.pk])
    data = {name: value for name, value in client.get(change_url).context[
        "adminform"].form.initial.items() if value is not None and not isinstance(value, list)}
    data["email"] = "b@synthetic.example"
    client.raise_request_exception = False
    assert client.post(change_url, data).status_code == 500
    body.refresh_from_db()
    assert body.email == "a@synthetic.example"  # no change without its audit entry


def test_removing_a_lost_second_factor_is_audited(client):
    root = User.objects.create_superuser("root@example.org", PASSWORD)
    sign_in(client, root)
    lost = make_user("lost-phone@example.org", network_role="analyst")
    AuthenticatorApp.new(lost, "app", confirmed=True)
    two_factor.new_recovery_codes(lost)
    before = newest()
    response = client.post(reverse("admin:accounts_user_changelist"), {
        "action": "remove_second_factor", "_selected_action": [str(lost.pk)]})
    assert response.status_code == 302
    assert not two_factor.has_second_factor(lost) and two_factor.recovery_codes_left(lost) == 0
    [entry] = entries_after(before)
    assert (entry.action, entry.model_label, entry.object_id, entry.fields) == (
        "delete", "accounts.user", str(lost.pk), ["second_factor"])


# Only what coordinators need -----------------------------------------------------------------

def test_the_admin_offers_only_cradles_own_models():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert isinstance(admin.site, CradleAdminSite)
    assert registered == {
        "accounts.user", "accounts.invitation", "geography.area", "directory.service",
        "directory.teamcountmilestone", "foi.body", "foi.campaign", "foi.foirequest",
        "foi.responserecord"}
    # Raw second-factor devices, auth groups and the audit log are not there.
    for absent in ("auth.group", "otp_totp.totpdevice", "otp_static.staticdevice",
                   "audit.auditentry", "accounts.authenticatorapp", "accounts.recoverycode"):
        assert absent not in registered
    assert all(isinstance(model_admin, AuditedAdmin)
               for model_admin in admin.site._registry.values())


def test_a_coordinator_sees_the_register_and_foi_only(client, coordinator):
    sign_in(client, coordinator)
    index = client.get(ADMIN)
    assert index.status_code == 200
    apps = {app["app_label"] for app in index.context["app_list"]}
    assert apps == {"directory", "foi"}
    for url in ("/admin/auth/group/", "/admin/otp_totp/totpdevice/",
                "/admin/otp_static/staticdevice/", "/admin/audit/auditentry/"):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_devices_cannot_be_read_through_the_admin_even_by_a_superuser(client):
    root = User.objects.create_superuser("root@example.org", PASSWORD)
    sign_in(client, root)
    for url in ("/admin/otp_totp/totpdevice/", "/admin/otp_static/statictoken/",
                "/admin/accounts/authenticatorapp/", "/admin/accounts/recoverycode/"):
        assert client.get(url).status_code == 404, url
    assert Client().get(ADMIN).status_code == 302
