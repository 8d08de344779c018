import shutil

import pytest

from cradle.geography.reference_files import DATA_DIR, ReferenceDataError, read_reference_data


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def replace_in(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path, needle):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_shipped_data_reads_cleanly():
    data = read_reference_data()
    assert len(data.areas) == sum(1 for _ in (DATA_DIR / "areas.csv").open()) - 1
    assert all(key in data.boundaries for key in [("ccg2019", "E38000001"), ("nitrust", "BHSCT")])


def test_negative_count_names_file_row_and_column(data_copy):
    population = data_copy / "population.csv"
    row = line_of(population, "ccg2019,E38000001,2020,0,")
    lines = population.read_text().splitlines()
    fields = lines[row - 1].split(",")
    fields[4] = "-5"
    lines[row - 1] = ",".join(fields)
    population.write_text("\n".join(lines) + "\n")
    with pytest.raises(ReferenceDataError) as error:
        read_reference_data(data_copy)
    assert str(error.value).startswith(f"population.csv, row {row}, column 'count': '-5'")


def test_unknown_nation_is_rejected(data_copy):
    areas = data_copy / "areas.csv"
    row = line_of(areas, "ccg2019,E38000001,")
    replace_in(areas, "NHS Airedale, Wharfedale and Craven\",England",
               "NHS Airedale, Wharfedale and Craven\",Englnd")
    with pytest.raises(ReferenceDataError, match=rf"areas.csv, row {row}, column 'nation'"):
        read_reference_data(data_copy)


def test_population_for_an_unknown_area_is_rejected(data_copy):
    replace_in(data_copy / "population.csv", "ccg2019,E38000001,", "ccg2019,E38999999,")
    with pytest.raises(ReferenceDataError, match="no area E38999999 in scheme 'ccg2019'"):
        read_reference_data(data_copy)


def test_changed_header_is_rejected(data_copy):
    replace_in(data_copy / "la_overlaps.csv", "share_0_2", "share")
    with pytest.raises(ReferenceDataError, match=r"la_overlaps.csv, row 1: header must be"):
        read_reference_data(data_copy)


def test_edited_file_no_longer_matching_manifest_is_rejected(data_copy):
    replace_in(data_copy / "areas.csv", "NHS Airedale", "NHS Airdale")
    with pytest.raises(ReferenceDataError, match="areas.csv: contents differ from manifest"):
        read_reference_data(data_copy)


def test_missing_file_is_named(data_copy):
    (data_copy / "successions.csv").unlink()
    with pytest.raises(ReferenceDataError, match="successions.csv: file is missing"):
        read_reference_data(data_copy)
