"""The human page of the API: every endpoint, with examples and curl lines (/api/)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from cradle.accounts.access import public

ENDPOINTS = (
    ("Area schemes", "/api/v1/schemes/", "json, csv",
     "Every scheme of areas, with its count of areas and babies aged 0 to 2.",
     "/api/v1/schemes/"),
    ("Areas", "/api/v1/areas/", "json, csv, geojson",
     "Areas of every scheme with their 0 to 2 populations by year and the method of each "
     "figure. Filters: scheme, nation, page, page_size.",
     "/api/v1/areas/?scheme=lhb&format=geojson"),
    ("One area", "/api/v1/areas/{scheme}/{code}/", "json, geojson",
     "One area, its populations and its boundary.", "/api/v1/areas/lhb/W11000023/"),
    ("Local authorities", "/api/v1/local-authorities/", "json, csv, geojson",
     "Local authorities, with the health areas each falls in and the share of its babies in "
     "each.", "/api/v1/local-authorities/?nation=Wales"),
    ("Coverage of each area", "/api/v1/coverage/areas/", "json, csv, geojson",
     "Every area of the schemes in force on a date: covered, partly covered or not covered, "
     "with its babies and the share living where a team operates. Filters: on, nation.",
     "/api/v1/coverage/areas/?on=2024-06-30&format=csv"),
    ("Coverage of each nation and the UK", "/api/v1/coverage/nations/", "json, csv",
     "The same on a date for each nation and the United Kingdom.",
     "/api/v1/coverage/nations/?on=2021-01-01"),
    ("Services", "/api/v1/services/", "json, csv",
     "The register's services: status and its history, coverage, staffing, interventions, "
     "the definition verdict, the last confirmation and its sources. Filters: nation, kind, "
     "status.", "/api/v1/services/?nation=Scotland&status=operating"),
    ("One service", "/api/v1/services/{id}/", "json", "One service.", "/api/v1/services/1/"),
    ("Planning profile of each area", "/api/v1/planning/areas/", "json, csv",
     "Births, the team each area needs and its cost, the staffing recorded and the gap. "
     "Filters: on, scheme, nation.", "/api/v1/planning/areas/?nation=Wales"),
    ("FOI campaigns", "/api/v1/foi/campaigns/", "json, csv",
     "Freedom of Information campaigns with checked answers.", "/api/v1/foi/campaigns/"),
    ("A campaign's results by area", "/api/v1/foi/campaigns/{id}/areas/", "json, csv",
     "For a campaign asking the 2019 questions: the checked answers about each 2019 CCG.",
     "/api/v1/foi/campaigns/1/areas/"),
    ("A campaign's results by today's area", "/api/v1/foi/campaigns/{id}/todays-areas/",
     "json, csv", "For a campaign with its own questions: each ICB of April 2026 and its "
     "sub-ICB locations, with the checked counts of the bodies that speak for it, "
     "commissioners and trusts apart.", "/api/v1/foi/campaigns/2/todays-areas/?format=csv"),
    ("Pooled public summary", "/api/v1/pooled/summary/", "json, csv",
     "What the teams achieve together, protected by disclosure control as on its page. "
     "Filters: year, nation.", "/api/v1/pooled/summary/?format=csv"),
    ("Published team counts", "/api/v1/milestones/", "json, csv",
     "National counts of teams as published.", "/api/v1/milestones/"),
)


@public
@require_GET
def docs(request):
    origin = request.build_absolute_uri("/").rstrip("/")
    endpoints = [{"title": title, "path": path, "formats": formats, "about": about,
                  "example": example, "curl": f"curl -sS '{origin}{example}'"}
                 for title, path, formats, about, example in ENDPOINTS]
    return render(request, "api/docs.html", {
        "breadcrumbs": [{"text": "Home", "href": "/"}],
        "endpoints": endpoints, "origin": origin,
        "schema_curl": f"curl -sS '{origin}/api/v1/schema/'",
        "etag_curl": f"curl -sS -i -H 'If-None-Match: \"<the ETag>\"' "
                     f"'{origin}/api/v1/coverage/nations/'"})
