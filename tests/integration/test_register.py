import datetime
import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cradle.directory.models import (
    CriterionEvidence,
    Service,
    ServiceCoverage,
    StatusChange,
    TeamCountMilestone,
)
from cradle.directory.register_import import DATA_DIR, RegisterError, load_register

pytestmark = pytest.mark.django_db
IN_2019 = datetime.date(2019, 6, 30)


def counts():
    return {m.__name__: m.objects.count() for m in
            (Service, StatusChange, ServiceCoverage, CriterionEvidence, TeamCountMilestone)}


def test_the_2019_register_has_27_operating_teams():
    # 56 services of the 2019 register and 26 first named by the updates of 2020-2025.
    assert Service.objects.exclude(register_ref__startswith="U").count() == 56
    assert Service.objects.count() == 82
    assert Service.objects.teams().operating_on(IN_2019).count() == 27
    assert Service.objects.teams().with_status_on(IN_2019).filter(status_on="planned").count() == 6
    assert Service.objects.filter(kind="camhs_specialists").count() == 19
    assert Service.objects.filter(kind="child_protection_focus").count() == 4


def test_nothing_operated_before_the_snapshot():
    assert Service.objects.operating_on(datetime.date(2018, 12, 31)).count() == 0


def test_a_later_closure_is_a_dated_status_change():
    leeds = Service.objects.get(register_ref="T15")
    StatusChange.objects.create(service=leeds, status="closed",
                                effective_from=datetime.date(2024, 4, 1))
    assert leeds.status_on(datetime.date(2024, 3, 31)) == "operating"
    assert leeds.status_on(datetime.date(2024, 4, 1)) == "closed"
    assert not Service.objects.operating_on(datetime.date(2025, 1, 1)).filter(pk=leeds.pk).exists()


def test_coverage_uses_the_right_geographies():
    plymouth = Service.objects.get(register_ref="T07")
    coverage = {(c.area.scheme, c.area.code): c.partial for c in plymouth.coverage.all()}
    # Plymouth is one local authority inside NHS Devon CCG (15N): the CCG is partial.
    assert coverage[("la", "E06000026")] is False
    devon = next(key for key in coverage if key[0] == "ccg2019")
    assert coverage[devon] is True
    gwent = Service.objects.get(register_ref="T02")
    assert [(c.area.scheme, c.area.code, c.partial) for c in gwent.coverage.all()] == [
        ("lhb", "W11000028", False)]
    ballygowan = Service.objects.get(register_ref="T01")
    assert {c.area.scheme for c in ballygowan.coverage.all()} == {"nitrust", "la"}


def test_the_report_classification_is_recorded_as_evidence():
    leeds = Service.objects.get(register_ref="T15")
    assert leeds.evidence.filter(answer=True).count() == 7
    assert leeds.evidence.filter(answer=False).count() == 5
    camhs = Service.objects.get(register_ref="C01")
    assert camhs.evidence.get().criterion == "practitioners_within_wider_remit_team"


def test_milestones_are_separate_from_registered_services():
    assert list(TeamCountMilestone.objects.values_list("teams", flat=True)) == [27, 39, 45, 49, 51]
    assert TeamCountMilestone.objects.get(teams=45).in_development == 14


def test_second_load_changes_nothing():
    before = counts()
    changes = load_register()
    assert all(sum(c.values()) == 0 for c in changes.values()), changes
    assert counts() == before


def test_evidence_recorded_later_is_kept_on_reload():
    leeds = Service.objects.get(register_ref="T15")
    evidence = leeds.evidence.get(criterion="workforce_experts_and_champions")
    evidence.evidence, evidence.source = "Trains health visitors city-wide", "Team survey 2024"
    evidence.save()
    load_register()
    evidence.refresh_from_db()
    assert evidence.source == "Team survey 2024"


def test_a_bad_row_names_file_row_and_column_and_writes_nothing(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    register = data_dir / "register-2019.csv"
    lines = register.read_text().splitlines()
    lines[4] = lines[4].replace(",09D,", ",99Z,")  # BrightPIP, row 5
    lines[2] = lines[2].replace("Aneurin Bevan Health Board", "Renamed")
    register.write_text("\n".join(lines) + "\n")
    before = counts()
    with pytest.raises(RegisterError, match=r"register-2019.csv, row 5, column 'health_areas': "
                                            r"no ccg2019 area with code '99Z'"):
        load_register(data_dir=data_dir)
    assert counts() == before
    assert Service.objects.get(register_ref="T02").name.startswith("Aneurin Bevan")


def coverage_json(on):
    out = StringIO()
    call_command("coverage", "--on", on, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_coverage_command_for_2019():
    data = coverage_json("2019-06-30")
    assert data["on"] == "2019-06-30"
    assert data["teams_operating"] == 27
    england = data["nations"]["England"]
    assert england["areas"] == 191
    assert set(england) == {"areas", "areas_with_team", "areas_partly_covered",
                            "areas_share_not_known", "population_0_2",
                            "population_0_2_covered", "pct_covered"}
    assert data["nations"]["Scotland"]["areas"] == 14
    assert data["nations"]["Scotland"]["population_0_2_covered"] == 0
    assert data["nations"]["Wales"]["areas_with_team"] == 1
    assert data["uk"]["areas"] == 217
    assert data["uk"]["population_0_2"] == sum(n["population_0_2"]
                                               for n in data["nations"].values())
    assert 0 < data["uk"]["pct_covered"] < 50


def test_coverage_command_uses_sub_icb_locations_after_july_2022():
    data = coverage_json("2023-01-01")
    assert data["nations"]["England"]["areas"] == 106


def test_coverage_command_rejects_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("coverage", "--on", "30/06/2019")


def test_coverage_reports_are_cached_until_the_register_changes(
        settings, django_assert_max_num_queries):
    from django.core.cache import cache

    from cradle.directory.coverage_queries import coverage_report

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "coverage-cache-test"}}
    cache.clear()
    first = coverage_report(IN_2019)
    with django_assert_max_num_queries(5):  # only the five data-version look-ups
        assert coverage_report(IN_2019) == first
    leeds = Service.objects.get(register_ref="T15")
    StatusChange.objects.create(service=leeds, status="closed",
                                effective_from=datetime.date(2019, 3, 1))
    after = coverage_report(IN_2019)
    assert after.teams_operating == first.teams_operating - 1
    cache.clear()
