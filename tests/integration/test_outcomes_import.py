"""Bulk import through the test client: templates download, a dry run writes nothing, any bad
row stops the whole file with every problem listed, a good file creates every record with its
audit entries, workbooks work, and only the team's editors get in."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cradle.audit.models import Action, AuditEntry
from cradle.directory.models import Service
from cradle.outcomes import actions
from cradle.outcomes.bulk.columns import MEASURES, REFERRALS
from cradle.outcomes.models import (
    Caregiver,
    Case,
    MeasureAdministration,
    Referral,
    ReferralRiskFactor,
)
from tests.accounts_helpers import make_user, sign_in
from tests.outcomes_helpers import KEY, confirm_import

pytestmark = pytest.mark.django_db

DAY = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
LATER = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
RECORDS = (Case, Referral, Caregiver, ReferralRiskFactor, MeasureAdministration)


@pytest.fixture(autouse=True)
def environment(monkeypatch, settings, tmp_path):
    monkeypatch.setenv("CRADLE_PSEUDONYM_KEY", KEY)
    settings.CRADLE_IMPORT_STAGING_DIR = tmp_path / "staging"


def counts():
    return {model.__name__: model.objects.count() for model in RECORDS}


def csv_file(header, rows, name="referrals.csv") -> SimpleUploadedFile:
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), "text/csv")


REF_HEADER = ("team_reference", "nhs_number", "postcode_district", "referred_on",
              "referrer_type", "caregiver_1_relationship", "caregiver_1_age", "risk_factors",
              "decision", "decided_on")
GOOD_REFERRALS = [
    ("IMP-1", "943 476 5919", "LS1 4AP", DAY, "health_visitor", "mother", "28",
     "birth_trauma;isolation", "accepted", LATER),
    ("IMP-2", "", "", DAY, "Midwife", "father", "", "", "", ""),
    ("IMP-2", "", "", LATER, "gp", "", "", "domestic_abuse", "signposted", LATER),
]
MEASURE_HEADER = ("team_reference", "instrument", "timepoint", "administered_on", "total",
                  *(f"item_{n}" for n in range(1, 10)))
GOOD_MEASURES = [
    ("IMP-1", "phq9", "baseline", DAY, "", 1, 2, 1, 0, 3, 1, 0, 2, 1),
    ("IMP-1", "phq9", "discharge", LATER, "4", "", "", "", "", "", "", "", "", ""),
]


def upload(client, team, file, holds="referrals"):
    return client.post(reverse("outcomes:team-import", args=[team.pk]),
                       {"file": file, "holds": holds})




def test_the_page_shows_the_column_guide_and_the_caseload_links_to_it(signed_in, team):
    page = signed_in.get(reverse("outcomes:team-import", args=[team.pk])).content.decode()
    for kind in ("referrals", "episodes", "contacts", "measures"):
        assert f'data-guide="{kind}"' in page
    assert "perinatal_mental_illness" in page and "phq9" in page
    caseload = signed_in.get(reverse("outcomes:team", args=[team.pk])).content.decode()
    assert reverse("outcomes:team-import", args=[team.pk]) in caseload


def test_templates_download_as_csv_and_xlsx(signed_in, team):
    response = signed_in.get(reverse("outcomes:team-import-template-csv",
                                     args=[team.pk, "measures"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").strip() == ",".join(MEASURES.header)
    assert signed_in.get(reverse("outcomes:team-import-template-csv",
                                 args=[team.pk, "nothing"])).status_code == 404
    response = signed_in.get(reverse("outcomes:team-import-template-xlsx", args=[team.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["referrals", "episodes", "contacts", "measures", "guide"]
    assert [c.value for c in next(book["referrals"].iter_rows(max_row=1))] == REFERRALS.header


def test_a_dry_run_writes_nothing_and_confirming_imports_everything(signed_in, team,
                                                                    practitioner):
    before = counts()
    entries = AuditEntry.objects.count()
    response = upload(signed_in, team, csv_file(REF_HEADER, GOOD_REFERRALS))
    page = response.content.decode()
    assert response.status_code == 200, page
    assert 'data-count="cases">2<' in page and 'data-count="referrals">3' in page
    assert "9434765919" not in page and "943 476 5919" not in page
    assert counts() == before and AuditEntry.objects.count() == entries

    response = confirm_import(signed_in, team, page)
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:team", args=[team.pk])
    cases = Case.objects.filter(team=team, team_reference__startswith="IMP-")
    assert cases.count() == 2
    first = cases.get(team_reference="IMP-1")
    assert first.postcode_district == "LS1" and len(first.nhs_number_pseudonym) == 64
    assert Referral.objects.filter(case__team=team).count() == 3
    assert Caregiver.objects.get(referral__case=first).age_at_referral == 28
    assert sorted(ReferralRiskFactor.objects.filter(referral__case__team=team)
                  .values_list("factor", flat=True)) == ["birth_trauma", "domestic_abuse",
                                                         "isolation"]
    # One audit entry per record (field names only) and one for the import.
    created = AuditEntry.objects.filter(action=Action.CREATE, actor_id=str(practitioner.pk))
    assert created.filter(model_label="outcomes.case").count() == 2
    assert created.filter(model_label="outcomes.referral").count() == 3
    assert created.filter(model_label="outcomes.caregiver").count() == 2
    summary = AuditEntry.objects.get(action=Action.LOAD, object_id=str(team.pk),
                                     note__startswith="Bulk import")
    assert "3 referrals" in summary.note and "SHA-256" in summary.note
    assert not any("9434765919" in str(e.fields) + e.note for e in AuditEntry.objects.all())

    # Measures for a case that now exists, as a CSV of their own.
    response = upload(signed_in, team, csv_file(MEASURE_HEADER, GOOD_MEASURES, "m.csv"),
                      holds="measures")
    assert response.status_code == 200, response.content.decode()
    assert confirm_import(signed_in, team, response.content.decode()).status_code == 302
    baseline, discharge = MeasureAdministration.objects.filter(case=first).order_by(
        "administered_on")
    assert (baseline.total, baseline.band, baseline.entered_as) == (11, "moderate", "items")
    assert baseline.flags and discharge.total == 4
    # The staged records were used once: confirming again imports nothing more.
    again = signed_in.post(reverse("outcomes:team-import-confirm", args=[team.pk]),
                           {"token": "x" * 43})
    assert again.status_code == 400 and MeasureAdministration.objects.count() == 2


def test_a_bad_row_anywhere_writes_nothing_and_every_problem_is_listed(signed_in, team):
    rows = [*GOOD_REFERRALS,
            ("IMP-3", "943 476 5918", "", "last week", "gp", "", "", "", "", ""),
            ("IMP-4", "", "", DAY, "neighbour", "aunt", "", "moon", "", "")]
    before = counts()
    response = upload(signed_in, team, csv_file(REF_HEADER, rows))
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "5 problems in 2 rows" in page
    for row, column in ((5, "nhs_number"), (5, "referred_on"), (6, "referrer_type"),
                        (6, "caregiver_1_relationship"), (6, "risk_factors")):
        assert f'data-problem-row="{row}" data-problem-column="{column}"' in page
    assert "Row 5, column referred_on" in page and "Give a date as YYYY-MM-DD" in page
    assert "5918" not in page.split('id="problems"')[1]
    assert counts() == before


def test_the_header_check_names_the_columns(signed_in, team):
    response = upload(signed_in, team, csv_file(("team_reference", "date", "referrer_type"),
                                                [("IMP-1", DAY, "gp")]))
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-problem-column="date"' in page and 'data-problem-column="referred_on"' in page
    assert not Case.objects.filter(team_reference="IMP-1").exists()


def test_measures_for_an_unknown_case_are_refused(signed_in, team):
    response = upload(signed_in, team, csv_file(MEASURE_HEADER, GOOD_MEASURES, "m.csv"),
                      holds="measures")
    assert response.status_code == 400
    assert "Cradle has no case with this team reference" in response.content.decode()


def test_an_existing_case_is_added_to_but_not_contradicted(signed_in, team, practitioner):
    actions.create_case(user=practitioner, team=team, team_reference="IMP-1", postcode="LS2")
    rows = [("IMP-1", "", "", DAY, "gp", "", "", "", "", ""),
            ("IMP-1", "", "LS9", DAY, "gp", "", "", "", "", "")]
    response = upload(signed_in, team, csv_file(REF_HEADER, rows))
    assert response.status_code == 400
    assert 'data-problem-row="3" data-problem-column="postcode_district"' in \
        response.content.decode()
    response = upload(signed_in, team, csv_file(REF_HEADER, rows[:1]))
    assert 'data-count="existing_cases">1<' in response.content.decode()
    assert confirm_import(signed_in, team, response.content.decode()).status_code == 302
    assert Referral.objects.filter(case__team_reference="IMP-1").count() == 1


def test_the_database_is_checked_again_when_confirming(signed_in, team, practitioner):
    response = upload(signed_in, team, csv_file(REF_HEADER, GOOD_REFERRALS[:1]))
    assert response.status_code == 200
    # Someone records the same NHS number on another case between preview and confirmation.
    actions.create_case(user=practitioner, team=team, team_reference="OTHER-1",
                        nhs_number="9434765919")
    before = counts()
    response = confirm_import(signed_in, team, response.content.decode())
    assert response.status_code == 400
    assert "The team already has a case with this NHS number" in response.content.decode()
    assert counts() == before


def test_a_token_from_elsewhere_imports_nothing(signed_in, team):
    upload(signed_in, team, csv_file(REF_HEADER, GOOD_REFERRALS))
    response = signed_in.post(reverse("outcomes:team-import-confirm", args=[team.pk]),
                              {"token": "A" * 43})
    assert response.status_code == 400 and not Case.objects.filter(team_reference="IMP-1")


def xlsx_file(sheets: dict) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("last-year.xlsx", buffer.getvalue())


def test_a_workbook_imports_cases_referrals_and_measures_together(signed_in, team):
    day = datetime.date.today() - datetime.timedelta(days=30)
    referrals = [("WB-1", 9434765919, day, "gp", "mother", 31.0, "", "accepted",
                  datetime.datetime.combine(day, datetime.time()))]
    measures = [("WB-1", "phq9", "baseline", day, 12),
                ("WB-1", "gad7", "Baseline", day.isoformat(), "")]
    header = ("team_reference", "nhs_number", "referred_on", "referrer_type",
              "caregiver_1_relationship", "caregiver_1_age", "risk_factors", "decision",
              "decided_on")
    file = xlsx_file({"referrals": (header, referrals), "Measures": (
        ("team_reference", "instrument", "timepoint", "administered_on", "total"), measures)})
    response = upload(signed_in, team, file, holds="")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Sheet Measures, row 3, column total" in page  # the GAD-7 has no score
    measures[1] = ("WB-1", "gad7", "Baseline", day.isoformat(), 8)
    file = xlsx_file({"referrals": (header, referrals), "Measures": (
        ("team_reference", "instrument", "timepoint", "administered_on", "total"), measures)})
    response = upload(signed_in, team, file, holds="")
    assert response.status_code == 200, response.content.decode()
    assert confirm_import(signed_in, team, response.content.decode()).status_code == 302
    case = Case.objects.get(team=team, team_reference="WB-1")
    assert case.referrals.get().caregivers.get().age_at_referral == 31
    assert sorted(case.measures.values_list("instrument", "total")) == [("gad7", 8),
                                                                         ("phq9", 12)]


def test_another_teams_import_is_not_found(client, team):
    sign_in(client, make_user("bradford@example.org",
                              team=Service.objects.get(register_ref="T16")))
    for url in (reverse("outcomes:team-import", args=[team.pk]),
                reverse("outcomes:team-import-template-xlsx", args=[team.pk]),
                reverse("outcomes:team-import-template-csv", args=[team.pk, "referrals"])):
        assert client.get(url).status_code == 404, url
    response = upload(client, team, csv_file(REF_HEADER, GOOD_REFERRALS))
    assert response.status_code == 404 and not Case.objects.filter(team_reference="IMP-1")


def test_an_analyst_is_refused(client, team):
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    assert client.get(reverse("outcomes:team-import", args=[team.pk])).status_code == 403
    assert upload(client, team, csv_file(REF_HEADER, GOOD_REFERRALS)).status_code == 403


def test_each_record_imported_has_one_entry_in_a_chain_that_verifies(signed_in, team,
                                                                     practitioner):
    """The import's entries are appended in bulk (recorder.append_many): one per record, with
    the names of the fields it set, the summary last, all in one unbroken run of the chain."""
    from cradle.audit import recorder
    from tests.audit_helpers import verify

    before = recorder.head()[0]
    response = upload(signed_in, team, csv_file(REF_HEADER, GOOD_REFERRALS))
    assert confirm_import(signed_in, team, response.content.decode()).status_code == 302
    entries = list(AuditEntry.objects.filter(sequence__gt=before).in_order())
    assert [e.sequence for e in entries] == list(range(before + 1, recorder.head()[0] + 1))
    assert entries[-1].action == Action.LOAD and entries[-1].note.startswith("Bulk import")
    team_of = {Case: "team", Referral: "case__team", Caregiver: "referral__case__team",
               ReferralRiskFactor: "referral__case__team", MeasureAdministration: "case__team"}
    records = [(model._meta.label_lower, str(pk)) for model in RECORDS
               for pk in model.objects.filter(**{team_of[model]: team})
               .values_list("pk", flat=True)]
    assert len(records) == 2 + 3 + 2 + 3  # cases, referrals, caregivers, risk factors
    created = [(e.model_label, e.object_id) for e in entries[:-1]]
    assert sorted(created) == sorted(records) and len(set(created)) == len(created)
    assert all(e.action == Action.CREATE and e.actor_id == str(practitioner.pk)
               for e in entries[:-1])
    first = Case.objects.get(team=team, team_reference="IMP-1")
    fields = next(e.fields for e in entries if e.object_id == str(first.pk)
                  and e.model_label == "outcomes.case")
    assert {"team", "team_reference", "nhs_number_pseudonym", "postcode_district"} <= set(fields)
    assert "audit log intact" in verify()
