"""GeoJSON as RFC 7946 asks (pure: no Django imports).

Boundaries are stored as GeoJSON geometries in WGS84 (longitude, latitude). What the API sends
is normalised here: coordinates rounded to `PRECISION` decimal places (about 10 cm, far finer
than any boundary's source), repeated points dropped, every ring closed, exterior rings
counter-clockwise and holes clockwise (the right-hand rule, RFC 7946 section 3.1.6), and no
`crs` member. `problems` checks a document against the same rules, for the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

PRECISION = 6
MEDIA_TYPE = "application/geo+json"
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                  "MultiPolygon", "GeometryCollection")


def signed_area(ring: Sequence[Sequence[float]]) -> float:
    """Twice the ring's signed area (shoelace): positive when counter-clockwise."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        total += x1 * y2 - x2 * y1
    return total


def _point(position: Sequence[float], precision: int) -> list[float]:
    return [round(float(position[0]), precision), round(float(position[1]), precision)]


def normalise_ring(ring: Iterable[Sequence[float]], *, exterior: bool,
                   precision: int = PRECISION) -> list[list[float]] | None:
    """The ring rounded, without repeated points, closed, wound the RFC 7946 way; None when
    fewer than four positions are left (no area)."""
    points: list[list[float]] = []
    for position in ring:
        point = _point(position, precision)
        if not points or points[-1] != point:
            points.append(point)
    if points and points[0] != points[-1]:
        points.append(list(points[0]))
    if len(points) < 4:
        return None
    area = signed_area(points)
    if area == 0:
        return None
    if (area > 0) != exterior:
        points.reverse()
    return points


def normalise_polygon(rings: Sequence, precision: int = PRECISION) -> list | None:
    if not rings:
        return None
    exterior = normalise_ring(rings[0], exterior=True, precision=precision)
    if exterior is None:
        return None
    holes = [normalise_ring(ring, exterior=False, precision=precision) for ring in rings[1:]]
    return [exterior, *(hole for hole in holes if hole is not None)]


def normalise_geometry(geometry: Mapping | None, precision: int = PRECISION) -> dict | None:
    """A stored Polygon or MultiPolygon boundary as the API sends it; None for none (or one
    with no area left)."""
    if not geometry:
        return None
    kind = geometry.get("type")
    if kind == "Polygon":
        rings = normalise_polygon(geometry.get("coordinates") or [], precision)
        return None if rings is None else {"type": "Polygon", "coordinates": rings}
    if kind == "MultiPolygon":
        polygons = [p for p in (normalise_polygon(rings, precision)
                                for rings in geometry.get("coordinates") or []) if p]
        if not polygons:
            return None
        if len(polygons) == 1:
            return {"type": "Polygon", "coordinates": polygons[0]}
        return {"type": "MultiPolygon", "coordinates": polygons}
    raise ValueError(f"Unsupported boundary geometry: {kind!r}")


def feature(properties: Mapping, geometry: Mapping | None, feature_id=None) -> dict:
    out = {"type": "Feature"}
    if feature_id is not None:
        out["id"] = feature_id
    out["properties"] = dict(properties)
    out["geometry"] = geometry
    return out


def feature_collection(features: Iterable[Mapping], **foreign: object) -> dict:
    """A FeatureCollection; `foreign` members (RFC 7946 section 6.1) go before the features."""
    return {"type": "FeatureCollection", **foreign, "features": list(features)}


# --- Checking ---------------------------------------------------------------------------------

def _position_problems(position, where: str) -> list[str]:
    if (not isinstance(position, list) or len(position) not in (2, 3)
            or not all(isinstance(v, int | float) and not isinstance(v, bool)
                       for v in position)):
        return [f"{where}: a position is two or three numbers"]
    longitude, latitude = position[0], position[1]
    problems = []
    if not -180 <= longitude <= 180:
        problems.append(f"{where}: longitude {longitude} outside -180..180")
    if not -90 <= latitude <= 90:
        problems.append(f"{where}: latitude {latitude} outside -90..90")
    return problems


def _ring_problems(ring, where: str, *, exterior: bool) -> list[str]:
    if not isinstance(ring, list) or len(ring) < 4:
        return [f"{where}: a linear ring has at least four positions"]
    problems = [p for i, position in enumerate(ring)
                for p in _position_problems(position, f"{where}[{i}]")]
    if problems:
        return problems
    if ring[0] != ring[-1]:
        problems.append(f"{where}: the ring is not closed")
    area = signed_area(ring)
    if exterior and area <= 0:
        problems.append(f"{where}: an exterior ring must be counter-clockwise")
    if not exterior and area >= 0:
        problems.append(f"{where}: a hole must be clockwise")
    return problems


def _polygon_problems(rings, where: str) -> list[str]:
    if not isinstance(rings, list) or not rings:
        return [f"{where}: a polygon is a non-empty list of rings"]
    return [p for i, ring in enumerate(rings)
            for p in _ring_problems(ring, f"{where}[{i}]", exterior=i == 0)]


def geometry_problems(geometry, where: str = "geometry") -> list[str]:
    if geometry is None:
        return []
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        return [f"{where}: not a GeoJSON geometry"]
    if "crs" in geometry:
        return [f"{where}: RFC 7946 has no crs member"]
    kind, coordinates = geometry["type"], geometry.get("coordinates")
    if kind == "GeometryCollection":
        return [p for i, g in enumerate(geometry.get("geometries") or [])
                for p in geometry_problems(g, f"{where}.geometries[{i}]")]
    if kind == "Point":
        return _position_problems(coordinates, where)
    if kind in ("MultiPoint", "LineString"):
        if not isinstance(coordinates, list):
            return [f"{where}: coordinates must be a list"]
        return [p for i, pos in enumerate(coordinates)
                for p in _position_problems(pos, f"{where}[{i}]")]
    if kind == "MultiLineString":
        if not isinstance(coordinates, list):
            return [f"{where}: coordinates must be a list"]
        return [p for i, line in enumerate(coordinates)
                for p in geometry_problems({"type": "LineString", "coordinates": line},
                                           f"{where}[{i}]")]
    if kind == "Polygon":
        return _polygon_problems(coordinates, where)
    if not isinstance(coordinates, list) or not coordinates:
        return [f"{where}: a MultiPolygon is a non-empty list of polygons"]
    return [p for i, rings in enumerate(coordinates)
            for p in _polygon_problems(rings, f"{where}[{i}]")]


def problems(document) -> list[str]:
    """Why a GeoJSON document breaks RFC 7946 (as far as checked here); [] when it does not."""
    if not isinstance(document, dict):
        return ["the document is not a JSON object"]
    if "crs" in document:
        return ["RFC 7946 has no crs member"]
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            return ["a FeatureCollection has a features list"]
        return [f"features[{i}]: {problem}" for i, item in enumerate(features)
                for problem in problems(item)]
    if kind == "Feature":
        found = []
        if "geometry" not in document:
            found.append("a Feature has a geometry member (null when none)")
        if "properties" not in document or not isinstance(document["properties"],
                                                          dict | type(None)):
            found.append("a Feature has a properties member (an object or null)")
        if "id" in document and not isinstance(document["id"], str | int | float):
            found.append("a Feature's id is a string or a number")
        return found + geometry_problems(document.get("geometry"))
    return geometry_problems(document, "document")
