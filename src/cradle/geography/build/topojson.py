"""Decode TopoJSON objects into GeoJSON geometries (the subset ONS publishes: polygons)."""

from typing import Any


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (scale_x, scale_y), (shift_x, shift_y) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        else:
            points = [(float(px), float(py)) for px, py in arc]
        arcs.append(points)
    return arcs


def _ring(arc_indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    coordinates: list[tuple[float, float]] = []
    for index in arc_indexes:
        # A negative index means the arc is used reversed: ~index is its position.
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        # Consecutive arcs share their joining point; keep it once.
        coordinates.extend(points if not coordinates else points[1:])
    return [list(point) for point in coordinates]


def object_features(topology: dict[str, Any], object_name: str) -> list[dict[str, Any]]:
    """Return the GeoJSON features of one named TopoJSON object."""
    if object_name not in topology.get("objects", {}):
        raise KeyError(f"TopoJSON has no object {object_name!r}")
    arcs = _decode_arcs(topology)
    features = []
    for geometry in topology["objects"][object_name]["geometries"]:
        kind = geometry["type"]
        if kind == "Polygon":
            coordinates = [_ring(ring, arcs) for ring in geometry["arcs"]]
        elif kind == "MultiPolygon":
            coordinates = [[_ring(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
        else:
            raise ValueError(f"unsupported TopoJSON geometry type {kind!r} in {object_name}")
        features.append(
            {
                "type": "Feature",
                "properties": dict(geometry.get("properties", {})),
                "geometry": {"type": kind, "coordinates": coordinates},
            }
        )
    return features
