"""Census rounds end to end through the test client: signed single-service links, pre-filled
answers, drafts, review per field, and register facts only through acceptance."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from cradle.audit.models import AuditEntry
from cradle.census import actions, links
from cradle.census.fields import REGISTER_STATUSES
from cradle.census.models import Answer, AnswerState, CensusFact, Invitation, Suggestion
from cradle.directory.confirmation import confirmation_for
from cradle.directory.models import RegisterClaim, Service, Status, StatusChange
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
REFERENCE = TODAY - datetime.timedelta(days=1)


@pytest.fixture
def coordinator():
    return make_user("coordinator@example.org", network_role="coordinator")


@pytest.fixture
def census_round(coordinator):
    return actions.open_round(name="Census test", reference_date=REFERENCE,
                              closes_on=TODAY + datetime.timedelta(days=30), nation="England",
                              teams_only=True, reply_to="census@example.org", by=coordinator,
                              today=TODAY)


def invitation_of(census_round, ref: str) -> Invitation:
    invitation = census_round.invitations.get(service__register_ref=ref)
    if not invitation.email:
        invitation.email = f"{ref.lower()}@team.example.org"
        invitation.save()
    return invitation


def open_link(client, invitation):
    response = client.get(links.answer_url(invitation))
    assert response.status_code == 302 and response["Location"] == reverse("census:answer")
    return client.get(reverse("census:answer"))


def answer_post(client, response, **changes):
    """Post the pre-filled form back with `changes` (form field names) and every section
    confirmed."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value
    data.update({f"confirm_{key}": "on" for key in
                 ("status", "coverage", "staffing", "interventions", "ages", "referral",
                  "contact", "funding", "criteria")})
    data["respondent_role"] = "team_manager"
    data.update(changes)
    data = {k: v for k, v in data.items() if v not in (False, None)}
    for key, value in list(data.items()):
        if value is True:
            data[key] = "on"
    return client.post(reverse("census:answer"), data)


def test_opening_a_round_asks_each_matching_service_once(census_round):
    services = census_round.invitations.values_list("service__nation", "service__kind")
    assert services and {nation for nation, _ in services} == {"England"}
    assert {kind for _, kind in services} == {"team"}
    assert census_round.invitations.count() == len(set(
        census_round.invitations.values_list("service", flat=True)))


def test_links_are_signed_for_one_invitation_and_revocable(census_round, client, coordinator):
    invitation = invitation_of(census_round, "T15")
    token = links.token_for(invitation)
    assert links.invitation_for(token) == (invitation, "")
    # A signature of the same value with another salt (any other signed thing) is refused.
    forged = signing.dumps([invitation.pk, invitation.version], compress=False)
    assert links.invitation_for(forged) == (None, links.UNKNOWN)
    other = census_round.invitations.exclude(pk=invitation.pk).first()
    # Another invitation's payload under this one's signature.
    tampered = links.token_for(other).split(":")[0] + ":" + token.split(":", 1)[1]
    assert links.invitation_for(tampered)[0] is None
    actions.revoke(invitation=invitation, by=coordinator)
    response = open_link(client, invitation.__class__.objects.get(pk=invitation.pk))
    assert response.status_code == 410  # revoked: the new version's link is refused too
    old = client.get(reverse("census:open-link", args=[token]), follow=True)
    assert old.status_code == 410 and "withdrawn" in old.content.decode()


def test_an_expired_link_says_so(census_round, client):
    invitation = invitation_of(census_round, "T15")
    Invitation.objects.filter(pk=invitation.pk).update(expires_on=TODAY - datetime.timedelta(1))
    response = client.get(links.answer_url(invitation), follow=True)
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_a_link_shows_its_service_only_and_no_store(census_round, client):
    leeds = invitation_of(census_round, "T15")
    response = open_link(client, leeds)
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert leeds.service.name in page
    others = Service.objects.real().exclude(pk=leeds.service_id)
    shown = [s.name for s in others if f">{s.name}<" in page or f"{s.name}</h1>" in page]
    assert shown == []
    # The token never reaches the answer page's address or the page itself.
    assert links.token_for(leeds) not in page
    invitation = Invitation.objects.get(pk=leeds.pk)
    assert invitation.opened_at is not None


