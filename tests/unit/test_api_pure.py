"""The API's pure modules: GeoJSON normalisation and checking (RFC 7946), query parameters,
CSV flattening and entity tags. None of them imports Django."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest

from cradle.api import etags, flatten, geojson, params

PURE = ("geojson.py", "params.py", "flatten.py", "etags.py")
API = Path(__file__).resolve().parents[2] / "src" / "cradle" / "api"

CLOCKWISE = [[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]
ANTICLOCKWISE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_import_no_django(module):
    tree = ast.parse((API / module).read_text(encoding="utf-8"))
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
             for alias in node.names]
    names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in names if name.startswith(("django", "rest_framework"))]


def test_exterior_rings_are_made_counter_clockwise_and_holes_clockwise():
    hole = [[0.2, 0.2], [0.8, 0.2], [0.8, 0.8], [0.2, 0.8], [0.2, 0.2]]  # anticlockwise
    polygon = geojson.normalise_geometry({"type": "Polygon", "coordinates": [CLOCKWISE, hole]})
    exterior, inner = polygon["coordinates"]
    assert geojson.signed_area(exterior) > 0 and geojson.signed_area(inner) < 0
    assert geojson.problems(polygon) == []


def test_rings_are_rounded_closed_and_cleaned_and_a_single_polygon_is_a_polygon():
    ring = [[-1.1234567891, 53.1], [-1.0, 53.1], [-1.0, 53.1], [-1.0, 53.2]]  # open, repeated
    geometry = geojson.normalise_geometry({"type": "MultiPolygon", "coordinates": [[ring]]})
    assert geometry["type"] == "Polygon"
    (exterior,) = geometry["coordinates"]
    assert exterior[0] == exterior[-1] == [-1.123457, 53.1]
    assert len(exterior) == 4
    assert geojson.problems(geometry) == []


def test_degenerate_rings_and_empty_boundaries_are_dropped():
    line = [[0, 0], [1, 1], [0, 0]]
    assert geojson.normalise_geometry({"type": "Polygon", "coordinates": [line]}) is None
    assert geojson.normalise_geometry(None) is None
    with pytest.raises(ValueError):
        geojson.normalise_geometry({"type": "Point", "coordinates": [0, 0]})


def test_the_checker_finds_what_rfc_7946_forbids():
    assert geojson.problems({"type": "Polygon", "coordinates": [CLOCKWISE]}) == [
        "document[0]: an exterior ring must be counter-clockwise"]
    assert "RFC 7946 has no crs member" in geojson.problems(
        {"type": "FeatureCollection", "features": [], "crs": {}})
    assert geojson.problems({"type": "Point", "coordinates": [181, 0]})
    assert geojson.problems({"type": "Point", "coordinates": [0, 91]})
    assert geojson.problems({"type": "Polygon", "coordinates": [ANTICLOCKWISE[:-1]]})
    collection = geojson.feature_collection([geojson.feature({"a": 1}, None, "x")])
    assert geojson.problems(collection) == []
    assert geojson.problems({"type": "Feature", "properties": {}})  # no geometry member


def test_dates_pages_and_choices():
    today = datetime.date(2026, 6, 1)
    assert params.date({}, "on", today=today) == today
    assert params.date({"on": "2024-02-29"}, "on", today=today) == datetime.date(2024, 2, 29)
    for bad in ("2024-02-30", "tomorrow", "2027-01-01", "1999-12-31", "20240229"):
        with pytest.raises(params.ParameterError) as error:
            params.date({"on": bad}, "on", today=today)
        assert error.value.parameter == "on"
    assert params.page({"page": "2", "page_size": "10"}) == params.Page(2, 10)
    for bad in ({"page": "0"}, {"page": "-1"}, {"page": "x"}, {"page_size": "1001"},
                {"page": "9" * 40}, {"page": "١"}):
        with pytest.raises(params.ParameterError):
            params.page(bad)
    with pytest.raises(params.ParameterError):
        params.check_page_exists(params.Page(3, 10), 20)
    params.check_page_exists(params.Page(1, 10), 0)  # an empty first page exists
    with pytest.raises(params.ParameterError) as error:
        params.choice({"scheme": "nope"}, "scheme", {"lhb", "hb"})
    assert "hb, lhb" in error.value.detail


def test_the_cache_key_ignores_unknown_parameters_and_their_order():
    one = params.normalised_query({"b": ["2"], "a": ["1"], "x": ["9"]}, ("a", "b"))
    two = params.normalised_query({"a": ["1"], "b": ["2"]}, ("a", "b"))
    assert one == two == "a=1&b=2"


def test_flattening_keeps_every_column_and_value():
    header, rows = flatten.table([
        {"code": "A", "parent": {"scheme": "la", "code": "P"}, "names": ["x", "y"],
         "history": [{"status": "operating"}], "ok": True, "unknown": None},
        {"code": "B", "parent": None, "extra": 1},
    ])
    assert header == ["code", "parent.scheme", "parent.code", "names", "history", "ok",
                      "unknown", "parent", "extra"]
    assert rows[0][:6] == ["A", "la", "P", "x; y", '[{"status": "operating"}]', "true"]
    assert rows[1] == ["B", None, None, None, None, None, None, None, 1]


def test_entity_tags():
    tag = etags.etag(data_version="v1", today="2026-01-01", path="/api/v1/areas/",
                     query="scheme=lhb", fmt="json")
    assert tag.startswith('"') and tag != etags.etag(
        data_version="v2", today="2026-01-01", path="/api/v1/areas/", query="scheme=lhb",
        fmt="json")
    assert etags.matches(tag, tag) and etags.matches(f'"x", W/{tag}', tag)
    assert etags.matches("*", tag) and not etags.matches(None, tag)
    assert not etags.matches('"other"', tag)
