"""Readers for the public source files in ../shared/data, each checking its own layout.

A file that is not as expected stops the build with the file, row and column named.
"""

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

INFANT_AGE_COLUMNS = ("0", "1", "2")
CHILD_AGE_COLUMNS = tuple(str(age) for age in range(18))
# Key of the 0-17 total in the "ages" mappings below, beside the single ages 0, 1 and 2.
CHILDREN = "0-17"


class SourceError(ValueError):
    def __init__(self, path: Path, message: str, row: int | None = None, column: str | None = None):
        where = path.name
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise SourceError(path, f"cannot read JSON ({error})") from error


def csv_rows(
    path: Path, required: tuple[str, ...], encoding: str = "utf-8-sig"
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number as a spreadsheet shows it, row) after checking the header."""
    with path.open(newline="", encoding=encoding) as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if missing:
            raise SourceError(path, f"missing columns {missing}", row=1)
        for row in reader:
            if not any((value or "").strip() for value in row.values()):
                continue
            yield reader.line_num, row


def parse_count(path: Path, row: int, column: str, raw: str | None) -> int:
    text = (raw or "").replace(",", "").strip()
    if not text.isdigit():
        raise SourceError(path, f"{raw!r} is not a whole, non-negative number", row, column)
    return int(text)


def read_la_population(path: Path, encoding: str) -> dict[str, dict[str, Any]]:
    """ONS MYE2 persons table:
    {code: {"name", "geography", "ages": {0: n, 1: n, 2: n, "0-17": n}}}."""
    table: dict[str, dict[str, Any]] = {}
    for line, row in csv_rows(path, ("Code", "Name", "Geography", *CHILD_AGE_COLUMNS), encoding):
        code = row["Code"].strip()
        if not code:
            raise SourceError(path, "empty area code", line, "Code")
        ages = _ages(path, line, row)
        table[code] = {
            "name": row["Name"].replace("\xa0", " ").strip(),
            "geography": row["Geography"].strip(),
            "ages": ages,
        }
    return table


def _ages(path: Path, line: int, row: dict[str, str]) -> dict:
    counts = {age: parse_count(path, line, age, row[age]) for age in CHILD_AGE_COLUMNS}
    ages: dict = {int(age): counts[age] for age in INFANT_AGE_COLUMNS}
    ages[CHILDREN] = sum(counts.values())
    return ages


def read_msoa_population(path: Path) -> dict[str, dict[int, int]]:
    table: dict[str, dict[int, int]] = {}
    for line, row in csv_rows(path, ("MSOA Code", *CHILD_AGE_COLUMNS)):
        table[row["MSOA Code"].strip()] = _ages(path, line, row)
    return table


def read_msoa_lookup(path: Path) -> dict[str, dict[str, str]]:
    """2011 MSOAs of England and Wales: {MSOA11CD: {"name": MSOA11NM, "lad20": LAD20CD}}."""
    table = {}
    for line, row in csv_rows(path, ("MSOA11CD", "MSOA11NM", "LAD20CD")):
        code = row["MSOA11CD"].strip()
        if code[:3] not in ("E02", "W02"):
            continue
        if not row["LAD20CD"].strip():
            raise SourceError(path, "MSOA without a local authority", line, "LAD20CD")
        table[code] = {"name": row["MSOA11NM"].strip(), "lad20": row["LAD20CD"].strip()}
    return table


def read_msoa21_names(path: Path) -> dict[str, str]:
    """2021 MSOAs of England and Wales by name: {MSOA21 name: the same MSOA's 2011 code, or ""
    where the 2021 MSOA is new (split or merged in 2021)}."""
    table = {}
    for _line, row in csv_rows(path, ("MSOANM", "MSOA11CD", "MSOA21CD")):
        if row["MSOA21CD"].strip()[:3] in ("E02", "W02"):
            table[row["MSOANM"].strip()] = row["MSOA11CD"].strip()
    return table


def read_msoa_centroids(path: Path) -> dict[str, tuple[float, float]]:
    table = {}
    for line, row in csv_rows(path, ("msoa11cd", "latitude", "longitude")):
        try:
            table[row["msoa11cd"].strip()] = (float(row["longitude"]), float(row["latitude"]))
        except ValueError as error:
            raise SourceError(path, "coordinates are not numbers", line, "latitude") from error
    return table


def read_lsoa_lookup(
    path: Path, name_column: str, area_column: str
) -> Iterator[tuple[str, str]]:
    """Yield (LSOA name, area code) pairs from an ONS LSOA lookup."""
    for line, row in csv_rows(path, (name_column, area_column)):
        name, area = row[name_column].strip(), row[area_column].strip()
        if not name or not area:
            raise SourceError(path, "empty LSOA name or area code", line, area_column)
        yield name, area


def read_lsoa_rows(
    path: Path, columns: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of an ONS LSOA lookup, every named column non-empty."""
    for line, row in csv_rows(path, columns):
        for column in columns:
            if not (row[column] or "").strip():
                raise SourceError(path, "empty value", line, column)
        yield line, {column: row[column].strip() for column in columns}


def read_geojson_features(path: Path) -> list[dict[str, Any]]:
    data = read_json(path)
    if data.get("type") != "FeatureCollection":
        raise SourceError(path, "not a GeoJSON FeatureCollection")
    return data["features"]


def feature_property(path: Path, feature: dict[str, Any], index: int, name: str) -> str:
    value = (feature.get("properties") or {}).get(name)
    if value in (None, ""):
        raise SourceError(path, f"feature {index} has no {name!r} property", column=name)
    return str(value).strip()
