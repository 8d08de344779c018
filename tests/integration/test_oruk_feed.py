"""The Open Referral UK feed at /api/oruk/: every response checked against the UK profile's
compiled JSON Schemas (strictly), its paths and parameters against the profile's openapi.json,
and what it publishes against the register's public pages (ADR 0036)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import get_resolver, reverse

from cradle.directory.models import Service, StatusChange
from cradle.oruk import mapping, urls
from tests.oruk_schemas import compiled, errors, needs_profile, openapi, page_schema, root_schema

pytestmark = pytest.mark.django_db

BASE = "/api/oruk"
#: Paths of openapi.json the feed does not implement, and why (a new path in the profile
#: fails test_every_path_of_the_profile_is_implemented_or_explained until it is decided).
NOT_IMPLEMENTED = {
    "/taxonomies": "Cradle classifies services by its own kinds, under no published taxonomy",
    "/taxonomies/{id}": "as /taxonomies",
    "/taxonomy_terms": "as /taxonomies",
    "/taxonomy_terms/{id}": "as /taxonomies",
    "/service_at_locations": "the register records a locality as text, no located sites",
    "/service_at_locations/{id}": "as /service_at_locations",
}


def feed_paths() -> dict[str, str]:
    """The feed's URL patterns as OpenAPI path templates, with their URL names."""
    found = {}
    for pattern in urls.urlpatterns:
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        found["/" + route] = f"oruk:{pattern.name}"
    return found


def spec_parameters(operation: dict, path_item: dict) -> dict[str, dict]:
    components = openapi()["components"]["parameters"]
    found = {}
    for parameter in [*path_item.get("parameters", []), *operation.get("parameters", [])]:
        if "$ref" in parameter:
            parameter = components[parameter["$ref"].rsplit("/", 1)[1]]
        found[parameter["name"]] = parameter
    return found


def get(client, path: str, **params):
    response = client.get(BASE + path, params)
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def operating_real_services():
    return list(Service.objects.real().operating_on(datetime.date.today()))


# The contract: openapi.json ------------------------------------------------------------------

@needs_profile
def test_each_path_of_the_feed_is_a_get_of_the_profile_with_its_parameters():
    spec = openapi()["paths"]
    for path, name in feed_paths().items():
        assert path in spec, f"{path} is not a path of the profile's openapi.json"
        assert set(spec[path]) - {"parameters"} == {"get"}
        parameters = spec_parameters(spec[path]["get"], spec[path])
        in_path = {n for n, p in parameters.items() if p["in"] == "path"}
        assert in_path == set(re.findall(r"{(\w+)}", path)), path
        assert all(p["required"] for n, p in parameters.items() if n in in_path)
        in_query = {n for n, p in parameters.items() if p["in"] == "query"}
        reads = set(mapping.LIST_PARAMETERS) if name == "oruk:services" else set()
        assert reads == in_query, f"{path}: the feed reads {sorted(reads)}"


@needs_profile
def test_every_path_of_the_profile_is_implemented_or_explained():
    implemented = set(feed_paths())
    assert {"/", "/services", "/services/{id}"} <= implemented
    assert set(openapi()["paths"]) == implemented | set(NOT_IMPLEMENTED)
    assert not implemented & set(NOT_IMPLEMENTED)


def test_the_feed_is_mounted_at_api_oruk():
    assert reverse("oruk:root") == "/api/oruk/"
    assert reverse("oruk:services") == "/api/oruk/services"
    assert "oruk" in get_resolver().namespace_dict


# Responses, against the schemas ---------------------------------------------------------------

@needs_profile
def test_the_root_says_which_standard(client):
    body = get(client, "/").json()
    assert errors(root_schema(), body) == []
    assert body["version"] == "HSDS-UK-3.0"


@needs_profile
def test_every_page_of_services_is_valid_and_lists_each_operating_service_once(client):
    listed = []
    page_number, total_pages = 1, None
    while total_pages is None or page_number <= total_pages:
        body = get(client, "/services", page=page_number, per_page=7).json()
        assert errors(page_schema(compiled("service_list")), body) == []
        total_pages = body["total_pages"]
        assert body["page_number"] == page_number
        assert body["first_page"] is (page_number == 1)
        assert body["last_page"] is (page_number == total_pages)
        assert body["size"] == len(body["contents"]) and not body["empty"]
        assert body["size"] == (7 if page_number < total_pages else body["total_items"] % 7 or 7)
        listed += body["contents"]
        page_number += 1
    expected = operating_real_services()
    assert len(expected) > 20
    assert body["total_items"] == len(listed) == len(expected)
    assert [item["id"] for item in listed] == [
        mapping.service_id(s.pk) for s in sorted(expected, key=lambda s: (s.name, s.pk))]
    assert all(item["status"] == "active" for item in listed)


@needs_profile
def test_every_service_is_valid_in_full(client):
    for service in operating_real_services():
        body = get(client, f"/services/{mapping.service_id(service.pk)}").json()
        assert errors(compiled("service"), body) == [], service.name
        assert body["name"] == service.name
        for area in body["service_areas"]:
            assert area["service_id"] == body["id"]


def test_a_page_after_the_last_is_empty(client):
    body = get(client, "/services", page=999).json()
    assert body["contents"] == [] and body["empty"] and body["last_page"]
    assert body["total_items"] == len(operating_real_services())


