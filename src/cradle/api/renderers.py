"""CSV and GeoJSON renderers. CSV goes through cradle.core.spreadsheets (formula injection
neutralised), with the JSON rows' columns flattened (flatten.py)."""

from __future__ import annotations

import json

from rest_framework.renderers import BaseRenderer

from cradle.core.spreadsheets import csv_bytes

from . import flatten
from .geojson import MEDIA_TYPE as GEOJSON_MEDIA_TYPE


def rows_of(data):
    """The rows a JSON body holds: a page's `results`, a list, or one object."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return data["results"]
    if isinstance(data, list):
        return data
    return [data] if isinstance(data, dict) else []


class CsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        header, rows = flatten.table(rows_of(data))
        return csv_bytes(header, rows)


class GeoJsonRenderer(BaseRenderer):
    media_type = GEOJSON_MEDIA_TYPE
    format = "geojson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False).encode()
