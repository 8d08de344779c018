"""The register updates of 2020-2025 (loaded with the 2019 register in tests/conftest.py): each
row a sourced, dated claim, never confirmed fact."""

import csv
import datetime
import io
import shutil

import pytest

from cradle.audit.models import AuditEntry
from cradle.directory.classification import classify_service
from cradle.directory.confirmation import confirmation_for, confirmed_operating_on
from cradle.directory.definition import Outcome
from cradle.directory.headline import headline_counts
from cradle.directory.models import (
    CriterionEvidence,
    RegisterClaim,
    Service,
    ServiceCoverage,
    StatusChange,
)
from cradle.directory.register_import import DATA_DIR, RegisterError, load_register
from cradle.directory.register_updates import DATASET, UPDATES_FILE, new_ref

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 2)


def counts():
    return {m.__name__: m.objects.count() for m in
            (Service, StatusChange, ServiceCoverage, CriterionEvidence, RegisterClaim)}


def by_name(name: str) -> Service:
    return Service.objects.get(claims__name_given=name)


def rewrite(tmp_path, change):
    """A copy of the shipped data whose updates file `change(rows)` has edited."""
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    path = data_dir / UPDATES_FILE
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    rows = change(rows) or rows
    out = io.StringIO()
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return data_dir


def test_every_row_is_a_claim_linked_by_ref_2019_or_a_new_service():
    assert RegisterClaim.objects.filter(dataset=DATASET).count() == 60
    linked = RegisterClaim.objects.exclude(service__register_ref__startswith="U")
    assert linked.count() == 34
    leeds = Service.objects.get(register_ref="T15")
    assert leeds.claims.get().name_given == "Leeds Infant Mental Health Service"
    new = Service.objects.filter(register_ref__startswith="U")
    assert new.count() == 26
    sefton = by_name("Building Attachment and Bonds Service (BABS) Sefton")
    assert sefton.register_ref == new_ref(sefton.name)
    # The claim keeps the date as given and at its precision.
    claim = Service.objects.get(register_ref="T16").claims.get()
    assert (claim.evidence_date_text, claim.evidence_precision, claim.evidence_from,
            claim.evidence_to) == ("2020/21 (LGA case study, pandemic period)", "year",
                                   datetime.date(2020, 4, 1), datetime.date(2021, 3, 31))
    assert claim.strength == "likely" and len(claim.urls) == 3


def test_the_2019_facts_are_kept():
    halton = Service.objects.get(register_ref="T05")
    assert halton.name == "Baby Infant Bonding Service"  # the 2019 name, kept
    assert "Building Attachment and Bonds Service (BABS) Halton" in halton.other_names
    assert halton.status_changes.get().effective_from == datetime.date(2019, 1, 1)
    # The update's Tameside row adds Glossop; the 2019 coverage is left as it was.
    tameside = Service.objects.get(register_ref="T25")
    assert not tameside.coverage.filter(area__code="E07000037").exists()


def test_new_references_do_not_depend_on_row_order(tmp_path):
    before = dict(Service.objects.filter(register_ref__startswith="U")
                  .values_list("name", "register_ref"))
    data_dir = rewrite(tmp_path, lambda rows: list(reversed(rows)))
    changes = load_register(data_dir=data_dir)
    assert all(sum(c.values()) == 0 for c in changes.values()), changes
    assert dict(Service.objects.filter(register_ref__startswith="U")
                .values_list("name", "register_ref")) == before
    assert new_ref("Wee Minds Matter") == new_ref("wee minds  matter!")
    assert not any(ref[0] in "TDCP" for ref in before.values())


def test_second_load_changes_nothing_and_records_nothing():
    before, entries = counts(), AuditEntry.objects.count()
    changes = load_register()
    assert all(sum(c.values()) == 0 for c in changes.values()), changes
    assert counts() == before
    assert AuditEntry.objects.count() == entries


def test_the_load_was_audited():
    entry = AuditEntry.objects.get(model_label="core.importlog",
                                   note__startswith=f"{DATASET} loaded. ")
    assert "claims: 60 created" in entry.note
    assert AuditEntry.objects.filter(model_label="directory.service", action="load",
                                     note=f"created from {DATASET}").count() == 26


def test_a_closed_claim_closes_from_its_evidence_date():
    norpip = Service.objects.get(register_ref="T19")
    assert norpip.status_on(datetime.date(2021, 6, 29)) == "operating"
    assert norpip.status_on(datetime.date(2021, 6, 30)) == "closed"
    change = norpip.status_changes.get(status="closed")
    assert change.source.startswith(f"{DATASET}: ")
    assert "parentinfantfoundation.org.uk" in change.source
    assert not Service.objects.operating_on(TODAY).filter(pk=norpip.pk).exists()


def test_in_development_and_operating_claims_are_dated_status_changes():
    # Oldham (D02): announced in 2019, operating from its launch item of 8 December 2021.
    oldham = Service.objects.get(register_ref="D02")
    assert oldham.status_on(datetime.date(2021, 12, 7)) == "planned"
    assert oldham.status_on(datetime.date(2021, 12, 8)) == "operating"
    # Kent: new, planned from the council decision of 21 March 2025.
    kent = by_name("Kent Parent Infant Mental Health Service")
    assert kent.status_on(datetime.date(2025, 3, 21)) == "planned"
    assert kent.status_on(datetime.date(2025, 3, 20)) is None
    # Cumbria (D06): in development in 2019 and in 2021: no change to record.
    assert Service.objects.get(register_ref="D06").status_changes.count() == 1


