"""Dated bulk downloads (issue 19 items 3 and 5, ADR 0037): a snapshot of the public tables
from the shipped register and geography, its datapackage validates, its CSVs say what the
pages say, it is made once, kept, served only by its recorded names, and carries nothing
identifying."""

from __future__ import annotations

import csv
import datetime
import io
import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from cradle.audit.models import AuditEntry
from cradle.core.field_classes import FIELD_CLASSES, IDENTIFYING
from cradle.directory.coverage_queries import coverage_report
from cradle.directory.models import Service, ServiceStaffing
from cradle.foi import actions, actions_answers
from cradle.foi.questions import DEFAULT_LETTER
from cradle.foi.responses_csv import ResponseRow
from cradle.opendata import datapackage, snapshots
from cradle.opendata.models import Snapshot, SnapshotExists
from cradle.opendata.tables import TABLES
from tests.foi_helpers import check_all

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def opendata_dir(settings, tmp_path):
    settings.CRADLE_OPENDATA_DIR = tmp_path / "opendata"
    return settings.CRADLE_OPENDATA_DIR


@pytest.fixture
def built():
    result = snapshots.build(ON)
    assert result.created and result.why == "created"
    return result.snapshot


def csv_of(snapshot, name: str) -> list[dict]:
    data = snapshots.file_path(snapshot, name).read_bytes()
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_the_snapshot_validates_and_each_header_is_its_schema(built):
    files = snapshots.read_files(built)
    descriptor = json.loads(files["datapackage.json"])
    assert datapackage.validate(descriptor, files) == []
    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["created"] == "2026-01-05T00:00:00Z"
    assert [r["name"] for r in descriptor["resources"]] == [t.name for t in TABLES]
    for resource in descriptor["resources"]:
        header = files[resource["path"]].decode().split("\r\n", 1)[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        assert resource["hash"] == "sha256:" + datapackage.sha256_hex(files[resource["path"]])
    for entry in built.files:  # the recorded checksums are the files'
        assert entry["sha256"] == datapackage.sha256_hex(files[entry["name"]])
        assert entry["bytes"] == len(files[entry["name"]])
    assert {"areas.parquet", "coverage_by_area.parquet"} <= set(files)
    assert len(csv_of(built, "areas.csv")) > 1000
    assert len(csv_of(built, "services.csv")) == Service.objects.real().count()


def test_a_tampered_file_no_longer_validates(built):
    files = snapshots.read_files(built)
    files["services.csv"] = files["services.csv"].replace(b"operating", b"0perating", 1)
    problems = datapackage.validate(json.loads(files["datapackage.json"]), files)
    assert any("hash does not match" in p for p in problems)


def test_coverage_figures_are_the_coverage_pages(built, client):
    report = coverage_report(ON)
    rows = {(r["scheme"], r["code"]): r for r in csv_of(built, "coverage_by_area.csv")}
    assert len(rows) == len(report.areas)
    for area in report.areas:
        row = rows[area.key]
        assert row["status"] == area.status
        assert row["population_0_2"] == str(round(area.population_0_2))
        assert row["pct_covered"] == ("" if area.pct_covered is None else str(area.pct_covered))
        assert row["date"] == ON.isoformat() and row["suppressed"] == "false"
        assert row["denominator"] and row["source"]
    # The map's GeoJSON for the same date says the same.
    geojson = client.get(reverse("directory:coverage-geojson"), {"on": ON.isoformat()}).json()
    for feature in geojson["features"]:
        p = feature["properties"]
        assert rows[(p["scheme"], p["code"])]["status"] == p["status"]
    nations = {r["nation"]: r for r in csv_of(built, "coverage_by_nation.csv")}
    assert nations["UK"]["areas_covered"] == str(report.uk.areas_covered)
    assert nations["UK"]["population_0_2"] == str(report.uk.population_0_2)
    for nation, figures in report.nations.items():
        assert nations[nation]["areas"] == str(figures.areas)
        assert nations[nation]["services_operating"] == ""  # not counted per nation: empty


def test_the_snapshots_coverage_is_the_apis_for_the_same_date(built, client):
    """The bulk file and /api/v1/coverage/areas/ (every row, as CSV) agree row by row."""
    snapshot = {(r["scheme"], r["code"]): r for r in csv_of(built, "coverage_by_area.csv")}
    response = client.get("/api/v1/coverage/areas/", {"on": ON.isoformat(), "format": "csv"})
    assert response.status_code == 200
    api = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(api) == len(snapshot) > 100
    for row in api:
        mine = snapshot[(row["scheme"], row["code"])]
        for name in ("name", "nation", "status", "population_0_2", "population_0_2_covered"):
            assert mine[name] == row[name], (row["code"], name)
        for name in ("named_by_team", "camhs_specialists", "suppressed"):
            assert mine[name] == row[name].lower(), (row["code"], name)
        assert (float(mine["pct_covered"]) if mine["pct_covered"] else None) == (
            float(row["pct_covered"]) if row["pct_covered"] else None)
        assert row["as_of"] == mine["date"] == ON.isoformat()


def test_unknown_staffing_is_empty_never_zero(built):
    staffed = set(ServiceStaffing.objects.values_list("service_id", flat=True))
    rows = csv_of(built, "service_staffing.csv")
    assert {int(r["service_id"]) for r in rows} == staffed & set(
        Service.objects.real().values_list("pk", flat=True))
    assert all(r["wte"] not in ("", "0") for r in rows)


def test_a_second_build_with_nothing_changed_makes_nothing(built, opendata_dir):
    before = sorted(p.name for p in opendata_dir.iterdir())
    again = snapshots.build(ON)
    assert (again.created, again.why, again.snapshot.pk) == (False, "exists", built.pk)
    later = snapshots.build(ON + datetime.timedelta(days=1))
    assert (later.created, later.why, later.snapshot.pk) == (False, "unchanged", built.pk)
    assert sorted(p.name for p in opendata_dir.iterdir()) == before == ["2026-01-05"]
    assert Snapshot.objects.count() == 1
    with pytest.raises(SnapshotExists):
        built.save()


def test_a_changed_register_makes_a_new_snapshot_and_the_old_one_is_still_served(
        built, client):
    old_services = snapshots.file_path(built, "services.csv").read_bytes()
    service = Service.objects.real().order_by("pk").first()
    service.locality = "Somewhere new"
    service.save()
    newer = snapshots.build(ON + datetime.timedelta(days=1))
    assert newer.created and newer.snapshot.on == ON + datetime.timedelta(days=1)
    assert b"Somewhere new" in snapshots.file_path(newer.snapshot, "services.csv").read_bytes()
    response = client.get(reverse("opendata:file", args=["2026-01-05", "services.csv"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == old_services
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="cradle-2026-01-05-services.csv"')
    page = client.get(reverse("opendata:downloads")).content.decode()
    assert page.index("6 January 2026") < page.index("5 January 2026")  # newest first
    for entry in built.files:
        assert entry["sha256"] in page
    assert AuditEntry.objects.filter(model_label="opendata.snapshot", action="create").count() \
        == 2


def test_only_recorded_files_are_served(built, client, opendata_dir):
    (opendata_dir / "secret.txt").write_text("not a download")
    for name in ("secret.txt", "..%2Fsecret.txt", "nothing.csv", ".building"):
        response = client.get(f"/downloads/2026-01-05/{name}")
        assert response.status_code == 404, name
    assert client.get("/downloads/2026-01-05/../secret.txt").status_code == 404
    assert client.get("/downloads/2026-01-06/services.csv").status_code == 404
    assert client.get("/downloads/2026-1-5/").status_code == 404
    assert client.get("/downloads/not-a-date/").status_code == 404
    package = client.get(reverse("opendata:datapackage", args=["2026-01-05"]))
    assert package.status_code == 200 and "attachment" not in package["Content-Disposition"]
    assert json.loads(b"".join(package.streaming_content))["name"] == "cradle-2026-01-05"
    assert client.get(reverse("opendata:snapshot", args=["2026-01-05"])).status_code == 200


def identifying_values() -> set[str]:
    """Every identifying value stored in the database's models (emails, phones, names of
    people, notes that may name one), from core.field_classes."""
    values = set()
    for label, classes in FIELD_CLASSES.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        names = [name for name, cls in classes.items() if cls == IDENTIFYING
                 and name in {f.name for f in model._meta.concrete_fields}]
        rows = model.objects.all()
        if label == "directory.SourcedDetail":
            # Its value is identifying because it may be a service's email or phone (as on
            # Service); the other details (languages, how to refer) are the Service fields the
            # public page shows, classified safe there.
            rows = rows.filter(field__in=["contact_email", "contact_phone"])
        if names:
            for row in rows.values_list(*names):
                values |= {str(v) for v in row if v not in (None, "") and len(str(v)) > 3}
    return values


def test_no_identifying_field_reaches_any_file():
    service = Service.objects.real().order_by("pk").first()
    service.contact_email = "named.person@example.org"
    service.contact_phone = "0113 496 0000"
    service.save()
    campaign = actions.create_campaign(name="Open data FOI", question_set="camhs-2019",
                                       letter_template=DEFAULT_LETTER, signatory="Ann Signer",
                                       reply_to="ann.signer@example.org")
    actions_answers.import_responses(campaign=campaign, by="entered@example.org", rows=[
        ResponseRow(respondent_code="02N", respondent_type="ccg", area_code="02N",
                    received_on=datetime.date(2025, 10, 1), accepts_0_12m=True,
                    referred_0_12m=4, referred_0_18=900, comment="Ask Jo Bloggs")])
    check_all(campaign)
    built = snapshots.build(ON).snapshot
    files = snapshots.read_files(built)
    text = b"\n".join(files.values()).decode("utf-8", errors="replace")
    secrets = identifying_values()
    assert "named.person@example.org" in secrets
    leaked = sorted(value for value in secrets if value in text)
    assert leaked == []
    foi = csv_of(built, "foi_results.csv")
    assert [(r["area_code"], r["referred_0_12m"], r["referred_12_24m"]) for r in foi] == [
        ("02N", "4", "")]  # not answered: empty, not 0
    # Every service field in services.csv is one field_classes calls safe.
    header = set(csv_of(built, "services.csv")[0])
    assert not header & {"contact_email", "contact_phone"}


def test_unchecked_foi_answers_are_not_published():
    campaign = actions.create_campaign(name="Unchecked", question_set="camhs-2019",
                                       letter_template=DEFAULT_LETTER, signatory="A",
                                       reply_to="a@example.org")
    actions_answers.import_responses(campaign=campaign, by="entered@example.org", rows=[
        ResponseRow(respondent_code="02N", respondent_type="ccg", area_code="02N",
                    received_on=datetime.date(2025, 10, 1), accepts_0_12m=True)])
    built = snapshots.build(ON).snapshot
    assert csv_of(built, "foi_results.csv") == []


def test_the_command(opendata_dir):
    out = StringIO()
    call_command("opendata", "snapshot", "--date", "2026-01-05", stdout=out)
    assert "snapshot 2026-01-05 written" in out.getvalue()
    out = StringIO()
    call_command("opendata", "snapshot", "--date", "2026-01-05", stdout=out)
    assert "exists already" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("opendata", "snapshot", "--date", "5/1/2026")
    with pytest.raises(CommandError, match="in the past"):
        call_command("opendata", "snapshot", "--date", "2999-01-01")


def test_demo_mode_refuses(settings):
    settings.CRADLE_DEMO = True
    with pytest.raises(snapshots.SnapshotError, match="real data only"):
        snapshots.build(ON)
