"""The Frictionless descriptor of a snapshot and its checker (cradle.opendata.datapackage,
pure), and the Parquet copies."""

from __future__ import annotations

import copy
import datetime
import io
import json
import subprocess
import sys
from decimal import Decimal

import pytest

from cradle.opendata import datapackage as dp
from cradle.opendata import parquet

SHAPE = dp.TableShape(
    "things", "Things", "Some things.",
    (dp.Field("code", "string", "Code"), dp.Field("count", "integer", "Count", "children"),
     dp.Field("share", "number", "Share", "percent"), dp.Field("on", "date", "Date"),
     dp.Field("known", "boolean", "Known")),
    ("code",), (dp.Source("A source", "https://example.org/", "2020"),), (dp.OGL,))
ROWS = [("a", 3, Decimal("12.5"), datetime.date(2026, 1, 5), True),
        ("b", None, None, None, None),  # unknowns are empty
        ("=SUM(A1)", 0, 0.0, datetime.date(2026, 1, 6), False)]


def package_and_files(rows=ROWS):
    data = dp.table_csv(SHAPE.header, rows)
    descriptor = dp.package(
        name="cradle-2026-01-05", title="T", description="D",
        created=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        resources=[dp.resource(SHAPE, "things.csv", data)], version="abc")
    return descriptor, {"things.csv": data}


def test_a_built_package_validates_and_says_what_the_spec_asks():
    descriptor, files = package_and_files()
    assert dp.validate(descriptor, files) == []
    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["created"] == "2026-01-05T00:00:00Z"
    resource = descriptor["resources"][0]
    assert resource | {"schema": None, "sources": None, "licenses": None} == {
        "profile": "tabular-data-resource", "name": "things", "path": "things.csv",
        "title": "Things", "description": "Some things.", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "bytes": len(files["things.csv"]),
        "hash": "sha256:" + dp.sha256_hex(files["things.csv"]),
        "schema": None, "sources": None, "licenses": None}
    assert resource["schema"]["primaryKey"] == ["code"]
    assert resource["schema"]["fields"][1] == {"name": "count", "type": "integer",
                                               "description": "Count", "unit": "children"}
    assert resource["sources"] == [{"title": "A source (2020)", "path": "https://example.org/"}]
    assert resource["licenses"][0]["name"] == "OGL-UK-3.0"
    json.loads(dp.package_json(descriptor))


def test_the_csv_is_utf8_without_a_bom_neutralised_with_empty_unknowns():
    text = dp.table_csv(SHAPE.header, ROWS).decode("utf-8")
    assert text.split("\r\n")[:4] == [
        "code,count,share,on,known", "a,3,12.5,2026-01-05,true", "b,,,,",
        "'=SUM(A1),0,0.0,2026-01-06,false"]


def test_the_checksum_is_sha256():
    assert dp.sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")


@pytest.mark.parametrize(("type_", "good", "bad"), [
    ("integer", ["0", "-3", "+12"], ["1.5", "x", "1e3", " 1"]),
    ("number", ["0", "1.5", "-2", "1e3", ".5", "NaN"], ["1,5", "abc", "1.2.3"]),
    ("boolean", ["true", "false", "True", "0", "1"], ["yes", "no", "t"]),
    ("date", ["2026-01-05"], ["2026-02-30", "05/01/2026", "2026-1-5"]),
    ("datetime", ["2026-01-05T00:00:00Z", "2026-01-05T10:11:12+01:00"], ["2026-01-05"]),
    ("year", ["2026"], ["26"]), ("yearmonth", ["2026-01"], ["2026-13"]),
    ("duration", ["P1Y2M", "PT3H"], ["P", "1Y"]),
    ("object", ['{"a": 1}'], ["[1]", "x"]), ("array", ["[1]"], ['{"a": 1}']),
    ("geopoint", ["-1.5,53.8"], ["200,1", "x"]),
    ("string", ["anything", "'=x"], []),
])
def test_values_parse_as_their_type(type_, good, bad):
    assert type_ in dp.FIELD_TYPES
    assert all(dp.value_is(type_, value) for value in good)
    assert not any(dp.value_is(type_, value) for value in bad)