def test_answer_is_prefilled_from_the_register_and_changes_nothing_until_accepted(
        census_round, client):
    invitation = invitation_of(census_round, "T15")
    service = invitation.service
    response = open_link(client, invitation)
    form = response.context["form"]
    assert form["status"].value() == "operating"
    before_history = service.history.count()
    saved = answer_post(client, response, contact_phone="0113 496 0000",
                        staffing__clinical_psychologist="1.5", action="draft")
    assert saved.status_code == 200 and saved.context["saved"]
    sent = answer_post(client, open_link_again(client), action="send")
    assert sent.status_code == 302
    answer = Answer.objects.get(invitation=invitation)
    assert answer.state == AnswerState.SUBMITTED
    assert answer.values["contact_phone"] == "0113 496 0000"
    service.refresh_from_db()
    assert service.contact_phone != "0113 496 0000"
    assert service.history.count() == before_history
    assert not CensusFact.objects.exists()
    # The used link now says so.
    again = client.get(links.answer_url(invitation), follow=True)
    assert again.status_code == 410 and "has been used" in again.content.decode()


def open_link_again(client):
    return client.get(reverse("census:answer"))


def submitted(census_round, client, ref="T15", **changes):
    invitation = invitation_of(census_round, ref)
    response = open_link(client, invitation)
    answer_post(client, response, action="send", **changes)
    return Answer.objects.get(invitation=invitation)


def test_review_accepts_edits_and_rejects_each_field_with_provenance(census_round, client,
                                                                     coordinator):
    answer = submitted(census_round, client, contact_phone="0113 496 0000",
                       staffing__clinical_psychologist="1.5",
                       website="https://imhs.example.org/", status="paused")
    service = answer.service
    website_before = service.website
    staff = sign_in(client, coordinator)
    page = staff.get(reverse("census:review", args=[answer.pk]))
    keys = [change.key for change in page.context["changes"]]
    assert {"contact_phone", "staffing.clinical_psychologist", "website", "status"} <= set(keys)
    decisions = {f"decision-{c.form_key}": "reject" for c in page.context["changes"]}
    decisions |= {"decision-contact_phone": "accept",
                  "decision-staffing__clinical_psychologist": "edit",
                  "edited-staffing__clinical_psychologist": "1.2",
                  "decision-status": "edit", "edited-status": "operating"}
    response = staff.post(reverse("census:review", args=[answer.pk]), decisions)
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.contact_phone == "0113 496 0000"
    assert service.website == website_before  # rejected
    assert service.staffing.get(profession="clinical_psychologist").wte == Decimal("1.20")
    phone = CensusFact.objects.get(service=service, field="contact_phone")
    assert (phone.round, phone.respondent_role, phone.accepted_by, phone.effective_on,
            phone.edited) == (census_round, "team_manager", coordinator, REFERENCE, False)
    assert CensusFact.objects.get(field="staffing.clinical_psychologist").edited
    assert not CensusFact.objects.filter(field="website").exists()
    claim = RegisterClaim.objects.get(service=service, dataset=f"census-{census_round.pk}")
    assert claim.evidence_to == REFERENCE and claim.claimed_status == "operating"
    confirmation = confirmation_for(service)
    assert confirmation.on == REFERENCE and "Census test" in confirmation.source
    assert confirmation.confirms_operating_on(TODAY)
    assert AuditEntry.objects.filter(model_label="census.censusfact").count() == 3
    # A review is saved once.
    again = staff.post(reverse("census:review", args=[answer.pk]), decisions)
    assert again.status_code == 400 and CensusFact.objects.count() == 3


