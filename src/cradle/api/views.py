"""The endpoints of /api/v1/: thin views over queries.py and figures.py (ADR 0035)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from cradle.geography.models import Nation, scheme_summaries
from cradle.geography.schemes import SCHEMES, SCHEMES_BY_KEY

from . import params, queries
from . import serializers as out
from .base import ApiView, today
from .geojson import MEDIA_TYPE as GEOJSON
from .geojson import feature, feature_collection

NATIONS = tuple(Nation.values)
MAX_ROWS = 50_000  # a CSV or GeoJSON answer holds every row of the filtered result, up to this

FEATURE_COLLECTION = {
    "type": "object", "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {
            "type": "object", "required": ["type", "properties", "geometry"],
            "properties": {"type": {"type": "string", "enum": ["Feature"]},
                           "id": {"type": "string"},
                           "properties": {"type": "object"},
                           "geometry": {"type": "object", "nullable": True}}}}}}
ERRORS = {
    (400, "application/json"): OpenApiResponse(out.ParameterErrorSerializer,
                                               description="A parameter is not valid."),
    (404, "application/json"): OpenApiResponse(out.ErrorSerializer, description="Not found."),
    (503, "application/json"): OpenApiResponse(
        out.ErrorSerializer, description="The database took too long (statement timeout)."),
}


def p(name, description, *, kind=OpenApiTypes.STR, enum=None, location="query", **extra):
    return OpenApiParameter(name, kind, location, description=description, enum=enum, **extra)


def format_parameter(formats):
    return p("format", "The representation: " + ", ".join(formats) + " (default json). A "
             "`.csv` or `.geojson` suffix on the path does the same.", enum=list(formats))


PAGE = [p("page", "Page number, from 1.", kind=OpenApiTypes.INT),
        p("page_size", f"Rows per page, 1 to {params.MAX_PAGE_SIZE} (default "
          f"{params.DEFAULT_PAGE_SIZE}). CSV and GeoJSON hold every row.", kind=OpenApiTypes.INT)]
ON = p("on", "The date of the figures, YYYY-MM-DD, up to today (default today).",
       kind=OpenApiTypes.DATE)
NATION = p("nation", "Only this nation.", enum=list(NATIONS))
SCHEME = p("scheme", "Only this area scheme.", enum=[scheme.key for scheme in SCHEMES])


def responses(body, formats=("json", "csv"), errors=(400, 404, 503)):
    found = {(200, "application/json"): body}
    if "csv" in formats:
        found[(200, "text/csv")] = OpenApiResponse(OpenApiTypes.STR,
                                                   description="The same rows as CSV.")
    if "geojson" in formats:
        found[(200, GEOJSON)] = OpenApiResponse(FEATURE_COLLECTION, description="RFC 7946.")
    return found | {key: value for key, value in ERRORS.items() if key[0] in errors}


class ListView(ApiView):
    """A list: paged in JSON, whole in CSV and GeoJSON."""

    formats = ("json", "csv")
    serializer = None

    def page_of(self, rows_or_queryset, to_rows=lambda rows: rows):
        request = self.request
        chosen = params.page(request.GET)
        count = (rows_or_queryset.count() if hasattr(rows_or_queryset, "count")
                 and not isinstance(rows_or_queryset, list) else len(rows_or_queryset))
        if request.accepted_renderer.format != "json":
            return count, to_rows(rows_or_queryset[:MAX_ROWS]), None, None
        params.check_page_exists(chosen, count)
        rows = to_rows(rows_or_queryset[chosen.start:chosen.stop])

        def link(number):
            return request.build_absolute_uri(
                request.path + "?" + _with(request.GET, page=number))

        return (count, rows, link(chosen.number + 1) if chosen.stop < count else None,
                link(chosen.number - 1) if chosen.number > 1 else None)

    def paged_body(self, rows_or_queryset, to_rows=lambda rows: rows, **extra):
        count, rows, next_link, previous_link = self.page_of(rows_or_queryset, to_rows)
        return {**extra, "count": count, "next": next_link, "previous": previous_link,
                "results": self.serializer(rows, many=True).data}, rows


def _with(query, **changes) -> str:
    copy = query.copy()
    for key, value in changes.items():
        copy[key] = str(value)
    return copy.urlencode()


# Areas ---------------------------------------------------------------------------------------

class SchemeList(ApiView):
    formats = ("json", "csv")
    download_name = "cradle-schemes"

    @extend_schema(summary="Area schemes", description="Every scheme of areas (CCGs of 2019, "
                   "ICBs of 2026, local authorities...), with its count of areas and babies.",
                   parameters=[format_parameter(formats)],
                   responses=responses(out.listed(out.SchemeSerializer), errors=(400,)))
    def get(self, request, **_suffix):
        rows = [{"key": row["scheme"].key, "label": row["scheme"].label,
                 "nations": list(row["scheme"].nations), "areas": row["areas"],
                 "population_0_2": row["population_0_2"], "exact_areas": row["exact_areas"]}
                for row in scheme_summaries()]
        return self.respond({"count": len(rows),
                             "results": out.SchemeSerializer(rows, many=True).data})


class AreaList(ListView):
    formats = ("json", "csv", "geojson")
    parameters = ("scheme", "nation", "page", "page_size")
    serializer = out.AreaSerializer
    download_name = "cradle-areas"
    scheme_filter = None

    @extend_schema(operation_id="areas_list", summary="Areas", description="Areas of every scheme, with their 0 to 2 "
                   "populations by year and how each was made. Ordered by scheme and code.",
                   parameters=[SCHEME, NATION, *PAGE, format_parameter(formats)],
                   responses=responses(out.paged(out.AreaSerializer), formats))
    def get(self, request, **_suffix):
        scheme = self.scheme_filter or params.choice(request.GET, "scheme", SCHEMES_BY_KEY)
        nation = params.choice(request.GET, "nation", NATIONS)
        body, rows = self.paged_body(queries.areas(scheme=scheme, nation=nation),
                                     self.rows)
        return self.respond(body, features=lambda: area_features(rows))

    def rows(self, page_of_areas):
        return queries.area_rows(page_of_areas)


def area_features(rows):
    shapes = queries.boundaries([(row["scheme"], row["code"]) for row in rows])
    return feature_collection(
        feature({k: v for k, v in row.items() if k != "populations"},
                shapes.get((row["scheme"], row["code"])), f"{row['scheme']}:{row['code']}")
        for row in rows)


class LocalAuthorityList(AreaList):
    parameters = ("nation", "page", "page_size")
    serializer = out.LocalAuthoritySerializer
    download_name = "cradle-local-authorities"
    scheme_filter = "la"

    @extend_schema(summary="Local authorities", description="Local authorities, with the "
                   "health areas each falls in and the share of its babies in each.",
                   parameters=[NATION, *PAGE, format_parameter(AreaList.formats)],
                   responses=responses(out.paged(out.LocalAuthoritySerializer),
                                       AreaList.formats))
    def get(self, request, **_suffix):
        return super().get(request, **_suffix)

    def rows(self, page_of_areas):
        page_of_areas = list(page_of_areas)
        rows = queries.area_rows(page_of_areas)
        shares = queries.health_areas_of(page_of_areas)
        for area, row in zip(page_of_areas, rows, strict=True):
            row["health_areas"] = shares.get(area.pk, [])
        return rows


class AreaDetail(ApiView):
    formats = ("json", "geojson")
    download_name = "cradle-area"

    @extend_schema(operation_id="area_retrieve", summary="One area", parameters=[
        p("scheme", "The area's scheme.", location="path", enum=[s.key for s in SCHEMES]),
        p("code", "The area's GSS code (or Northern Ireland's trust code).", location="path"),
        format_parameter(formats)],
        responses=responses(out.AreaSerializer, formats))
    def get(self, request, scheme, code, **_suffix):
        if scheme not in SCHEMES_BY_KEY:
            raise Http404("No such area scheme")
        area = get_object_or_404(queries.areas(scheme=scheme), code=code)
        (row,) = queries.area_rows([area])
        return self.respond(out.AreaSerializer(row).data,
                            features=lambda: area_features([row]))


# Coverage ------------------------------------------------------------------------------------

def coverage_date(request):
    return params.date(request.GET, "on", today=today(),
                       earliest=queries.register_starts() or params.EARLIEST_DATE)


class CoverageAreas(ListView):
    formats = ("json", "csv", "geojson")
    parameters = ("on", "nation", "page", "page_size")
    serializer = out.CoverageAreaSerializer
    download_name = "cradle-coverage-areas"

    @extend_schema(summary="Coverage of each area on a date", description="Every area of the "
                   "schemes in force on the date: covered, partly covered or not covered "
                   "(ADR 0017), with the babies living there and the share living where a "
                   "team operates. Ordered by scheme and code.",
                   parameters=[ON, NATION, *PAGE, format_parameter(formats)],
                   responses=responses(out.paged(out.CoverageAreaSerializer), formats))
    def get(self, request, **_suffix):
        on = coverage_date(request)
        nation = params.choice(request.GET, "nation", NATIONS)
        body, rows = self.paged_body(queries.coverage_areas(on, nation), on=on.isoformat())
        return self.respond(body, features=lambda: area_features_with(rows, on))


def area_features_with(rows, on):
    shapes = queries.boundaries([(row["scheme"], row["code"]) for row in rows])
    return feature_collection(
        (feature(row, shapes.get((row["scheme"], row["code"])),
                 f"{row['scheme']}:{row['code']}") for row in rows), on=on.isoformat())


class CoverageNations(ApiView):
    formats = ("json", "csv")
    parameters = ("on",)
    download_name = "cradle-coverage-nations"

    @extend_schema(summary="Coverage of each nation and the UK on a date",
                   parameters=[ON, format_parameter(formats)],
                   responses=responses(out.listed(out.CoverageNationSerializer,
                                                  {"on": out.s.DateField()}), errors=(400, 503)))
    def get(self, request, **_suffix):
        on = coverage_date(request)
        rows = queries.coverage_nations(on)
        return self.respond({"on": on.isoformat(), "count": len(rows),
                             "results": out.CoverageNationSerializer(rows, many=True).data})
