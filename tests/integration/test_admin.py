import pytest
from django.urls import reverse

from cradle.directory.models import Service
from tests.accounts_helpers import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    user = django_user_model.objects.create_superuser("coordinator@example.org", "x" * 16)
    return sign_in(client, user)  # with a verified second factor, which the admin needs


def test_editing_a_service_in_the_admin_records_its_history(admin_client_logged_in):
    leeds = Service.objects.get(register_ref="T15")
    url = reverse("admin:directory_service_change", args=[leeds.pk])
    page = admin_client_logged_in.get(url)
    assert page.status_code == 200
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


def test_reference_areas_are_read_only_in_the_admin(admin_client_logged_in):
    response = admin_client_logged_in.get(reverse("admin:geography_area_changelist") + "?q=Leeds")
    assert response.status_code == 200
    assert b"Leeds" in response.content
    assert admin_client_logged_in.get(reverse("admin:geography_area_add")).status_code == 403
