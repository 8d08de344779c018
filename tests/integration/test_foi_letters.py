"""Issue 12, FOI letters: the template-injection payload replayed through the web form, the
model and admin path, and against a template already stored; the preview; the migration of
stored templates; and letters written again when they are sent."""

from __future__ import annotations

import contextlib
import csv
import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from cradle.audit.models import AuditEntry
from cradle.directory.models import Service
from cradle.foi import actions
from cradle.foi.deadlines import due_date
from cradle.foi.letters import fill, letter_values, long_date
from cradle.foi.models import Body, BodyKind, Campaign, FoiRequest, RequestEvent, RequestState
from cradle.foi.questions import CAMHS_2019, DEFAULT_LETTER
from cradle.geography.models import Area
from tests.accounts_helpers import make_user, sign_in
from tests.database_role import as_owner
from tests.unit.test_foi_letters import INJECTION

pytestmark = pytest.mark.django_db

migration = importlib.import_module("cradle.foi.migrations.0002_letter_placeholders")
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def staff(client):
    return sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))


@pytest.fixture
def member():
    """A team member whose secrets the payload went after."""
    return make_user("practitioner@example.org", team=Service.objects.get(register_ref="T15"))


@pytest.fixture
def body(member):
    """A commissioner of an area the member's team covers (the payload's path to them)."""
    body = Body.objects.create(kind=BodyKind.COMMISSIONER, ods_code="XX1", name="NHS Test CCG",
                               nation="England", email="foi@test-ccg.example.org")
    body.areas.set(Area.objects.filter(service_coverage__service__register_ref="T15")[:1])
    assert body.areas.exists()
    return body


def new_campaign(name: str = "Letters", letter_template: str = DEFAULT_LETTER) -> Campaign:
    return actions.create_campaign(name=name, question_set="camhs-2019",
                                   letter_template=letter_template, signatory="A. Researcher",
                                   reply_to="foi@cradle.example.org")


@contextlib.contextmanager
def check_constraint_off():
    """Let a row break the letter check constraint, as a row stored before it existed would
    (inside the test's transaction, so the constraint is back afterwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            try:
                yield
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
        else:
            # Altering a table is the owner's right, not the application role's (CI runs the
            # suite as that role): a row from before the constraint is the owner's doing.
            with as_owner():
                cursor.execute("ALTER TABLE foi_campaign DROP CONSTRAINT IF EXISTS "
                               "campaign_letter_has_no_template_code")
            yield


def store_template(campaign: Campaign, text: str) -> None:
    """Write a template straight to the database, past the form and the model's validators."""
    with check_constraint_off():
        Campaign.objects.filter(pk=campaign.pk).update(letter_template=text)
    campaign.refresh_from_db()


def secrets_of(user) -> list[str]:
    return [user.password, user.password.split("$")[-1]]


def assert_no_secret(text: str, user) -> None:
    for secret in secrets_of(user):
        assert secret not in text


def new_campaign_form(template: str) -> dict[str, str]:
    return {"name": "Injected", "question_set": "camhs-2019", "letter_template": template,
            "signatory": "A. Researcher", "reply_to": "foi@cradle.example.org"}


# The web form ------------------------------------------------------------------------------

def test_the_injection_payload_is_refused_by_the_campaign_form(staff, member, body):
    response = staff.post(reverse("foi:campaign-new"), new_campaign_form(INJECTION))
    page = response.content.decode()
    assert response.status_code == 400
    assert "The letter contains “{%”" in page and "The letter contains “{{”" in page
    assert_no_secret(page, member)
    assert not Campaign.objects.filter(name="Injected").exists()


def test_debug_is_refused_by_the_campaign_form(staff):
    response = staff.post(reverse("foi:campaign-new"),
                          new_campaign_form("Dear [body_name]\n{% debug %}"))
    assert response.status_code == 400
    assert "The letter contains “{%”" in response.content.decode()
    assert not Campaign.objects.filter(name="Injected").exists()


def test_an_unknown_placeholder_is_refused_by_name_on_the_form(staff):
    response = staff.post(reverse("foi:campaign-new"),
                          new_campaign_form("Dear [body_name], [password]"))
    assert response.status_code == 400
    assert "[password] is not a placeholder Cradle knows" in response.content.decode()
    assert not Campaign.objects.filter(name="Injected").exists()


def test_the_form_lists_the_placeholders(staff):
    page = staff.get(reverse("foi:campaign-new")).content.decode()
    for name in ("[body_name]", "[due_date]", "[request_reference]", "[questions]"):
        assert f"<code>{name}</code>" in page


# The model, the action and the admin ----------------------------------------------------

