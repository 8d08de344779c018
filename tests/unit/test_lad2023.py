import csv
from pathlib import Path

from cradle.geography import lad2023

AREAS = Path(__file__).resolve().parents[2] / "src/cradle/geography/data/areas.csv"


def april_2020_authorities() -> dict[str, str]:
    with AREAS.open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle) if row["scheme"] == "la"}


def test_every_merged_part_is_an_april_2020_authority_and_parts_do_not_overlap():
    known = april_2020_authorities()
    parts = [p for _name, ps in lad2023.MERGED_SINCE_APRIL_2020.values() for p in ps]
    assert len(parts) == len(set(parts)) == 24
    assert set(parts) <= set(known)
    assert not set(lad2023.MERGED_SINCE_APRIL_2020) & set(known)


def test_unchanged_authorities_stand_for_themselves():
    assert lad2023.april_2020_parts("E08000035") == ("E08000035",)
    assert lad2023.december_2023_code("E08000035") == "E08000035"


def test_a_merged_authority_is_its_districts_and_back():
    assert lad2023.april_2020_parts("E06000063") == ("E07000026", "E07000028", "E07000029")
    assert lad2023.december_2023_code("E07000027") == "E06000064"
    assert lad2023.december_2023_code("E07000246") == "E06000066"


def test_april_2020_plus_mergers_is_exactly_the_361_december_2023_authorities():
    known = april_2020_authorities()
    december_2023 = {lad2023.december_2023_code(code) for code in known}
    assert len(december_2023) == 361
