"""Read and validate the shipped reference files (no Django imports).

Every problem names the file, the row as a spreadsheet shows it, and the column.
"""

import csv
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .schemes import INFANT_AGES, NATIONS, POPULATION_YEARS, SCHEMES_BY_KEY, nation_for_area

DATA_DIR = Path(__file__).resolve().parent / "data"
DATASET = "cradle-reference-geography"
METHODS = ("ons-la-estimate", "msoa-centroid-sum", "la-union", "lsoa-apportioned",
           "area-apportioned", "derived-union")
AREA_COLUMNS = ("scheme", "code", "ods_code", "name", "nation", "parent_scheme", "parent_code",
                "derived", "note")


class ReferenceDataError(ValueError):
    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column = file, row, column
        where = file + (f", row {row}" if row is not None else "") + (
            f", column '{column}'" if column is not None else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class ReferenceData:
    manifest: dict
    areas: list[dict]
    populations: list[dict]
    child_populations: list[dict]
    overlaps: list[dict]
    successions: list[dict]
    boundaries: dict[tuple[str, str], dict]


def _rows(data_dir: Path, name: str, columns: tuple[str, ...]):
    path = data_dir / name
    if not path.exists():
        raise ReferenceDataError(name, "file is missing")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise ReferenceDataError(name, f"header must be {','.join(columns)}", row=1)
        for row in reader:
            if None in row or any(value is None for value in row.values()):
                raise ReferenceDataError(name, "wrong number of fields", reader.line_num)
            yield reader.line_num, {key: value.strip() for key, value in row.items()}


def _integer(name, line, column, text, allowed=None):
    if not text.isdigit():
        raise ReferenceDataError(name, f"{text!r} is not a whole, non-negative number", line,
                                 column)
    value = int(text)
    if allowed is not None and value not in allowed:
        raise ReferenceDataError(name, f"{value} is not one of {list(allowed)}", line, column)
    return value


def _choice(name, line, column, text, allowed):
    if text not in allowed:
        raise ReferenceDataError(name, f"{text!r} is not one of {', '.join(allowed)}", line,
                                 column)
    return text


def read_reference_data(data_dir: Path = DATA_DIR) -> ReferenceData:
    manifest_path = data_dir / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ReferenceDataError("manifest.json", "file is missing") from error
    except json.JSONDecodeError as error:
        raise ReferenceDataError("manifest.json", f"not valid JSON ({error.msg})",
                                 row=error.lineno) from error
    areas, keys = [], set()
    for line, row in _rows(data_dir, "areas.csv", AREA_COLUMNS):
        _choice("areas.csv", line, "scheme", row["scheme"], tuple(SCHEMES_BY_KEY))
        _choice("areas.csv", line, "nation", row["nation"], NATIONS)
        if not row["code"]:
            raise ReferenceDataError("areas.csv", "code is empty", line, "code")
        if not row["name"]:
            raise ReferenceDataError("areas.csv", "name is empty", line, "name")
        try:
            expected_nation = nation_for_area(row["scheme"], row["code"])
        except ValueError as error:
            raise ReferenceDataError("areas.csv", str(error), line, "code") from error
        if expected_nation != row["nation"]:
            raise ReferenceDataError("areas.csv", f"code {row['code']} is in {expected_nation}",
                                     line, "nation")
        if (row["scheme"], row["code"]) in keys:
            raise ReferenceDataError("areas.csv", f"{row['code']} appears twice", line, "code")
        keys.add((row["scheme"], row["code"]))
        derived = _choice("areas.csv", line, "derived", row["derived"], ("true", ""))
        areas.append(row | {"line": line, "derived": derived == "true"})
    for row in areas:
        if row["parent_code"] and (row["parent_scheme"], row["parent_code"]) not in keys:
            raise ReferenceDataError("areas.csv", f"no area {row['parent_code']} in scheme "
                                     f"{row['parent_scheme']!r}", row["line"], "parent_code")

    def known_area(file, line, column, scheme, code):
        if (scheme, code) not in keys:
            raise ReferenceDataError(file, f"no area {code} in scheme {scheme!r}", line, column)
        return code

    populations = []
    for line, row in _rows(data_dir, "population.csv",
                           ("scheme", "code", "year", "age", "count", "method")):
        known_area("population.csv", line, "code", row["scheme"], row["code"])
        populations.append({
            "scheme": row["scheme"], "code": row["code"],
            "year": _integer("population.csv", line, "year", row["year"], POPULATION_YEARS),
            "age": _integer("population.csv", line, "age", row["age"], INFANT_AGES),
            "count": _integer("population.csv", line, "count", row["count"]),
            "method": _choice("population.csv", line, "method", row["method"], METHODS),
        })
    child_populations = []
    for line, row in _rows(data_dir, "population_0_17.csv",
                           ("scheme", "code", "year", "count", "method")):
        known_area("population_0_17.csv", line, "code", row["scheme"], row["code"])
        child_populations.append({
            "scheme": row["scheme"], "code": row["code"],
            "year": _integer("population_0_17.csv", line, "year", row["year"], POPULATION_YEARS),
            "count": _integer("population_0_17.csv", line, "count", row["count"]),
            "method": _choice("population_0_17.csv", line, "method", row["method"], METHODS),
        })
    overlaps = []
    for line, row in _rows(data_dir, "la_overlaps.csv",
                           ("scheme", "area_code", "la_code", "share_0_2")):
        known_area("la_overlaps.csv", line, "area_code", row["scheme"], row["area_code"])
        known_area("la_overlaps.csv", line, "la_code", "la", row["la_code"])
        try:
            share = Decimal(row["share_0_2"])
        except InvalidOperation as error:
            raise ReferenceDataError("la_overlaps.csv", f"{row['share_0_2']!r} is not a number",
                                     line, "share_0_2") from error
        if not 0 < share <= 1:
            raise ReferenceDataError("la_overlaps.csv", "share must be above 0 and at most 1",
                                     line, "share_0_2")
        overlaps.append(row | {"share_0_2": share})
    successions = []
    for line, row in _rows(data_dir, "successions.csv", (
            "from_scheme", "from_code", "to_scheme", "to_code", "boundary_changed", "basis")):
        known_area("successions.csv", line, "from_code", row["from_scheme"], row["from_code"])
        known_area("successions.csv", line, "to_code", row["to_scheme"], row["to_code"])
        changed = _choice("successions.csv", line, "boundary_changed", row["boundary_changed"],
                          ("true", "false", ""))
        successions.append(row | {"boundary_changed": {"true": True, "false": False}.get(changed)})
    boundaries = {}
    for scheme in SCHEMES_BY_KEY:
        name = f"boundaries/{scheme}.geojson"
        try:
            features = json.loads((data_dir / name).read_text(encoding="utf-8"))["features"]
        except (OSError, ValueError, KeyError) as error:
            raise ReferenceDataError(name, f"not a readable GeoJSON FeatureCollection ({error})"
                                     ) from error
        for index, feature in enumerate(features, start=1):
            code = (feature.get("properties") or {}).get("code", "")
            known_area(name, index, "properties.code", scheme, code)
            geometry = feature.get("geometry") or {}
            if geometry.get("type") not in ("Polygon", "MultiPolygon"):
                raise ReferenceDataError(name, "geometry must be a Polygon or MultiPolygon",
                                         index, "geometry")
            boundaries[(scheme, code)] = geometry
    _check_checksums(data_dir, manifest)
    return ReferenceData(manifest, areas, populations, child_populations, overlaps, successions,
                         boundaries)


def _check_checksums(data_dir: Path, manifest: dict) -> None:
    for name, info in manifest.get("files", {}).items():
        digest = hashlib.sha256((data_dir / name).read_bytes()).hexdigest()
        if digest != info.get("sha256"):
            raise ReferenceDataError(
                name, "contents differ from manifest.json; rebuild with `cradle data build`")


def read_manifest(data_dir: Path = DATA_DIR) -> dict:
    """The shipped manifest: sources, methods and build checks (empty if not built)."""
    try:
        return json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
