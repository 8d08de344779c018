"""Find a service, service pages, the coverage map and its GeoJSON, the home page's figures and
the services on area pages, against the shipped 2019 register and its updates of 2020-2025
(loaded in tests/conftest.py): "today" counts both."""

import datetime
import re

import pytest
from django.urls import reverse

from cradle.directory.classification import classify_service, facts_for, with_facts
from cradle.directory.definition import ALL_CRITERIA, Outcome
from cradle.directory.headline import headline_counts
from cradle.directory.models import Service, ServiceIntervention, ServiceStaffing
from cradle.directory.register_updates import new_ref
from cradle.geography.models import Area

pytestmark = pytest.mark.django_db

SEARCH = reverse("directory:service-search")
COVERAGE = reverse("directory:coverage-map")
GEOJSON = reverse("directory:coverage-geojson")


def _service(ref: str) -> Service:
    return Service.objects.get(register_ref=ref)


def _service_url(ref: str) -> str:
    return reverse("directory:service-detail", args=[_service(ref).pk])


def _refs_found(response) -> list[str]:
    return re.findall(r'<tr class="nhsuk-table__row" data-service="(\w+)"[^>]*>',
                      response.content.decode())


def _found_count(response) -> int:
    return int(re.search(r'data-services-found="(\d+)"', response.content.decode()).group(1))


# Classification --------------------------------------------------------------------------

def test_facts_for_reads_staffing_interventions_age_range_and_evidence():
    service = _service("T15")
    ServiceStaffing.objects.create(service=service, profession="clinical_psychologist", wte=1.5)
    ServiceStaffing.objects.create(service=service, profession="health_visitor", wte="0.4")
    ServiceIntervention.objects.create(service=service, intervention="vig")
    service.accepts_from, service.accepts_to_months = "conception", 24
    service.save()

    facts = facts_for(with_facts(Service.objects.filter(pk=service.pk)).get())

    assert facts.kind == "team"
    assert dict(facts.staffing) == {"clinical_psychologist": 1.5, "health_visitor": 0.4}
    assert facts.interventions == {"vig"}
    assert (facts.accepts_from, facts.accepts_to_months) == ("conception", 24)
    assert set(facts.answers) == {c.key for c in ALL_CRITERIA}


def test_the_register_classifies_teams_specialists_and_child_protection_services():
    assert classify_service(_service("T15")).outcome is Outcome.TEAM
    assert classify_service(_service("C01")).outcome is Outcome.NOT_A_TEAM
    assert classify_service(_service("P01")).outcome is Outcome.NOT_A_TEAM


def test_evidence_for_a_criterion_the_definition_does_not_know_is_ignored():
    service = _service("C01")
    service.evidence.create(criterion="retired_criterion", answer=True, evidence="old")
    assert "retired_criterion" not in facts_for(service).answers
    assert classify_service(service).outcome is Outcome.NOT_A_TEAM


# Find a service --------------------------------------------------------------------------

def test_search_for_leeds_finds_the_leeds_service_in_one_search(client):
    response = client.get(SEARCH, {"q": "Leeds"})
    assert response.status_code == 200
    assert "T15" in _refs_found(response)
    html = response.content.decode()
    assert "Leeds Infant Mental Health Service" in html
    assert f'href="{_service_url("T15")}"' in html
    assert re.search(r"\d+ services? found", html)


@pytest.mark.parametrize(("text", "expected"), [
    ("NHS Leeds", "T15"),  # the CCG's name: the service covers it
    ("15F", "T15"),  # the CCG's ODS code
    ("E08000035", "T15"),  # the council's code
    ("West Yorkshire", "T15"),  # the ICB: the service covers a council inside it
    ("Cornwall", "C09"),  # the council: the service covers the CCG it lies in (NHS Kernow)
    ("Guildford", "T24"),  # a district: the service covers its county
])
def test_search_finds_services_through_the_areas_they_cover(client, text, expected):
    assert expected in _refs_found(client.get(SEARCH, {"q": text}))


def test_each_result_shows_kind_locality_nation_status_and_the_definition_outcome(client):
    html = client.get(SEARCH, {"q": "Kernow"}).content.decode()
    row = re.search(r'data-service="C09"[^>]*>(.*?)</tr>', html, re.S).group(1)
    for text in ("CAMHS with parent-infant specialists", "Kernow", "England", "Operating",
                 "Not a team"):
        assert text in row


