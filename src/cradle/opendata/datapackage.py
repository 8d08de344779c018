"""A Frictionless Data Package (tabular-data-package, v1) for a snapshot's CSV files, and a
checker of a descriptor and its files against the rules Cradle relies on. Pure: no Django.

The checker implements the parts of the Data Package, Data Resource, Tabular Data Resource and
Table Schema specifications (https://specs.frictionlessdata.io/) that a consumer of these files
depends on: required keys, names, paths that stay inside the package, `bytes` and `hash`
(`sha256:<hex>`) equal to the file's, field types from the specification's list, each CSV's
header equal to its schema's field names, every value parsing as its field's type (the empty
string is the one missing value), and primary keys present and unique. It does not fetch
anything: remote profiles and paths are refused rather than read.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from cradle.core.spreadsheets import csv_text

PACKAGE_PROFILE = "tabular-data-package"
RESOURCE_PROFILE = "tabular-data-resource"
CSV_MEDIATYPE = "text/csv"
ENCODING = "utf-8"
#: The Table Schema's field types (v1).
FIELD_TYPES = ("string", "number", "integer", "boolean", "object", "array", "date", "time",
               "datetime", "year", "yearmonth", "duration", "geopoint", "geojson", "any")
NAME = re.compile(r"^[-a-z0-9._/]+$")
HASH = re.compile(r"^sha256:[0-9a-f]{64}$")
TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")
MISSING = ""
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$|^(NaN|INF|-INF)$")
_YEAR = re.compile(r"^[0-9]{4}$")
_YEARMONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    unit: str = ""  # what a number counts or measures ("children", "percent", "WTE")

    def descriptor(self) -> dict:
        out = {"name": self.name, "type": self.type, "description": self.description}
        if self.unit:
            out["unit"] = self.unit  # an extra property: the specification allows them
        return out


@dataclass(frozen=True)
class Source:
    title: str
    path: str = ""
    date: str = ""  # the reference date or period of the source, as text

    def descriptor(self) -> dict:
        out = {"title": self.title + (f" ({self.date})" if self.date else "")}
        if self.path:
            out["path"] = self.path
        return out


@dataclass(frozen=True)
class License:
    name: str
    title: str
    path: str

    def descriptor(self) -> dict:
        return {"name": self.name, "title": self.title, "path": self.path}


OGL = License("OGL-UK-3.0", "Open Government Licence v3.0",
              "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")


@dataclass(frozen=True)
class TableShape:
    """What the descriptor says of a table: everything but its rows."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    sources: tuple[Source, ...] = ()
    licenses: tuple[License, ...] = ()

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cell(value) -> object:
    """A value as the CSV writes it: booleans as true/false, dates in ISO form, None empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def table_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 (no byte order mark), CRLF line ends, text neutralised against formulas
    (`cradle.core.spreadsheets`); the empty string is the missing value."""
    return csv_text(header, ([cell(v) for v in row] for row in rows)).encode(ENCODING)


def resource(shape: TableShape, path: str, data: bytes, *, extra: Mapping | None = None) -> dict:
    out = {
        "profile": RESOURCE_PROFILE, "name": shape.name, "path": path, "title": shape.title,
        "description": shape.description, "format": "csv", "mediatype": CSV_MEDIATYPE,
        "encoding": ENCODING, "bytes": len(data), "hash": f"sha256:{sha256_hex(data)}",
        "schema": {"fields": [f.descriptor() for f in shape.fields],
                   "primaryKey": list(shape.primary_key), "missingValues": [MISSING]},
    }
    if shape.sources:
        out["sources"] = [s.descriptor() for s in shape.sources]
    if shape.licenses:
        out["licenses"] = [lic.descriptor() for lic in shape.licenses]
    return out | dict(extra or {})


