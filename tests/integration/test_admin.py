import datetime
import json

import pytest
from django.urls import reverse

from cradle.audit.models import AuditEntry
from cradle.directory.models import Service
from tests.accounts_helpers import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    user = django_user_model.objects.create_superuser("coordinator@example.org", "x" * 16)
    return sign_in(client, user)  # with a verified second factor, which the admin needs


def _change_form_data(page) -> dict:
    """What the admin change form would post back unchanged, inlines included."""
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


def test_editing_a_service_in_the_admin_records_its_history(admin_client_logged_in):
    leeds = Service.objects.get(register_ref="T15")
    url = reverse("admin:directory_service_change", args=[leeds.pk])
    page = admin_client_logged_in.get(url)
    assert page.status_code == 200
    data = _change_form_data(page)
    data["website"] = "https://leeds.example.org/infant-mental-health"
    response = admin_client_logged_in.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    leeds.refresh_from_db()
    assert leeds.website == "https://leeds.example.org/infant-mental-health"
    assert leeds.history.count() >= 2
    latest = leeds.history.first()
    assert latest.history_user.email == "coordinator@example.org"
    history_page = admin_client_logged_in.get(
        reverse("admin:directory_service_history", args=[leeds.pk]))
    assert history_page.status_code == 200


def test_service_details_are_edited_with_their_dates_history_and_audit(
        admin_client_logged_in, client):
    """How to refer, ages, languages and contact details, each with the date it was checked:
    the edit is in the service's history and the audit log names the fields (no values)."""
    sefton = Service.objects.get(name="Building Attachment and Bonds Service (BABS) Sefton")
    url = reverse("admin:directory_service_change", args=[sefton.pk])
    page = admin_client_logged_in.get(url)
    html = page.content.decode()
    for label in ("How to refer", "Ages and languages", "Contact"):
        assert label in html
    assert "register-updates-2020-2025" in html  # the sourced claim, read only
    data = _change_form_data(page) | {
        "professional_referral": "true", "self_referral": "false",
        "referral_pathway": "Referral form on the trust's website.",
        "referral_checked_on": "2026-11-30", "languages": "English\nInterpreters on request",
        "languages_checked_on": "2026-11-30", "contact_phone": "0151 000 0000",
        "contact_phone_checked_on": "2026-11-30"}
    before = AuditEntry.objects.count()
    response = admin_client_logged_in.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    sefton.refresh_from_db()
    assert (sefton.professional_referral, sefton.self_referral) == (True, False)
    assert sefton.referral_checked_on == datetime.date(2026, 11, 30)
    latest = sefton.history.first()
    assert latest.history_user.email == "coordinator@example.org"
    assert latest.contact_phone == "0151 000 0000"
    entry = AuditEntry.objects.filter(model_label="directory.service",
                                      object_id=str(sefton.pk)).latest("sequence")
    assert entry.sequence > before and entry.action == "change"
    assert {"professional_referral", "self_referral", "languages",
            "contact_phone_checked_on"} <= set(entry.fields)
    # The number itself (with its spaces: the entry's hex hashes may hold any four digits).
    assert "0151 000 0000" not in json.dumps(entry.as_chain_dict())
    # The public page shows them, with the dates checked.
    public = client.get(reverse("directory:service-detail", args=[sefton.pk])).content.decode()
    assert "A professional such as a GP, midwife or health visitor refers families." in public
    assert "Families cannot refer themselves." in public
    assert "checked 30 November 2026" in public
    assert "English, Interpreters on request" in public


def test_reference_areas_are_read_only_in_the_admin(admin_client_logged_in):
    response = admin_client_logged_in.get(reverse("admin:geography_area_changelist") + "?q=Leeds")
    assert response.status_code == 200
    assert b"Leeds" in response.content
    assert admin_client_logged_in.get(reverse("admin:geography_area_add")).status_code == 403