@pytest.mark.parametrize(("filters", "expected_count"), [
    ({}, 82),
    ({"nation": "Scotland"}, 14),
    ({"kind": "camhs_specialists"}, 19),
    # Today D01-D05 operate (the updates say so); Kent and Hampshire are in development.
    ({"status": "planned"}, 3),
    ({"status": "operating", "kind": "team"}, 41),
    ({"nation": "Wales", "kind": "team"}, 1),
    ({"q": "Leeds", "status": "planned"}, 0),
])
def test_filters_narrow_the_results(client, filters, expected_count):
    response = client.get(SEARCH, filters)
    assert response.status_code == 200
    assert _found_count(response) == expected_count
    assert len(_refs_found(response)) == expected_count


def test_planned_filter_lists_the_teams_in_development(client):
    refs = _refs_found(client.get(SEARCH, {"status": "planned"}))
    kent = new_ref("Kent Parent Infant Mental Health Service")
    hampshire = new_ref("Hampshire Infant Mental Health Service (IMHS)")
    assert sorted(refs) == sorted(["D06", kent, hampshire])


def test_no_results_gives_a_helpful_message(client):
    html = client.get(SEARCH, {"q": "Atlantis", "nation": "Wales"}).content.decode()
    assert "0 services found" in html
    assert "No service in the register matches your search" in html
    assert "check the spelling" in html
    assert "search again without the filters" in html
    assert reverse("directory:coverage-map") in html