def test_an_accepted_pause_is_a_dated_status_and_the_service_stops_counting_as_operating(
        census_round, client, coordinator):
    answer = submitted(census_round, client, status="paused")
    service = answer.service
    assert Service.objects.operating_on(TODAY).filter(pk=service.pk).exists()
    staff = sign_in(client, coordinator)
    response = staff.post(reverse("census:review", args=[answer.pk]), {
        "decision-status": "accept"})
    assert response.status_code == 302
    change = StatusChange.objects.get(service=service, effective_from=REFERENCE)
    assert change.status == "paused" and "Census test" in change.source
    assert not Service.objects.operating_on(TODAY).filter(pk=service.pk).exists()
    page = client.get(reverse("directory:service-detail", args=[service.pk]))
    assert 'data-status-today="paused"' in page.content.decode()
    assert ">Paused <" in page.content.decode()


def test_the_census_asks_every_status_the_register_holds():
    assert REGISTER_STATUSES == set(Status.values)


def test_a_status_the_register_does_not_know_must_be_edited(census_round, client, coordinator):
    answer = submitted(census_round, client, status="paused")
    Answer.objects.filter(pk=answer.pk).update(values={**answer.values, "status": "merged"})
    staff = sign_in(client, coordinator)
    response = staff.post(reverse("census:review", args=[answer.pk]), {
        "decision-status": "accept"})
    assert response.status_code == 400
    assert "planned, operating, paused or closed" in response.content.decode()
    assert not StatusChange.objects.filter(service=answer.service,
                                           effective_from=REFERENCE).exists()


def test_a_review_missing_a_decision_writes_nothing(census_round, client, coordinator):
    answer = submitted(census_round, client, contact_phone="0113 496 0000",
                       website="https://imhs.example.org/")
    staff = sign_in(client, coordinator)
    response = staff.post(reverse("census:review", args=[answer.pk]),
                          {"decision-contact_phone": "accept"})
    assert response.status_code == 400
    assert "Website: accept, edit or reject" in response.content.decode()
    answer.service.refresh_from_db()
    assert answer.service.contact_phone != "0113 496 0000"
    assert not RegisterClaim.objects.filter(dataset__startswith="census-").exists()


def test_a_newer_public_source_that_disagrees_is_flagged(census_round, client):
    answer = submitted(census_round, client, status="closed")
    RegisterClaim.objects.create(
        service=answer.service, dataset="test-source", name_given=answer.service.name,
        claimed_status="operating", evidence_date_text=REFERENCE.isoformat(),
        evidence_precision="day", evidence_from=REFERENCE, evidence_to=REFERENCE,
        strength="yes")
    (status,) = [c for c in actions.review_changes(answer) if c.key == "status"]
    assert [o.value for o in status.conflicts] == ["operating"]


def test_links_are_emailed_in_the_background_once(census_round, client, coordinator):
    invitation_of(census_round, "T15")
    staff = sign_in(client, coordinator)
    response = staff.post(reverse("census:send-links", args=[census_round.pk]))
    assert response.status_code == 302
    with_address = census_round.invitations.exclude(email="").count()
    assert len(mail.outbox) == with_address >= 1
    body = mail.outbox[0].body
    assert "/census/link/" in body
    staff.post(reverse("census:send-links", args=[census_round.pk]))
    assert len(mail.outbox) == with_address


def test_reminders_go_to_those_who_have_not_answered(census_round, coordinator):
    leeds = invitation_of(census_round, "T15")
    Invitation.objects.filter(pk=leeds.pk).update(sent_on=TODAY - datetime.timedelta(days=8))
    leeds.refresh_from_db()
    assert actions.send_reminder(invitation=leeds, on=TODAY, by=coordinator,
                                 absolute=lambda p: "https://x" + p)
    assert not actions.send_reminder(invitation=leeds, on=TODAY, by=coordinator,
                                     absolute=lambda p: "https://x" + p)
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Reminder")