def broken(change) -> list[str]:
    descriptor, files = package_and_files()
    descriptor = copy.deepcopy(descriptor)
    change(descriptor, files)
    return dp.validate(descriptor, files)


@pytest.mark.parametrize(("change", "problem"), [
    (lambda d, f: d.update(profile="data-package"), "profile must be"),
    (lambda d, f: d.update(name="Cradle 2026"), "name must be"),
    (lambda d, f: d.update(created="yesterday"), "created must be"),
    (lambda d, f: d.update(resources=[]), "non-empty list"),
    (lambda d, f: d["resources"].append(copy.deepcopy(d["resources"][0])), "used twice"),
    (lambda d, f: d["resources"][0].update(path="../etc/passwd"), "inside the package"),
    (lambda d, f: d["resources"][0].update(path="https://example.org/x.csv"), "inside the"),
    (lambda d, f: d["resources"][0].update(path="gone.csv"), "is missing"),
    (lambda d, f: d["resources"][0].update(bytes=1), "bytes is 1"),
    (lambda d, f: d["resources"][0].update(hash="md5:abc"), "hash must be sha256"),
    (lambda d, f: f.update({"things.csv": f["things.csv"] + b"c,1,1,2026-01-01,true\r\n"}),
     "hash does not match"),
    (lambda d, f: d["resources"][0]["schema"]["fields"][1].update(type="int"), "unknown type"),
    (lambda d, f: d["resources"][0]["schema"]["fields"].pop(), "is not the schema's"),
    (lambda d, f: d["resources"][0]["schema"].update(primaryKey=["nope"]), "not a field"),
    (lambda d, f: d["resources"][0].update(encoding="latin-1"), "encoding must be"),
    (lambda d, f: d["resources"][0]["sources"].append({}), "needs a title"),
    (lambda d, f: d["resources"][0]["licenses"].append({"title": "x"}), "name or a path"),
])
def test_each_broken_rule_is_named(change, problem):
    assert any(problem in found for found in broken(change)), broken(change)


def test_bad_values_repeated_keys_and_a_bom_are_named():
    descriptor, files = package_and_files([("a", 1, 1, datetime.date(2026, 1, 5), True),
                                           ("a", "many", "x", "5/1/26", "yes"),
                                           (None, 1, 1, None, None)])
    problems = dp.validate(descriptor, files)
    assert "resource 'things': line 3: count 'many' is not of type integer" in problems
    assert "resource 'things': line 3: share 'x' is not of type number" in problems
    assert "resource 'things': line 3: on '5/1/26' is not of type date" in problems
    assert "resource 'things': line 3: known 'yes' is not of type boolean" in problems
    assert "resource 'things': line 3: primary key ('a',) repeats" in problems
    assert "resource 'things': line 4: a primary key value is missing" in problems
    data = b"\xef\xbb\xbf" + dp.table_csv(SHAPE.header, ROWS)
    descriptor = dp.package(name="p", title="T", description="D",
                            created=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
                            resources=[dp.resource(SHAPE, "things.csv", data)], version="1")
    assert any("byte order mark" in p for p in dp.validate(descriptor, {"things.csv": data}))


def test_parquet_keeps_the_types_and_empties():
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(io.BytesIO(parquet.table_parquet(SHAPE.fields, ROWS)))
    assert table.column_names == list(SHAPE.header)
    assert table.to_pylist()[0] == {"code": "a", "count": 3, "share": 12.5,
                                    "on": datetime.date(2026, 1, 5), "known": True}
    assert table.to_pylist()[1] == {"code": "b", "count": None, "share": None, "on": None,
                                    "known": None}


def test_the_pure_modules_import_no_django():
    names = ["cradle.opendata.datapackage", "cradle.opendata.parquet"]
    code = ("import importlib, json, sys\n"
            f"for name in {names!r}: importlib.import_module(name)\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert json.loads(result.stdout) == []
