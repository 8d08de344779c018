"""The endpoints of /api/v1/ for services, planning, FOI results, the pooled public summary,
milestones, and the OpenAPI document itself (ADR 0035)."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from cradle.directory.models import Service, ServiceKind, Status
from cradle.foi.area_queries import count_questions
from cradle.geography.schemes import SCHEMES_BY_KEY

from . import figures, params, queries
from . import serializers as out
from .base import ApiView, today
from .views import NATION, NATIONS, ON, PAGE, SCHEME, ListView, format_parameter, p, responses


def object_id(kwargs) -> int:
    """An id from the path: anything but a whole number is a 404 (in JSON, not the site's
    HTML 404 a path converter would give)."""
    value = kwargs["id"]
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Http404("No such id")
    return int(value)


class ServiceList(ListView):
    parameters = ("nation", "kind", "status", "page", "page_size")
    serializer = out.ServiceSerializer
    download_name = "cradle-services"

    @extend_schema(operation_id="services_list", summary="Services", description="The register's services with what their "
                   "public pages show: status today and its history, coverage, staffing, "
                   "interventions, the definition verdict, the last confirmation and every "
                   "source. Contact email and phone are not included. Ordered by id.",
                   parameters=[NATION,
                               p("kind", "Only this kind of service.",
                                 enum=list(ServiceKind.values)),
                               p("status", "Only services with this status today.",
                                 enum=list(Status.values)),
                               *PAGE, format_parameter(ListView.formats)],
                   responses=responses(out.paged(out.ServiceSerializer)))
    def get(self, request, **_suffix):
        on = today()
        found = queries.services(
            on, nation=params.choice(request.GET, "nation", NATIONS),
            kind=params.choice(request.GET, "kind", ServiceKind.values),
            status=params.choice(request.GET, "status", Status.values))
        body, _rows = self.paged_body(found, lambda page: queries.service_rows(page, on))
        return self.respond(body)


class ServiceDetail(ApiView):
    formats = ("json",)
    download_name = "cradle-service"

    @extend_schema(operation_id="service_retrieve", summary="One service", parameters=[
        p("id", "The service's id.", kind=OpenApiTypes.INT, location="path")],
        responses=responses(out.ServiceSerializer, formats=("json",), errors=(404, 503)))
    def get(self, request, **kwargs):
        on = today()
        service = get_object_or_404(Service.objects.real(), pk=object_id(kwargs))
        (row,) = queries.service_rows([service], on)
        return self.respond(out.ServiceSerializer(row).data)


class PlanningAreas(ListView):
    parameters = ("on", "scheme", "nation", "page", "page_size")
    serializer = out.PlanningAreaSerializer
    download_name = "cradle-planning-areas"

    @extend_schema(summary="Planning profile of each area", description="For each area: "
                   "births, the team it needs (WTE and cost), the staffing recorded, and the "
                   "gap (a range where a covering team recorded no staffing). Default: the "
                   "areas teams are planned for on the date, in each nation.",
                   parameters=[ON, SCHEME, NATION, *PAGE, format_parameter(ListView.formats)],
                   responses=responses(out.paged(out.PlanningAreaSerializer)))
    def get(self, request, **_suffix):
        on = params.date(request.GET, "on", today=today(),
                         earliest=datetime.date(2019, 1, 1))
        scheme = params.choice(request.GET, "scheme", SCHEMES_BY_KEY)
        nation = params.choice(request.GET, "nation", NATIONS)
        rows = queries.planning_rows(on, scheme=scheme, nation=nation)
        body, _rows = self.paged_body(rows)
        return self.respond(body)


class FoiCampaigns(ListView):
    parameters = ("page", "page_size")
    serializer = out.CampaignSerializer
    download_name = "cradle-foi-campaigns"

    @extend_schema(summary="FOI campaigns with published results", description="Campaigns "
                   "with at least one answer checked by a second coordinator (ADR 0031).",
                   parameters=[*PAGE, format_parameter(ListView.formats)],
                   responses=responses(out.paged(out.CampaignSerializer)))
    def get(self, request, **_suffix):
        body, _rows = self.paged_body(
            figures.published_campaigns(),
            lambda page: [figures.campaign_row(campaign) for campaign in page])
        return self.respond(body)


class FoiCampaignAreas(ListView):
    parameters = ("page", "page_size")
    serializer = out.FoiAreaSerializer
    download_name = "cradle-foi-areas"

    @extend_schema(summary="A campaign's results by area", description="The merged, checked "
                   "answers about each 2019 CCG, with the area's children for comparison.",
                   parameters=[p("id", "The campaign's id.", kind=OpenApiTypes.INT, location="path"),
                               *PAGE, format_parameter(ListView.formats)],
                   responses=responses(out.paged(out.FoiAreaSerializer)))
    def get(self, request, **kwargs):
        campaign = figures.published_campaign(object_id(kwargs), own_questions=False)
        if campaign is None:
            raise Http404("No published campaign asking the 2019 questions has this id")
        body, _rows = self.paged_body(figures.campaign_area_rows(campaign))
        return self.respond(body)


class FoiCampaignTodaysAreas(ListView):
    parameters = ("question", "page", "page_size")
    serializer = out.TodaysAreaSerializer
    download_name = "cradle-foi-todays-areas"

    @extend_schema(summary="A campaign's results by today's area", description="For a "
                   "campaign with its own questions: each ICB of April 2026, then its sub-ICB "
                   "locations, with the checked counts of the bodies that speak for it "
                   "(ADR 0034), from one of its questions with a count for each age band.",
                   parameters=[p("id", "The campaign's id.", kind=OpenApiTypes.INT,
                                 location="path"),
                               p("question", "The id of the age-band question to count with "
                                 "(the first by default)."),
                               *PAGE, format_parameter(ListView.formats)],
                   responses=responses(out.paged(out.TodaysAreaSerializer)))
    def get(self, request, **kwargs):
        campaign = figures.published_campaign(object_id(kwargs), own_questions=True)
        if campaign is None or not count_questions(campaign):
            raise Http404("No published campaign with its own age-band questions has this id")
        question = params.choice(request.GET, "question",
                                 [q.id for q in count_questions(campaign)])
        body, _rows = self.paged_body(figures.todays_area_rows(campaign, question))
        return self.respond(body)


class PooledSummary(ListView):
    parameters = ("year", "nation", "page", "page_size")
    serializer = out.PooledRowSerializer
    download_name = "cradle-pooled-summary"

    @extend_schema(summary="Pooled public summary", description="What the teams achieve "
                   "together: the public summary's figures, protected by disclosure control "
                   "exactly as on its page (ADR 0007, 0008), complete calendar years only. A "
                   "suppressed figure is null, with the reason.",
                   parameters=[p("year", "A complete calendar year (default the latest).",
                                 kind=OpenApiTypes.INT),
                               NATION, *PAGE, format_parameter(ListView.formats)],
                   responses=responses(out.paged(out.PooledRowSerializer)))
    def get(self, request, **_suffix):
        last = today().year - 1
        year = params.integer(request.GET, "year", default=None, low=2000, high=last)
        nation = params.choice(request.GET, "nation", NATIONS)
        try:
            rows, _years = figures.pooled_rows(year, nation)
        except Http404:
            raise params.ParameterError("year", "year must be a complete calendar year") \
                from None
        body, _rows = self.paged_body(rows)
        return self.respond(body)


class Milestones(ListView):
    parameters = ("page", "page_size")
    serializer = out.MilestoneSerializer
    download_name = "cradle-milestones"

    @extend_schema(summary="Published team counts", description="National counts of teams "
                   "as published (distinct from the register's own services), oldest first.",
                   parameters=[*PAGE, format_parameter(ListView.formats)],
                   responses=responses(out.paged(out.MilestoneSerializer)))
    def get(self, request, **_suffix):
        body, _rows = self.paged_body(queries.milestone_rows())
        return self.respond(body)


_SCHEMA: dict = {}


def openapi_document() -> dict:
    """The OpenAPI 3 document, generated from the code once per process."""
    if "document" not in _SCHEMA:
        generator = SchemaGenerator(patterns=None, urlconf=None)
        _SCHEMA["document"] = generator.get_schema(request=None, public=True)
    return _SCHEMA["document"]


class SchemaView(ApiView):
    formats = ("json",)

    def get_renderers(self):
        return [OpenApiJsonRenderer()]

    def perform_content_negotiation(self, request, force=False):
        if not force and (request.GET.get("format") or "json") != "json":
            raise params.ParameterError("format", "format must be json")
        renderer = OpenApiJsonRenderer()
        return renderer, renderer.media_type

    @extend_schema(exclude=True)
    def get(self, request, **_suffix):
        return Response(openapi_document())