@pytest.mark.parametrize("template", [INJECTION, "{% debug %}", "Dear [password]"])
def test_the_model_and_the_action_refuse_a_bad_template(template):
    campaign = Campaign(name="Model path", question_set="camhs-2019",
                        letter_template=template, signatory="A", reply_to="a@example.org")
    with pytest.raises(ValidationError) as refused:
        campaign.full_clean()
    assert "letter_template" in refused.value.message_dict
    with pytest.raises(actions.FoiActionError):
        new_campaign("Model path", template)
    assert not Campaign.objects.filter(name="Model path").exists()


def test_the_database_refuses_template_code_however_it_is_written():
    campaign = new_campaign()
    for opener in ("{{", "{%", "{#"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Campaign.objects.filter(pk=campaign.pk).update(letter_template=f"x {opener} y")


def test_the_admin_refuses_the_injection_payload(client, django_user_model, member):
    admin = django_user_model.objects.create_superuser("admin@example.org", "x" * 16)
    sign_in(client, admin)
    response = client.post(reverse("admin:foi_campaign_add"), new_campaign_form(INJECTION))
    assert response.status_code == 200  # the form again, with its errors
    page = response.content.decode()
    assert "The letter contains “{%”" in page
    assert_no_secret(page, member)
    assert not Campaign.objects.filter(name="Injected").exists()


# A template already stored -----------------------------------------------------------------

@pytest.mark.parametrize("template", [INJECTION, "{% debug %}", "Dear [body.areas]"])
def test_a_stored_bad_template_never_renders(staff, member, body, template,
                                             mailoutbox, django_capture_on_commit_callbacks):
    campaign = new_campaign()
    (written,) = actions.add_recipients(campaign=campaign, bodies=[body], by="t", on=DAY)
    store_template(campaign, template)
    events = RequestEvent.objects.count()

    # Writing letters for more bodies: refused, nothing written.
    other = Body.objects.create(kind=BodyKind.PROVIDER, ods_code="RX9", name="Trust",
                                nation="England")
    response = staff.post(reverse("foi:add-providers", args=[campaign.pk]),
                          {"add-providers": [other.pk]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "No letters written: the letter of campaign “Letters” cannot be written" in page
    assert_no_secret(page, member)
    assert not FoiRequest.objects.filter(campaign=campaign, body=other).exists()

    # The preview, the mail merge and sending: each refused with the reason.
    preview = staff.get(reverse("foi:letter-preview", args=[campaign.pk]),
                        {"request": written.pk})
    assert preview.status_code == 400 and "No preview:" in preview.content.decode()
    merge = staff.get(reverse("foi:mail-merge", args=[campaign.pk]))
    assert merge.status_code == 400 and "No letters exported:" in merge.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = staff.post(reverse("foi:send-email", args=[campaign.pk]), {"scope": "all"})
    assert sent.status_code == 400 and "Nothing was sent:" in sent.content.decode()
    assert mailoutbox == []
    written.refresh_from_db()
    assert written.state == RequestState.NOT_SENT
    assert_no_secret(written.letter, member)
    assert RequestEvent.objects.count() == events


# The preview -------------------------------------------------------------------------------

def test_the_preview_shows_a_bodys_letter_and_writes_nothing(staff, body):
    campaign = new_campaign()
    (request,) = actions.add_recipients(campaign=campaign, bodies=[body], by="t", on=DAY)
    stored, audit, events = request.letter, AuditEntry.objects.count(), RequestEvent.objects.count()
    choose = staff.get(reverse("foi:letter-preview", args=[campaign.pk]))
    assert choose.status_code == 200 and "NHS Test CCG (XX1)" in choose.content.decode()
    response = staff.get(reverse("foi:letter-preview", args=[campaign.pk]),
                         {"request": request.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dear NHS Test CCG," in page
    assert f"Our reference: CRADLE-FOI-{request.pk}" in page
    assert long_date(due_date(timezone.localdate(), "foia")) in page
    request.refresh_from_db()
    assert request.letter == stored
    assert (AuditEntry.objects.count(), RequestEvent.objects.count()) == (audit, events)


def test_the_preview_offers_only_the_campaigns_own_bodies(staff, body):
    campaign, other = new_campaign(), new_campaign("Other")
    (elsewhere,) = actions.add_recipients(campaign=other, bodies=[body], by="t", on=DAY)
    empty = staff.get(reverse("foi:letter-preview", args=[campaign.pk]))
    assert "Add bodies to the campaign to preview their letters" in empty.content.decode()
    response = staff.get(reverse("foi:letter-preview", args=[campaign.pk]),
                         {"request": elsewhere.pk})
    assert response.status_code == 400
    assert "Dear NHS Test CCG" not in response.content.decode()


# Letters as written and as sent ------------------------------------------------------------

def test_a_letter_is_written_again_for_the_day_it_is_sent(body, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    campaign = new_campaign()
    (request,) = actions.add_recipients(campaign=campaign, bodies=[body], by="t", on=DAY)
    assert f"that is by {long_date(due_date(DAY, 'foia'))}." in request.letter
    later = DAY + datetime.timedelta(days=9)
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_requests(requests=[request], on=later, by="t")
    request.refresh_from_db()
    assert f"that is by {long_date(request.due_on)}." in request.letter
    assert request.due_on == due_date(later, "foia")
    assert mailoutbox[0].body == request.letter
    change = AuditEntry.objects.filter(model_label="foi.foirequest",
                                       action="change").newest_first().first()
    assert "letter" in change.fields


def test_the_mail_merge_writes_letters_for_the_day_of_the_download(staff, body):
    campaign = new_campaign()
    (request,) = actions.add_recipients(campaign=campaign, bodies=[body], by="t", on=DAY)
    merge = staff.get(reverse("foi:mail-merge", args=[campaign.pk]))
    (row,) = csv.DictReader(io.StringIO(merge.content.decode("utf-8-sig")))
    assert f"that is by {long_date(due_date(timezone.localdate(), 'foia'))}." in row["letter"]
    request.refresh_from_db()
    assert f"that is by {long_date(due_date(DAY, 'foia'))}." in request.letter  # not saved


# Migrating stored templates ----------------------------------------------------------------

def _old_render(template: str, body: Body, campaign: Campaign) -> str:
    """How letters were made before: Django's engine (here only to compare the output)."""
    return Template(template).render(Context({
        "body": body, "campaign": campaign, "question_set": campaign.questions,
        "regime_name": "Freedom of Information Act 2000"}, autoescape=False))


def test_converting_the_old_letter_keeps_every_word_of_it(body):
    campaign = new_campaign()
    converted = migration.rewrite(migration.OLD_DEFAULT_LETTER)
    values = letter_values(
        body_name=body.name, body_address=body.email, regime="foia", is_commissioner=True,
        campaign_name=campaign.name, period=CAMHS_2019.period,
        questions=[q.text for q in CAMHS_2019.questions], due_on=DAY, reference="R",
        sender=campaign.signatory, reply_to=campaign.reply_to)
    assert fill(converted, values) == _old_render(migration.OLD_DEFAULT_LETTER, body, campaign)


def test_the_migration_converts_replaces_and_rewrites_unsent_letters(member, body):
    standard, payload = new_campaign("Standard"), new_campaign("Payload")
    custom = new_campaign("Custom")
    store_template(standard, migration.OLD_DEFAULT_LETTER)
    store_template(payload, INJECTION)
    store_template(custom, "Dear {{ body.name }}, {{ campaign.signatory }}")
    leaked = f"Dear NHS Test CCG,\n{member.password}"
    requests = {}
    for campaign in (standard, payload, custom):
        requests[campaign.name] = FoiRequest.objects.create(
            campaign=campaign, body=body, regime="foia", letter=leaked)
    sent = FoiRequest.objects.create(
        campaign=payload, body=Body.objects.create(kind=BodyKind.PROVIDER, ods_code="RX8",
                                                   name="Sent trust", nation="England"),
        regime="foia", letter="As sent", state=RequestState.AWAITING_RESPONSE, sent_on=DAY,
        received_on=DAY, due_on=due_date(DAY, "foia"), long_overdue_on=DAY)

    with check_constraint_off():
        migration.to_placeholders(apps, None)

    for campaign in (standard, payload, custom):
        campaign.refresh_from_db()
    assert standard.letter_template == DEFAULT_LETTER
    assert payload.letter_template == DEFAULT_LETTER
    assert custom.letter_template == "Dear [body_name], [sender]"
    for request in requests.values():
        request.refresh_from_db()
        assert_no_secret(request.letter, member)
        assert request.events.filter(kind="letter written again").count() == 1
    assert requests["Custom"].letter == "Dear NHS Test CCG, A. Researcher"
    assert f"Our reference: CRADLE-FOI-{requests['Standard'].pk}" in requests["Standard"].letter
    sent.refresh_from_db()
    assert sent.letter == "As sent"  # the record of what went out is kept
    replaced = RequestEvent.objects.filter(kind="letter template replaced")
    assert {event.request_id for event in replaced} == {requests["Payload"].pk, sent.pk}
    assert not RequestEvent.objects.filter(kind="letter template replaced",
                                           request__campaign__in=[standard, custom]).exists()
