"""Boundary handling: reprojection to WGS84, simplification for web maps, overlays."""

from collections.abc import Iterable
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.strtree import STRtree

BRITISH_NATIONAL_GRID = "EPSG:27700"
WGS84 = "EPSG:4326"
# About 50 m on the ground: keeps coastlines recognisable at county zoom while keeping
# every boundary file small enough for a browser.
SIMPLIFY_DEGREES = 0.0005
COORDINATE_GRID = 0.00001


def to_shape(geojson_geometry: dict[str, Any]) -> shapely.Geometry:
    geometry = shape(geojson_geometry)
    return geometry if geometry.is_valid else shapely.make_valid(geometry)


def reproject_bng_to_wgs84(geometry: shapely.Geometry) -> shapely.Geometry:
    transformer = Transformer.from_crs(BRITISH_NATIONAL_GRID, WGS84, always_xy=True)
    return shapely.transform(
        geometry, lambda xy: _stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def _stack(xy: tuple[Any, Any]):
    import numpy

    return numpy.column_stack(xy)


def for_web(geometry: shapely.Geometry) -> dict[str, Any]:
    """Simplified, grid-snapped, valid polygonal GeoJSON geometry in WGS84."""
    simplified = shapely.simplify(geometry, SIMPLIFY_DEGREES, preserve_topology=True)
    snapped = shapely.set_precision(simplified, COORDINATE_GRID)
    polygons = _polygonal(snapped if not snapped.is_empty else geometry)
    return mapping(polygons)


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [
        part for part in getattr(geometry, "geoms", [])
        if part.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.union_all(parts)


def dissolve(geometries: Iterable[shapely.Geometry]) -> shapely.Geometry:
    return shapely.union_all(list(geometries))


class PointLocator:
    """Which of a set of named polygons contains a point (nearest polygon if none does)."""

    def __init__(self, polygons: dict[str, shapely.Geometry]):
        self.codes = list(polygons)
        self.geometries = [polygons[code] for code in self.codes]
        self.tree = STRtree(self.geometries)

    def locate(self, lon: float, lat: float, among: set[str] | None = None) -> str:
        point = shapely.Point(lon, lat)
        candidates = [
            self.codes[i] for i in self.tree.query(point, predicate="intersects")
            if among is None or self.codes[i] in among
        ]
        if candidates:
            return sorted(candidates)[0]
        pool = [
            (geometry.distance(point), code)
            for code, geometry in zip(self.codes, self.geometries, strict=True)
            if among is None or code in among
        ]
        return min(pool)[1]


def overlap_fractions(
    piece: shapely.Geometry, areas: dict[str, shapely.Geometry]
) -> dict[str, float]:
    """Fraction of `piece`'s area inside each area it overlaps."""
    total = piece.area
    fractions = {}
    for code, area in areas.items():
        if piece.intersects(area):
            shared = piece.intersection(area).area
            if shared > 0:
                fractions[code] = shared / total
    return fractions