def package(*, name: str, title: str, description: str, created: datetime.datetime,
            resources: Sequence[dict], version: str, homepage: str = "",
            licenses: Sequence[License] = (), sources: Sequence[Source] = ()) -> dict:
    out = {"profile": PACKAGE_PROFILE, "name": name, "title": title,
           "description": description, "version": version,
           "created": created.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if homepage:
        out["homepage"] = homepage
    if licenses:
        out["licenses"] = [lic.descriptor() for lic in licenses]
    if sources:
        out["sources"] = [s.descriptor() for s in sources]
    out["resources"] = list(resources)
    return out


def package_json(descriptor: Mapping) -> bytes:
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode(ENCODING)


# Checking -------------------------------------------------------------------------------------

def value_is(type_: str, text: str, fmt: str = "default") -> bool:
    """Whether a CSV cell (not missing) is a value of the Table Schema type."""
    try:
        if type_ in ("string", "any"):
            return True
        if type_ == "integer":
            return bool(_INTEGER.match(text))
        if type_ == "number":
            return bool(_NUMBER.match(text))
        if type_ == "boolean":
            return text in TRUE_VALUES or text in FALSE_VALUES
        if type_ == "date":
            return fmt == "default" and len(text) == 10 and bool(datetime.date.fromisoformat(text))
        if type_ == "datetime":
            return "T" in text and bool(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")))
        if type_ == "time":
            return bool(datetime.time.fromisoformat(text))
        if type_ == "year":
            return bool(_YEAR.match(text))
        if type_ == "yearmonth":
            return bool(_YEARMONTH.match(text))
        if type_ == "duration":
            return bool(_DURATION.match(text))
        if type_ in ("object", "array", "geojson"):
            value = json.loads(text)
            return isinstance(value, list if type_ == "array" else dict)
        if type_ == "geopoint":
            lon, lat = (Decimal(part) for part in text.split(","))
            return -180 <= lon <= 180 and -90 <= lat <= 90
    except (ValueError, InvalidOperation, TypeError):
        return False
    return False


@dataclass
class Problems:
    found: list[str] = field(default_factory=list)

    def add(self, where: str, what: str) -> None:
        self.found.append(f"{where}: {what}")


def _safe_path(path: object) -> bool:
    return (isinstance(path, str) and bool(path) and not path.startswith(("/", "\\"))
            and "://" not in path and ".." not in path.replace("\\", "/").split("/"))


def validate(descriptor: Mapping, files: Mapping[str, bytes]) -> list[str]:
    """Every way the descriptor or its files break the rules above, in words ([] if none).
    `files`: the package's files by path."""
    problems = Problems()
    if descriptor.get("profile") != PACKAGE_PROFILE:
        problems.add("package", f"profile must be {PACKAGE_PROFILE!r}")
    name = descriptor.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        problems.add("package", "name must be lower case letters, digits, -, ., _ or /")
    created = descriptor.get("created")
    if created is not None and not (isinstance(created, str)
                                    and value_is("datetime", created)):
        problems.add("package", "created must be an ISO 8601 date and time")
    for where, holder in [("package", descriptor), *[
            (f"resource {r.get('name')!r}", r) for r in descriptor.get("resources") or []
            if isinstance(r, Mapping)]]:
        for licence in holder.get("licenses", []):
            if not (licence.get("name") or licence.get("path")):
                problems.add(where, "each licence needs a name or a path")
        for source in holder.get("sources", []):
            if not source.get("title"):
                problems.add(where, "each source needs a title")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        problems.add("package", "resources must be a non-empty list")
        return problems.found
    names = [r.get("name") for r in resources if isinstance(r, Mapping)]
    for duplicate in sorted({n for n in names if names.count(n) > 1}, key=str):
        problems.add("package", f"resource name {duplicate!r} is used twice")
    for item in resources:
        if not isinstance(item, Mapping):
            problems.add("package", "each resource must be an object")
            continue
        _check_resource(item, files, problems)
    return problems.found


def _check_resource(item: Mapping, files: Mapping[str, bytes], problems: Problems) -> None:
    where = f"resource {item.get('name')!r}"
    if not isinstance(item.get("name"), str) or not NAME.match(item["name"]):
        problems.add(where, "name must be lower case letters, digits, -, ., _ or /")
    expected = {"profile": RESOURCE_PROFILE, "format": "csv", "mediatype": CSV_MEDIATYPE,
                "encoding": ENCODING}
    for key, value in expected.items():
        if item.get(key) != value:
            problems.add(where, f"{key} must be {value!r}")
    path = item.get("path")
    if not _safe_path(path):
        problems.add(where, "path must be a relative path inside the package")
        return
    if path not in files:
        problems.add(where, f"file {path} is missing")
        return
    data = files[path]
    if item.get("bytes") != len(data):
        problems.add(where, f"bytes is {item.get('bytes')!r}, the file has {len(data)}")
    digest = item.get("hash")
    if not isinstance(digest, str) or not HASH.match(digest):
        problems.add(where, "hash must be sha256: and 64 lower-case hex digits")
    elif digest != f"sha256:{sha256_hex(data)}":
        problems.add(where, "hash does not match the file")
    schema = item.get("schema")
    if not isinstance(schema, Mapping) or not isinstance(schema.get("fields"), list) \
            or not schema["fields"]:
        problems.add(where, "schema.fields must be a non-empty list")
        return
    fields = schema["fields"]
    field_names = [f.get("name") if isinstance(f, Mapping) else None for f in fields]
    for f in fields:
        if not isinstance(f, Mapping) or not isinstance(f.get("name"), str) or not f["name"]:
            problems.add(where, "each field needs a name")
        elif f.get("type", "string") not in FIELD_TYPES:
            problems.add(where, f"field {f['name']!r} has unknown type {f.get('type')!r}")
    for duplicate in sorted({n for n in field_names if field_names.count(n) > 1}, key=str):
        problems.add(where, f"field {duplicate!r} is declared twice")
    key = schema.get("primaryKey", [])
    key = [key] if isinstance(key, str) else key
    for name in key:
        if name not in field_names:
            problems.add(where, f"primaryKey names {name!r}, which is not a field")
    _check_csv(where, data, fields, key, schema.get("missingValues", [MISSING]), problems)


def _check_csv(where: str, data: bytes, fields: list, key: list, missing: list,
               problems: Problems) -> None:
    if data.startswith(b"\xef\xbb\xbf"):
        problems.add(where, "the file starts with a byte order mark")
    try:
        text = data.decode(ENCODING)
    except UnicodeDecodeError as error:
        problems.add(where, f"the file is not UTF-8 ({error.reason} at byte {error.start})")
        return
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    names = [f.get("name") for f in fields if isinstance(f, Mapping)]
    if header != names:
        problems.add(where, f"the header {header} is not the schema's fields {names}")
        return
    types = [(f.get("name"), f.get("type", "string"), f.get("format", "default"),
              bool((f.get("constraints") or {}).get("required"))) for f in fields]
    positions = [names.index(name) for name in key if name in names]
    seen: set[tuple] = set()
    shown = 0
    for number, row in enumerate(rows, start=2):
        if len(row) != len(names):
            problems.add(where, f"line {number} has {len(row)} values, not {len(names)}")
            continue
        for (name, type_, fmt, required), value in zip(types, row, strict=True):
            if value in missing:
                if required:
                    problems.add(where, f"line {number}: {name} is required")
            elif not value_is(type_, value, fmt) and shown < 20:
                shown += 1
                problems.add(where, f"line {number}: {name} {value!r} is not of type {type_}")
        if positions:
            values = tuple(row[i] for i in positions)
            if any(v in missing for v in values):
                problems.add(where, f"line {number}: a primary key value is missing")
            elif values in seen:
                problems.add(where, f"line {number}: primary key {values} repeats")
            seen.add(values)
