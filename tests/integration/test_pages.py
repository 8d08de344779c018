import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_lists_the_schemes_with_counts_and_population(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    counts = dict(re.findall(r'data-scheme-count="(\w+)">(\d+)<', html))
    assert counts == {"ccg2019": "191", "ccg2021": "106", "subicb2022": "106", "icb2023": "42",
                      "subicb2024": "106", "icb2024": "42", "icb2026": "36", "lhb": "7", "hb": "14", "nitrust": "5", "la": "379", "county": "25"}
    assert "Age 0 stands in for annual births" in html
    # UK population aged 0-2 at mid-2020, from the local authorities.
    assert re.search(r"\d{1,3},\d{3},\d{3}", html)


def test_scheme_page_lists_areas_and_links_to_downloads(client):
    response = client.get(reverse("geography:scheme-detail", args=["icb2023"]))
    assert response.status_code == 200
    assert len(response.context["areas"]) == 42
    assert b"NHS Cheshire and Merseyside Integrated Care Board" in response.content
    assert b'data-map-geojson-url="/areas/icb2023.geojson"' in response.content


def test_area_page_shows_population_method_and_local_authorities(client):
    response = client.get(reverse("geography:area-detail", args=["ccg2021", "E38000161"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "approximated" in html
    assert "Sefton" in html
    assert "Age 0 stands in for annual births" in html


def test_local_authority_page_lists_its_health_areas(client):
    response = client.get(reverse("geography:area-detail", args=["la", "E08000014"]))
    html = response.content.decode()
    assert "Health areas this local authority falls in" in html
    assert "Southport and Formby" in html


def test_unknown_scheme_and_area_are_404(client):
    assert client.get("/areas/nosuch/").status_code == 404
    assert client.get("/areas/ccg2019/E38999999/").status_code == 404


def test_scheme_geojson_has_a_feature_per_area(client):
    data = client.get(reverse("geography:scheme-geojson", args=["hb"])).json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 14
    feature = data["features"][0]
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert feature["properties"]["url"].startswith("/areas/hb/S08")
    lon, lat = _first_point(feature["geometry"])
    assert -9 < lon < 0 and 54 < lat < 61


def _first_point(geometry):
    coordinates = geometry["coordinates"]
    while isinstance(coordinates[0], list):
        coordinates = coordinates[0]
    return coordinates


def test_scheme_csv_download(client):
    response = client.get(reverse("geography:scheme-csv", args=["lhb"]))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("scheme,code,ods_code,name,nation,year")
    assert len(lines) == 1 + 7 * 2


def test_data_sources_page_shows_the_import_log_and_sources(client):
    html = client.get(reverse("core:data-sources")).content.decode()
    assert "cradle-reference-geography" in html
    assert "mid-2019 population estimates" in html
    assert "Open Government Licence v3.0" in html


def test_pages_only_answer_get(client):
    assert client.post(reverse("geography:scheme-list")).status_code == 405