def test_an_unknown_filter_value_is_an_error_on_the_form_not_a_crash(client):
    response = client.get(SEARCH, {"nation": "Atlantis"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose a nation from the list" in html
    assert 'href="#nation"' in html


def test_search_does_not_query_per_service(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(SEARCH)
    assert _found_count(response) == 82


# A service -------------------------------------------------------------------------------

def test_team_page_shows_its_details_coverage_and_the_definition_check(client):
    response = client.get(_service_url("T15"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Leeds Infant Mental Health Service</h1>" in html
    assert 'data-outcome="team"' in html
    assert response.context["verdict"].outcome is Outcome.TEAM
    for criterion in ALL_CRITERIA:
        assert criterion.label in html
    assert len(response.context["verdict"].lines) == 12
    assert "1 January 2019" in html  # the dated status history
    assert reverse("geography:area-detail", args=["la", "E08000035"]) in html
    assert "Rare Jewels (Parent Infant Partnership UK, June 2019)" in html  # evidence source


def test_camhs_specialists_page_says_it_is_not_a_team_and_why(client):
    response = client.get(_service_url("C01"))
    html = response.content.decode()
    assert 'data-outcome="not_a_team"' in html
    assert "Not a team" in html
    assert "Applies" in html
    assert "Rare Jewels lists it as parent-infant specialists within CAMHS" in html
    assert "No staffing has been recorded" in html


def test_planned_service_page_shows_planned_status(client):
    response = client.get(_service_url("D06"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status-today="planned"' in html
    assert "Planned" in html
    assert "Cumbria" in html


def test_service_page_lists_staffing_interventions_and_contact_when_recorded(client):
    service = _service("T04")
    ServiceStaffing.objects.create(service=service, profession="clinical_psychologist", wte=1)
    ServiceStaffing.objects.create(service=service, profession="health_visitor", wte="0.5")
    ServiceIntervention.objects.create(service=service, intervention="other", detail="Baby yoga")
    service.website, service.contact_email = "https://example.org/brightpip", "pip@example.org"
    service.accepts_from, service.accepts_to_months = "birth", 24
    service.save()
    html = client.get(_service_url("T04")).content.decode()
    assert "Clinical psychologist" in html and "1.50" in html
    assert "Specialist health visitor" in html
    assert "Other: Baby yoga" in html
    assert 'href="https://example.org/brightpip"' in html
    assert "mailto:pip@example.org" in html
    assert "From birth, up to 24 months" in html


def test_unknown_service_is_404(client):
    assert client.get(reverse("directory:service-detail", args=[999999])).status_code == 404


# Coverage map ----------------------------------------------------------------------------

def test_coverage_page_on_the_rare_jewels_date_shows_27_teams(client):
    response = client.get(COVERAGE, {"on": "2019-06-30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-teams-operating="27"' in html
    assert "On 30 June 2019" in html
    assert len(response.context["areas"]) == 217
    assert len(re.findall(r'data-area="(ccg2019|lhb|hb|nitrust)/', html)) == 217
    assert 'data-pct-covered="UK">18.4%' in html
    assert f'data-coverage-map-url="{GEOJSON}?on=2019-06-30"' in html
    for status in ("Covered", "Partly covered", "Not covered: CAMHS parent-infant specialists, "
                   "no team", "Not covered"):
        assert status in html  # the key, in words


def test_coverage_page_defaults_to_today(client):
    response = client.get(COVERAGE)
    assert response.status_code == 200
    today = datetime.date.today()
    assert response.context["chosen"].on == today
    assert f'value="{today.year}"' in response.content.decode()


def test_coverage_date_can_come_from_the_date_input(client):
    response = client.get(COVERAGE, {"on-day": "30", "on-month": "6", "on-year": "2019"})
    assert response.status_code == 200
    assert response.context["chosen"].on == datetime.date(2019, 6, 30)
    assert 'data-teams-operating="27"' in response.content.decode()


@pytest.mark.parametrize(("params", "message"), [
    ({"on": "2019-13-45"}, "Date must be a real date"),
    ({"on": "yesterday"}, "Date must be a real date"),
    ({"on-day": "31", "on-month": "2", "on-year": "2020"}, "Date must be a real date"),
    ({"on-day": "x", "on-month": "2", "on-year": "2020"}, "Date must be a real date"),
    ({"on-day": "30"}, "Date must include a month and a year"),
    ({"on": "2999-01-01"}, "Date must be today or in the past"),
    ({"on": "2018-06-30"}, "Date must be on or after 1 January 2019"),
])
def test_a_bad_date_is_explained_on_the_page(client, params, message):
    response = client.get(COVERAGE, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "nhsuk-input--error" in html
    assert "data-coverage-map-url" not in html


def test_geojson_has_every_area_in_force_with_its_status(client):
    response = client.get(GEOJSON, {"on": "2019-06-30"})
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    features = data["features"]
    assert len(features) == 217  # 191 CCGs + 7 LHBs + 14 boards + 5 trusts
    schemes = [f["properties"]["scheme"] for f in features]
    assert {s: schemes.count(s) for s in set(schemes)} == {
        "ccg2019": 191, "lhb": 7, "hb": 14, "nitrust": 5}
    statuses = [f["properties"]["status"] for f in features]
    assert set(statuses) == {"covered", "partly_covered", "not_covered"}
    shades = {f["properties"]["shade"] for f in features}
    assert shades == {"covered", "partly_covered", "specialists", "not_covered"}
    for feature in features:
        properties = feature["properties"]
        assert {"code", "name", "scheme", "status", "shade", "url",
                "pct_covered"} <= set(properties)
        assert properties["url"] == reverse("geography:area-detail",
                                            args=[properties["scheme"], properties["code"]])
        assert 0 <= properties["pct_covered"] <= 100  # no share is unknown in the 2019 register
        assert (properties["pct_covered"] > 0) == (properties["status"] != "not_covered")
        if properties["status"] == "partly_covered":
            assert properties["pct_covered"] < 50
            assert properties["status_in_words"].startswith("Partly covered (")
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_geojson_uses_the_schemes_in_force_on_the_date(client):
    features = client.get(GEOJSON, {"on": "2023-01-01"}).json()["features"]
    assert {f["properties"]["scheme"] for f in features} == {"subicb2022", "lhb", "hb", "nitrust"}
    assert len(features) == 106 + 7 + 14 + 5


def test_geojson_rejects_a_bad_date_with_a_message(client):
    response = client.get(GEOJSON, {"on": "not-a-date"})
    assert response.status_code == 400
    assert "Date must be a real date" in response.json()["error"]


# Home page -------------------------------------------------------------------------------

def test_home_leads_with_todays_figures_and_the_published_counts(client):
    html = client.get("/").content.decode()
    today = datetime.date.today()
    assert f'data-headline-on="{today.isoformat()}"' in html
    assert f"Teams on {today.day} {today:%B %Y}" in html
    confirmed = int(re.search(r'data-headline="confirmed">(\d+)<', html)[1])
    unconfirmed = int(re.search(r'data-headline="unconfirmed">(\d+)<', html)[1])
    # Today's register: 41 teams recorded as operating, fewer confirmed by a recent source
    # (how many depends on the date: the window moves on; 6 in December 2026).
    assert confirmed + unconfirmed == 41
    assert confirmed == headline_counts(today).confirmed < unconfirmed
    assert re.search(r'data-headline="pct-confirmed">\d+\.\d% of babies', html)
    assert re.search(r'data-headline="pct-recorded">Counting these too, \d+\.\d%', html)
    # The latest published count beside them, with its source and date.
    assert 'data-headline="published">51<' in html
    assert 'href="https://parentinfantfoundation.org.uk/?p=10937"' in html
    assert "December 2025" in html
    assert "That is 10 more than the register records" in html
    for nation in ("England", "Wales", "Scotland", "Northern Ireland", "UK"):
        assert f'data-pct-covered="{nation}"' in html
    milestones = re.findall(r'data-milestone="([\d-]+)">\s*<th[^>]*>([^<]+)</th>\s*'
                            r'<td[^>]*>(\d+)', html)
    assert [(month, teams) for _, month, teams in milestones] == [
        ("June 2019", "27"), ("March 2022", "39"), ("September 2023", "45"),
        ("June 2025", "49"), ("December 2025", "51")]
    assert "The register lists 82 services" in html
    assert f'href="{SEARCH}"' in html and f'href="{COVERAGE}"' in html
    assert 'data-scheme-count="ccg2019">191<' in html  # the scheme table is still there


def test_header_links_to_find_a_service_and_the_coverage_map(client):
    html = client.get("/").content.decode()
    assert re.search(r'class="nhsuk-header__navigation-link" href="/services/">Find a service',
                     html)
    assert re.search(r'class="nhsuk-header__navigation-link" href="/coverage/">Coverage map',
                     html)


# Area pages ------------------------------------------------------------------------------

def _area_url(scheme: str, code: str) -> str:
    return reverse("geography:area-detail", args=[scheme, code])


def test_local_authority_page_lists_the_services_covering_it(client):
    response = client.get(_area_url("la", "E08000035"))  # Leeds
    html = response.content.decode()
    assert "Services covering this area" in html
    row = re.search(r'data-service="T15">(.*?)</tr>', html, re.S).group(1)
    assert "This area" in row  # named directly
    assert "Operating" in row and "Team" in row


def test_health_area_page_lists_services_covering_a_council_inside_it(client):
    area = Area.objects.get(scheme="subicb2022", ods_code="15F")  # West Yorkshire ICB - 15F
    html = client.get(_area_url(area.scheme, area.code)).content.decode()
    row = re.search(r'data-service="T15">(.*?)</tr>', html, re.S).group(1)
    assert _area_url("la", "E08000035") in row  # through Leeds council
    # The 2022 sub-ICB locations are no longer in force, so the page gives no share for today;
    # West Yorkshire's 2026 ICB (in force today) does, for the Leeds part of it.
    assert "data-area-pct-covered" not in html
    icb = client.get(_area_url("icb2026", "QWO")).content.decode()
    assert re.search(r'data-service="T15">(.*?)</tr>', icb, re.S)
    share = float(re.search(r'data-area-pct-covered="([0-9.]+)"', icb).group(1))
    assert 0 < share < 100


def test_local_authority_page_lists_services_covering_the_health_area_it_falls_in(client):
    html = client.get(_area_url("la", "E06000052")).content.decode()  # Cornwall
    row = re.search(r'data-service="C09"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert "NHS Kernow" in row
    assert "Not a team" in row


def test_district_page_lists_the_service_covering_its_county(client):
    guildford = Area.objects.get(scheme="la", name="Guildford")
    html = client.get(_area_url("la", guildford.code)).content.decode()
    assert 'data-service="T24"' in html


def test_area_without_services_says_so(client):
    html = client.get(_area_url("hb", "S08000016")).content.decode()  # Borders
    assert "No service in the register covers this area" in html
    assert "this area is <strong>not covered</strong>" in html
    assert "no specialised parent-infant relationship team operates here" in html


def test_pages_only_answer_get(client):
    for url in (SEARCH, COVERAGE, GEOJSON, _service_url("T15")):
        assert client.post(url).status_code == 405