@pytest.mark.parametrize("params", [
    {"page": "0"}, {"page": "x"}, {"page": "9" * 40}, {"per_page": "0"},
    {"per_page": "100000"}, {"minimum_age": "NaN"}, {"maximum_age": "old"},
])
def test_bad_parameters_are_a_400_naming_them(client, params):
    response = get(client, "/services", **params)
    assert response.status_code == 400
    assert response.json()["parameter"] == next(iter(params))
    assert response.json()["error"]


@pytest.mark.parametrize("oruk_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000",
                                     "15"])
def test_an_unknown_id_is_a_404_in_json(client, oruk_id):
    response = get(client, f"/services/{oruk_id}")
    assert response.status_code == 404 and response.json()["error"]


def test_the_list_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert get(client, "/services", per_page=500).status_code == 200
    leeds = Service.objects.get(register_ref="T15")
    with django_assert_max_num_queries(10):
        assert get(client, f"/services/{mapping.service_id(leeds.pk)}").status_code == 200


# What it publishes --------------------------------------------------------------------------

def _new_service(name: str, status: str = "operating", **fields) -> Service:
    service = Service.objects.create(name=name, kind="team", nation="England", **fields)
    StatusChange.objects.create(service=service, status=status,
                                effective_from=datetime.date(2020, 1, 1))
    return service


def _listed_ids(client, **params) -> list[str]:
    return [item["id"] for item in
            get(client, "/services", per_page=500, **params).json()["contents"]]


def test_synthetic_closed_and_planned_services_are_absent(client):
    synthetic = _new_service("Made-up demo team", synthetic=True)
    closed = _new_service("A closed team", status="closed")
    planned = _new_service("A planned team", status="planned")
    shown = _new_service("An operating team")
    ids = _listed_ids(client)
    assert mapping.service_id(shown.pk) in ids
    for absent in (synthetic, closed, planned):
        assert mapping.service_id(absent.pk) not in ids
        assert get(client, f"/services/{mapping.service_id(absent.pk)}").status_code == 404


def test_a_service_with_unknown_ages_has_no_ages(client):
    unknown = _new_service("Ages not recorded")
    later = _new_service("Later than birth", accepts_from="later")
    for service in (unknown, later):
        body = get(client, f"/services/{mapping.service_id(service.pk)}").json()
        assert "minimum_age" not in body and "maximum_age" not in body
    known = _new_service("Birth to two", accepts_from="birth", accepts_to_months=24)
    body = get(client, f"/services/{mapping.service_id(known.pk)}").json()
    assert (body["minimum_age"], body["maximum_age"]) == (0, 2)
    # The age filters never take a missing age for a match.
    ids = _listed_ids(client, minimum_age=0, maximum_age=2)
    assert mapping.service_id(known.pk) in ids
    assert mapping.service_id(unknown.pk) not in ids and mapping.service_id(later.pk) not in ids


def test_the_feed_publishes_what_the_public_page_shows(client):
    service = _new_service("A team with details", contact_email="team@example.org",
                           contact_phone="0113 000 0000", website="https://example.org/team",
                           locality="Leeds", self_referral=True)
    page = client.get(reverse("directory:service-detail", args=[service.pk])).content.decode()
    body = get(client, f"/services/{mapping.service_id(service.pk)}").json()
    # The contact email is on the page for a person to read, but it may name one
    # (core.field_classes: identifying), and no export carries identifying values.
    assert "team@example.org" in page and "team@example.org" not in str(body)
    assert body["url"] == "https://example.org/team" and body["url"] in page
    assert "Families can refer themselves." in body["description"]
    # No named contact is recorded; ORUK's contact has no phone to carry the page's.
    assert body["contacts"] == [] and "0113 000 0000" not in str(body)
    # Never confirmed: no assured date is made up.
    assert "assured_date" not in body


def test_assured_date_is_the_last_confirmation_the_page_shows(client):
    dated = 0
    for service in operating_real_services():
        page = client.get(reverse("directory:service-detail", args=[service.pk]))
        shown = re.search(r'data-last-confirmed="([\d-]*)"', page.content.decode()).group(1)
        body = get(client, f"/services/{mapping.service_id(service.pk)}").json()
        assert body.get("assured_date", "") == shown, service.name  # undated: absent
        dated += bool(shown)
    assert dated > 20


def test_the_host_and_areas_of_a_service(client):
    leeds = Service.objects.get(register_ref="T15")
    body = get(client, f"/services/{mapping.service_id(leeds.pk)}").json()
    assert body["organization"]["name"] == "Leeds Community Healthcare NHS Trust"
    codes = {(c.area.name, c.area.code) for c in leeds.coverage.select_related("area")}
    assert {(a["name"], a["uri"].rsplit("/", 1)[1]) for a in body["service_areas"]} == codes
    assert all(a["uri"].startswith("http://statistics.data.gov.uk/id/statistical-geography/")
               for a in body["service_areas"])


def test_filters_on_what_cradle_does_not_publish_match_nothing(client):
    assert _listed_ids(client, taxonomy_term_id="x") == []
    assert _listed_ids(client, day="MO") == []


def test_search(client):
    leeds = Service.objects.get(register_ref="T15")
    ids = _listed_ids(client, search="Leeds")
    assert mapping.service_id(leeds.pk) in ids and len(ids) < len(_listed_ids(client))