def test_local_authorities_made_since_2020_are_their_april_2020_districts():
    norpip_new = by_name("Building Attachment and Bonds Service (BABS) St Helens")
    assert {c.area.code for c in norpip_new.coverage.all()} >= {"E08000013"}
    cumbria = Service.objects.get(register_ref="D06").claims.get()
    assert cumbria.local_authorities.split() == ["E06000063", "E06000064"]
    gm = by_name("Bury parent-infant mental health team (name UNVERIFIED)")
    icb = gm.coverage.get(area__scheme="icb2023")
    assert (icb.area.code, icb.partial) == ("E54000057", True)


@pytest.mark.parametrize(("name", "outcome"), [
    # yes: every criterion recorded from the source.
    ("Building Attachment and Bonds Service (BABS) Sefton", Outcome.TEAM),
    # likely, partial, unknown: not every element shown, none shown to fail.
    ("Salford parent-infant mental health team (name UNVERIFIED)",
     Outcome.NOT_ENOUGH_INFORMATION),
    ("NHS Tayside Infant Mental Health Team", Outcome.NOT_ENOUGH_INFORMATION),
    ("Isle of Wight Parent and Infant Relationship (PAIR) team",
     Outcome.NOT_ENOUGH_INFORMATION),
    # no: a weaker service inside a wider one.
    ("Newham specialist health visitors for perinatal and infant mental health",
     Outcome.NOT_A_TEAM),
    # yes (per 2019 report): Rare Jewels' evidence stands.
    ("Anna Freud Centre Parent Infant Project", Outcome.TEAM),
])
def test_the_classifier_reruns_on_what_each_strength_says(name, outcome):
    assert classify_service(by_name(name)).outcome is outcome


def test_last_confirmed_is_as_precise_as_its_source():
    knowsley = confirmation_for(Service.objects.get(register_ref="T06"))
    assert (knowsley.on_text, knowsley.strength, knowsley.status) == (
        "17 November 2025", "yes", "operating")
    assert confirmed_operating_on(Service.objects.get(register_ref="T06"), TODAY)
    enfield = confirmation_for(Service.objects.get(register_ref="T11"))
    assert (enfield.on_text, enfield.source, enfield.strength) == (
        "June 2019", "Rare Jewels (Parent Infant Partnership UK, June 2019)", "yes_per_2019")
    caps = confirmation_for(Service.objects.get(register_ref="T08"))
    assert (caps.on, caps.on_text) == (None, "undated page")
    assert not confirmed_operating_on(Service.objects.get(register_ref="T08"), TODAY)
    # As of 2019, Rare Jewels confirmed every team then operating.
    assert confirmed_operating_on(Service.objects.get(register_ref="T08"),
                                  datetime.date(2019, 6, 30))


def test_headline_counts_for_2019_and_for_today():
    in_2019 = headline_counts(datetime.date(2019, 6, 30))
    assert (in_2019.confirmed, in_2019.unconfirmed) == (27, 0)
    assert in_2019.published.teams == 27
    assert in_2019.pct_confirmed == in_2019.pct_recorded
    today = headline_counts(TODAY)
    assert (today.confirmed, today.unconfirmed) == (6, 35)
    assert (today.published.teams, today.published.on) == (51, datetime.date(2025, 12, 11))
    assert today.published_gap == 10
    assert 0 < today.pct_confirmed < today.pct_recorded
    # A longer window confirms more, from older evidence.
    assert headline_counts(TODAY, months=36).confirmed == 8


@pytest.mark.parametrize(("column", "value", "message"), [
    ("ref_2019", "T99", "'T99' is not a reference in the 2019 register"),
    ("status", "paused", "'paused' is not one of operating, in development, closed"),
    ("meets_definition", "maybe", "'maybe' is not one of yes, likely"),
    ("status_evidence_date", "last spring", "'last spring' is not a date"),
    ("local_authorities", "E06000099", "no local authority with code 'E06000099'"),
    ("health_areas", "E38000001", "no icb2023 area with code 'E38000001'"),
    ("source_urls", "leeds.example.org", "'leeds.example.org' is not a web address"),
])
def test_a_bad_row_names_file_row_and_column_and_loads_nothing(tmp_path, column, value,
                                                               message):
    def spoil(rows):
        rows[14][column] = value  # T05, Halton and Warrington (England), row 16

    data_dir = rewrite(tmp_path, spoil)
    before, entries = counts(), AuditEntry.objects.count()
    with pytest.raises(RegisterError) as error:
        load_register(data_dir=data_dir)
    assert str(error.value).startswith(
        f"register-updates-2020-2025.csv, row 16, column '{column}': {message}")
    assert counts() == before and AuditEntry.objects.count() == entries


def test_two_rows_for_one_2019_service_are_refused(tmp_path):
    data_dir = rewrite(tmp_path, lambda rows: [*rows, rows[0]])
    with pytest.raises(RegisterError, match=r"row 62, column 'ref_2019': same service as row 2"):
        load_register(data_dir=data_dir)
