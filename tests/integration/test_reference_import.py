import hashlib
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from cradle.core.models import ImportLog
from cradle.directory.models import Service
from cradle.geography.actions import load_reference_geography
from cradle.geography.models import Area, AreaSuccession, LocalAuthorityOverlap, Population
from cradle.geography.reference_files import DATA_DIR

pytestmark = pytest.mark.django_db

EXPECTED_COUNTS = {
    "ccg2019": 191, "ccg2021": 106, "subicb2022": 106, "icb2023": 42, "subicb2024": 106,
    "icb2024": 42, "icb2026": 36,
    "lhb": 7, "hb": 14, "nitrust": 5, "la": 379, "county": 25,
}


def table_counts():
    return {model.__name__: model.objects.count()
            for model in (Area, Population, LocalAuthorityOverlap, AreaSuccession, ImportLog)}


def test_every_scheme_has_its_areas():
    for scheme, expected in EXPECTED_COUNTS.items():
        assert Area.objects.in_scheme(scheme).count() == expected, scheme


def test_every_area_has_a_boundary_and_six_population_figures():
    assert not Area.objects.filter(boundary__isnull=True).exists()
    assert Population.objects.count() == 6 * Area.objects.count()


def test_sub_icb_locations_link_to_their_icb():
    south_yorkshire = Area.objects.get(scheme="subicb2022", ods_code="02P")
    assert south_yorkshire.parent.scheme == "icb2023"
    assert south_yorkshire.parent.ods_code == "QF7"
    assert all(icb.children.count() >= 1 for icb in Area.objects.in_scheme("icb2023"))


def test_ccg2021_to_subicb2022_lookup_includes_the_recoded_locations():
    changed = AreaSuccession.objects.filter(
        predecessor__scheme="ccg2021", successor__scheme="subicb2022",
        predecessor__code="E38000220")
    assert changed.get().successor.code == "E38000258"
    assert changed.get().boundary_changed is True
    assert AreaSuccession.objects.filter(predecessor__scheme="ccg2021").count() == 106


def test_second_load_changes_nothing():
    before = table_counts()
    changes = load_reference_geography()
    assert all(sum(counts.values()) == 0 for counts in changes.values()), changes
    assert table_counts() == before


def test_load_into_an_empty_database_creates_everything_and_logs_it():
    ImportLog.objects.all().delete()
    Service.objects.all().delete()  # registered services' coverage protects their areas
    Area.objects.update(parent=None)
    Area.objects.all().delete()
    changes = load_reference_geography()
    assert changes["areas"]["created"] == sum(EXPECTED_COUNTS.values())
    assert changes["populations"]["created"] == 6 * sum(EXPECTED_COUNTS.values())
    log = ImportLog.objects.get()
    assert log.dataset == "cradle-reference-geography"
    assert log.files["areas.csv"]["rows"] == sum(EXPECTED_COUNTS.values())
    assert str(log.reference_date) == "2020-06-30"


def copy_with_edit(tmp_path, file_name, edit, **more_edits):
    """A copy of the shipped data with files edited and the manifest brought in line."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    manifest = json.loads((target / "manifest.json").read_text())
    for name, change in {file_name: edit, **{k.replace("_csv", ".csv"): v
                                             for k, v in more_edits.items()}}.items():
        path = target / name
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        manifest["files"][name]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


def test_corrupt_file_is_rejected_and_nothing_is_written(tmp_path):
    # A good change to areas.csv, then a bad count in population.csv: neither may land.
    data_dir = copy_with_edit(
        tmp_path, "areas.csv",
        lambda text: text.replace("NHS Airedale, Wharfedale and Craven", "Renamed", 1),
        population_csv=lambda text: text.replace(
            "ccg2019,E38000002,2020,1,", "ccg2019,E38000002,2020,1,lots#", 1))
    before = table_counts()
    with pytest.raises(CommandError) as error:
        call_command("data", "load", "--data-dir", str(data_dir))
    message = str(error.value)
    assert message.startswith("nothing was loaded: population.csv, row ")
    assert "column 'count': 'lots#" in message
    assert "is not a whole, non-negative number" in message
    assert table_counts() == before
    assert Area.objects.get(scheme="ccg2019", code="E38000001").name.startswith("NHS Airedale")


def test_a_changed_name_updates_one_row_and_is_logged(tmp_path):
    data_dir = copy_with_edit(tmp_path, "areas.csv", lambda t: t.replace(
        "NHS Airedale, Wharfedale and Craven", "NHS Airedale Wharfedale Craven", 1))
    logs_before = ImportLog.objects.count()
    changes = load_reference_geography(data_dir=data_dir)
    assert changes["areas"] == {"created": 0, "updated": 1, "deleted": 0}
    assert ImportLog.objects.count() == logs_before + 1
    assert Area.objects.get(scheme="ccg2019", code="E38000001").name == (
        "NHS Airedale Wharfedale Craven")


def test_links_dropped_from_the_files_are_deleted(tmp_path):
    def drop_nitrust_links(text):
        return "\n".join(line for line in text.splitlines()
                         if not line.startswith("nitrust,WHSCT")) + "\n"

    western = Area.objects.get(scheme="nitrust", code="WHSCT")
    links = western.la_overlaps.count()
    assert links > 0
    data_dir = copy_with_edit(tmp_path, "la_overlaps.csv", drop_nitrust_links)
    changes = load_reference_geography(data_dir=data_dir)
    assert changes["la_overlaps"] == {"created": 0, "updated": 0, "deleted": links}
    assert not western.la_overlaps.exists()
