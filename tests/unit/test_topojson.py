import pytest

from cradle.geography.build.topojson import object_features

# A unit square split into two triangles that share the diagonal arc 0,
# quantised with scale 0.5 and translate (10, 50).
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 50]},
    "arcs": [
        [[0, 0], [2, 2]],            # (10,50) -> (11,51): the shared diagonal
        [[2, 2], [-2, 0], [0, -2]],  # (11,51) -> (10,51) -> (10,50)
        [[0, 0], [2, 0], [0, 2]],    # (10,50) -> (11,50) -> (11,51)
    ],
    "objects": {
        "halves": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"areacd": "UPPER"}},
                {"type": "MultiPolygon", "arcs": [[[2, -1]]], "properties": {"areacd": "LOWER"}},
            ],
        }
    },
}


def test_decodes_delta_encoded_quantised_arcs():
    upper, _ = object_features(TOPOLOGY, "halves")
    assert upper["properties"] == {"areacd": "UPPER"}
    assert upper["geometry"] == {
        "type": "Polygon",
        "coordinates": [[[10.0, 50.0], [11.0, 51.0], [10.0, 51.0], [10.0, 50.0]]],
    }


def test_negative_arc_index_reverses_the_shared_arc():
    _, lower = object_features(TOPOLOGY, "halves")
    assert lower["geometry"] == {
        "type": "MultiPolygon",
        "coordinates": [[[[10.0, 50.0], [11.0, 50.0], [11.0, 51.0], [10.0, 50.0]]]],
    }


def test_unknown_object_is_an_error():
    with pytest.raises(KeyError, match="missing"):
        object_features(TOPOLOGY, "missing")
