"""The open data API (issue 19, ADR 0035): formats, RFC 7946 GeoJSON, paging, 400s, ETags,
CORS, the same disclosure control as the pages, and nothing behind a sign-in."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cradle.api import geojson
from cradle.api.base import is_timeout
from cradle.pooled import exports
from cradle.pooled.views import public_report
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

NO_GZIP = {"HTTP_ACCEPT_ENCODING": "identity"}


def get(client, url, **headers):
    return client.get(url, **NO_GZIP, **headers)


def test_every_areas_coverage_on_a_date_as_csv_and_rfc_7946_geojson(client):
    body = get(client, "/api/v1/coverage/areas.geojson?on=2024-06-30")
    assert body.status_code == 200 and body["Content-Type"] == "application/geo+json"
    document = json.loads(body.content)
    assert geojson.problems(document) == []
    assert "crs" not in document and document["on"] == "2024-06-30"
    # Areas with boundaries have them (the checker above tested ranges, winding and closure).
    assert sum(1 for f in document["features"] if f["geometry"]) > 50
    rows = list(csv.DictReader(io.StringIO(get(
        client, "/api/v1/coverage/areas/?on=2024-06-30&format=csv").content.decode("utf-8-sig"))))
    assert len(rows) == len(document["features"])
    assert {"denominator", "as_of", "source", "suppressed", "pct_covered"} <= set(rows[0])
    assert {row["as_of"] for row in rows} == {"2024-06-30"}
    assert {row["scheme"] for row in rows} >= {"subicb2024", "lhb", "hb", "nitrust"}


def test_area_boundaries_are_rfc_7946(client):
    for url in ("/api/v1/areas/?scheme=lhb&format=geojson", "/api/v1/areas/lhb/W11000023.geojson",
                "/api/v1/local-authorities.geojson?nation=Wales"):
        response = get(client, url)
        assert response.status_code == 200, url
        assert geojson.problems(json.loads(response.content)) == [], url


def test_pages_have_stable_order_and_next_links(client):
    first = json.loads(get(client, "/api/v1/areas/?scheme=la&page_size=50").content)
    second = json.loads(get(client, first["next"]).content)
    codes = [row["code"] for row in first["results"] + second["results"]]
    assert codes == sorted(codes) and len(set(codes)) == 100
    assert second["previous"] and first["previous"] is None
    assert first["count"] == second["count"]


@pytest.mark.parametrize(("url", "parameter"), [
    ("/api/v1/areas/?scheme=nowhere", "scheme"), ("/api/v1/coverage/areas/?on=2024-13-01", "on"),
    ("/api/v1/coverage/areas/?on=2999-01-01", "on"), ("/api/v1/areas/?format=xml", "format"),
    ("/api/v1/areas/?page=0", "page"), ("/api/v1/areas/?page=99999", "page"),
    ("/api/v1/services/?status=asleep", "status"), ("/api/v1/pooled/summary/?year=2999", "year"),
    ("/api/v1/areas/?scheme=la%00", "scheme"),
])
def test_bad_parameters_are_a_400_naming_the_parameter(client, url, parameter):
    response = get(client, url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["parameter"] == parameter


def test_missing_things_are_a_json_404(client):
    for url in ("/api/v1/services/999999/", "/api/v1/services/abc/", "/api/v1/areas/lhb/X/",
                "/api/v1/foi/campaigns/1/areas/"):
        response = get(client, url)
        assert response.status_code == 404 and "detail" in json.loads(response.content), url


def test_etag_gives_a_304_and_cors_is_open(client):
    response = get(client, "/api/v1/coverage/nations/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    tag = response["ETag"]
    again = get(client, "/api/v1/coverage/nations/", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again["ETag"] == tag
    other = get(client, "/api/v1/coverage/nations/?on=2021-01-01", HTTP_IF_NONE_MATCH=tag)
    assert other.status_code == 200
    preflight = client.options("/api/v1/areas/", HTTP_ORIGIN="https://example.org",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]


def test_services_show_no_contact_details_and_no_synthetic_teams(client):
    from cradle.directory.models import Service

    Service.objects.filter(register_ref="T15").update(contact_email="named.person@example.org",
                                                      contact_phone="0113 496 0000")
    content = get(client, "/api/v1/services.csv").content.decode("utf-8-sig")
    assert "named.person@example.org" not in content and "0113 496 0000" not in content
    body = json.loads(get(client, "/api/v1/services/?page_size=1000").content)
    assert body["count"] == Service.objects.real().count()
    row = body["results"][0]
    assert {"status_history", "coverage", "staffing", "interventions", "definition_verdict",
            "last_confirmed", "sources"} <= set(row)
    assert "contact_email" not in row and "contact_phone" not in row


def test_the_pooled_summary_is_the_pages_protected_report(client):
    body = json.loads(get(client, "/api/v1/pooled/summary/?page_size=1000").content)
    report, _years = public_report(None, None)
    expected = exports.rows(report)
    assert body["count"] == len(expected)
    assert all(row["protected"] for row in body["results"])
    assert [row["item"] for row in body["results"]] == [values[5] for values in expected]


def test_a_signed_in_visitor_gets_the_same_and_nothing_is_stored(client):
    anonymous = get(client, "/api/v1/services/?page_size=5").content
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    response = get(client, "/api/v1/services/?page_size=5")
    assert response.content == anonymous
    assert "no-store" in response["Cache-Control"]


def test_a_statement_timeout_is_recognised():
    class Cancelled(Exception):
        sqlstate = "57014"

    error = RuntimeError("canceling statement")
    error.__cause__ = Cancelled()
    assert is_timeout(error)
    assert not is_timeout(RuntimeError("other"))


def test_the_openapi_document_describes_every_endpoint(client):
    document = json.loads(get(client, "/api/v1/schema/").content)
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/coverage/areas/", "/api/v1/services/{id}/", "/api/v1/pooled/summary/",
            "/api/v1/milestones/", "/api/v1/foi/campaigns/{id}/areas/"} <= set(document["paths"])
    docs = client.get("/api/")
    assert docs.status_code == 200 and "/api/v1/coverage/areas/" in docs.content.decode()


def test_a_slow_query_is_stopped_and_answered_503_on_postgresql(client, settings, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    from cradle.api import queries

    def slow():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(1)")
        return []

    settings.CRADLE_API_STATEMENT_TIMEOUT_MS = 50
    monkeypatch.setattr(queries, "milestone_rows", slow)
    response = get(client, "/api/v1/milestones/")
    assert response.status_code == 503
    assert "took too long" in json.loads(response.content)["detail"]
    # The test's own transaction goes on, with its earlier timeout.
    assert get(client, "/api/v1/schemes/").status_code == 200