def test_mail_merge_gives_working_links(census_round, client, coordinator):
    staff = sign_in(client, coordinator)
    response = staff.post(reverse("census:mail-merge", args=[census_round.pk]))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "service,email,link,answer_by,link_expires"
    link = lines[1].split(",")[2]
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 302
    assert census_round.invitations.filter(sent_by_mail_merge=True).count() == len(lines) - 1


def test_dashboard_counts_per_nation(census_round, client, coordinator):
    submitted(census_round, client)
    staff = sign_in(client, coordinator)
    rows = staff.get(reverse("census:round", args=[census_round.pk])).context["rows"]
    england = next(row for row in rows if row["nation"] == "England")
    assert england["asked"] == census_round.invitations.count()
    assert england["opened"] == england["answered"] == 1


def test_a_suggested_service_waits_for_a_coordinator_and_duplicates_are_suggested(
        client, coordinator):
    before = Service.objects.count()
    response = client.post(reverse("census:suggest"), {
        "name": "Leeds Infant Mental Health", "nation": "England", "place": "Leeds",
        "postcode": "LS1 4AP", "description": "Works with parents and babies."})
    assert response.status_code == 302
    assert Service.objects.count() == before

    suggestion = Suggestion.objects.get()
    staff = sign_in(client, coordinator)
    page = staff.get(reverse("census:suggestion", args=[suggestion.pk]))
    leeds = Service.objects.get(register_ref="T15")
    assert leeds.pk in [match.id for match in page.context["matches"]]
    staff.post(reverse("census:suggestion", args=[suggestion.pk]),
               {"action": "duplicate", "service": leeds.pk})
    suggestion.refresh_from_db()
    assert suggestion.state == "duplicate" and suggestion.duplicate_of == leeds
    assert Service.objects.count() == before


def test_an_accepted_suggestion_becomes_a_register_record(client, coordinator):
    client.post(reverse("census:suggest"), {"name": "Bumps to Babies Wellbeing",
                                            "nation": "Wales", "place": "Cardiff"})

    suggestion = Suggestion.objects.get()
    staff = sign_in(client, coordinator)
    staff.post(reverse("census:suggestion", args=[suggestion.pk]), {"action": "accept"})
    suggestion.refresh_from_db()
    service = suggestion.created_service
    assert (service.name, service.nation, service.locality) == (
        "Bumps to Babies Wellbeing", "Wales", "Cardiff")
    again = staff.post(reverse("census:suggestion", args=[suggestion.pk]), {"action": "accept"})
    assert again.status_code == 302
    assert Service.objects.filter(name="Bumps to Babies Wellbeing").count() == 1


def test_the_reminder_command_sends_those_due_once(census_round):
    from io import StringIO

    from django.core.management import call_command

    leeds = invitation_of(census_round, "T15")
    Invitation.objects.filter(pk=leeds.pk).update(sent_on=TODAY - datetime.timedelta(days=7))
    out = StringIO()
    call_command("census_reminders", "--base-url", "https://cradle.example.org", stdout=out)
    call_command("census_reminders", "--base-url", "https://cradle.example.org", stdout=out)
    assert out.getvalue().splitlines() == ["1 census reminder sent.", "0 census reminders sent."]
    assert "https://cradle.example.org/census/link/" in mail.outbox[0].body


def test_coordinators_reach_the_census_and_surveys_from_the_header(client, coordinator):
    public = client.get(reverse("directory:service-search")).content.decode()
    assert 'href="/census/"' not in public and 'href="/surveys/"' not in public
    staff = sign_in(client, coordinator)
    page = staff.get(reverse("accounts:account")).content.decode()
    assert 'href="/census/"' in page and 'href="/surveys/"' in page
    assert staff.get("/census/").status_code == 200 and staff.get("/surveys/").status_code == 200


def test_the_public_can_reach_tell_us_about_a_service_from_a_search(client):
    page = client.get(reverse("directory:service-search"), {"q": "no such service anywhere"})
    assert reverse("census:suggest") in page.content.decode()
