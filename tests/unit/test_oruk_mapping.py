"""The register as Open Referral UK JSON (cradle.oruk.mapping), with plain records; every
output is checked against the UK profile's compiled schemas, strictly (tests/oruk_schemas.py)."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import uuid

import pytest

from cradle.oruk import mapping
from cradle.oruk.mapping import AreaRecord, ServiceRecord
from tests.oruk_schemas import FORMAT_CHECKER, compiled, errors, needs_profile, page_schema

LEEDS_CCG = AreaRecord("ccg2019", "E38000225", "NHS Leeds CCG",
                       "Clinical commissioning group (April 2019)")
BELFAST = AreaRecord("nitrust", "BHSCT", "Belfast HSC Trust", "Health and social care trust",
                     partial=True, note="North Belfast only")
FULL = ServiceRecord(
    pk=15, name="Leeds Infant Mental Health Service", kind_label="Specialised parent-infant "
    "relationship team", locality="Leeds", how_to_refer="Families can refer themselves.",
    ages_text="From birth, up to 24 months", accepts_from="birth", accepts_to_months=24,
    website="https://www.leedscommunityhealthcare.nhs.uk/imhs/",
    confirmed_on=datetime.date(2025, 6, 1), host="Leeds Community Healthcare NHS Trust",
    areas=(LEEDS_CCG, BELFAST), funding=("NHS", "Local authority"))
BARE = ServiceRecord(pk=7, name="A service nobody has described", kind_label="Other "
                     "parent-infant service", not_confirmed_words="Operating, not confirmed "
                     "since June 2019")


def test_the_mapping_imports_no_django():
    code = ("import importlib, json, sys\nimportlib.import_module('cradle.oruk.mapping')\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(("accepts_from", "to_months", "ages"), [
    ("birth", 24, (0, 2)),
    ("conception", 24, (0, 2)),      # from before birth: from birth is what an age can say
    ("birth", 18, (0, 1.5)),
    ("birth", 3, (0, 0.25)),
    ("birth", 0, (0, 0)),            # recorded as 0 months: a real 0
    ("later", 36, (None, 3)),        # "later than birth" gives no minimum
    ("", 36, (None, 3)),
    ("birth", None, (0, None)),
    ("", None, (None, None)),        # not recorded: no ages, never 0
])
def test_ages_accepted_in_years(accepts_from, to_months, ages):
    assert mapping.ages_in_years(accepts_from, to_months) == ages


def test_a_service_with_unknown_ages_has_no_invented_ages():
    for item in (mapping.service_full(BARE), mapping.service_list_item(BARE)):
        assert "minimum_age" not in item and "maximum_age" not in item
    later = mapping.service_full(ServiceRecord(pk=8, name="Later", kind_label="Other",
                                               accepts_from="later"))
    assert "minimum_age" not in later and "maximum_age" not in later


def test_ids_are_stable_uuid5s_of_cradles_ids():
    assert mapping.service_id(15) == mapping.service_id(15) != mapping.service_id(16)
    assert uuid.UUID(mapping.service_id(15)).version == 5
    assert mapping.service_id(15) == str(uuid.uuid5(mapping.NAMESPACE, "service:15"))
    # The same host, however spaced or cased, is one organisation.
    assert mapping.organization_id("NHS  Lothian ") == mapping.organization_id("nhs lothian")


def test_a_full_service():
    item = mapping.service_full(FULL)
    assert item["id"] == mapping.service_id(15)
    assert item["organization_id"] == item["organization"]["id"]
    assert item["organization"]["name"] == "Leeds Community Healthcare NHS Trust"
    assert (item["minimum_age"], item["maximum_age"]) == (0, 2)
    assert item["assured_date"] == "2025-06-01"
    assert item["status"] == "active" and "alert" not in item
    assert item["url"] == FULL.website and "email" not in item
    assert item["description"] == ("Specialised parent-infant relationship team in Leeds. "
                                   "How to refer: Families can refer themselves. Ages "
                                   "accepted: From birth, up to 24 months.")
    leeds, belfast = item["service_areas"]
    assert leeds["name"] == "NHS Leeds CCG"
    assert leeds["uri"] == "http://statistics.data.gov.uk/id/statistical-geography/E38000225"
    assert "whole area" in leeds["service_area"]
    # A DoH short code is not a GSS code: no URI is made of it.
    assert "uri" not in belfast and "North Belfast only" in belfast["service_area"]
    assert {f["source"] for f in item["funding"]} == {"NHS", "Local authority"}
    assert item["contacts"] == [] and item["languages"] == []


def test_what_is_not_recorded_is_absent():
    item = mapping.service_full(BARE)
    for key in ("organization_id", "organization", "url", "email", "assured_date"):
        assert key not in item
    assert item["alert"] == "Operating, not confirmed since June 2019"
    assert item["description"] == "Other parent-infant service."


@pytest.mark.parametrize(("host", "names"), [
    ("NHS Lothian", True), ("Isle of Wight Family Centres (host UNVERIFIED)", True),
    ("UNVERIFIED", False), ("UNVERIFIED (Pennine Care runs neighbouring EAS teams)", False),
    ("not stated", False), ("not stated in sources found (Manchester)", False),
    ("voluntary sector organisation (not named), commissioned by Croydon Council", False),
    ("", False), ("  ", False),
])
def test_hosts_that_name_nobody_make_no_organisation(host, names):
    assert mapping.names_an_organisation(host) is names


@pytest.mark.parametrize(
    ("total", "number", "per_page", "total_pages", "size", "first", "last", "empty"), [
        (10, 1, 4, 3, 4, True, False, False),
        (10, 3, 4, 3, 2, False, True, False),
        (10, 4, 4, 3, 0, False, True, True),    # after the last page: empty
        (0, 1, 50, 0, 0, True, True, True),
    ])
def test_the_page_envelope(total, number, per_page, total_pages, size, first, last, empty):
    contents = [{"id": str(i)} for i in range(size)]
    assert mapping.page(contents, total_items=total, page_number=number,
                        per_page=per_page) == {
        "total_items": total, "total_pages": total_pages, "page_number": number,
        "size": size, "first_page": first, "last_page": last, "empty": empty,
        "contents": contents}


@pytest.mark.parametrize(("params", "name"), [
    ({"page": "0"}, "page"), ({"page": "-1"}, "page"), ({"page": "abc"}, "page"),
    ({"page": "9" * 40}, "page"), ({"page": "1.5"}, "page"),
    ({"per_page": "0"}, "per_page"), ({"per_page": "501"}, "per_page"),
    ({"minimum_age": "NaN"}, "minimum_age"), ({"maximum_age": "1e309"}, "maximum_age"),
    ({"maximum_age": "-1"}, "maximum_age"), ({"minimum_age": "two"}, "minimum_age"),
])
def test_bad_parameters_are_refused_by_name(params, name):
    with pytest.raises(mapping.BadParameter) as raised:
        mapping.list_query(params)
    assert raised.value.name == name and raised.value.message


def test_parameters():
    assert mapping.list_query({}) == mapping.ListQuery()
    query = mapping.list_query({"page": "2", "per_page": "500", "minimum_age": "0",
                                "maximum_age": "2.5", "search": " Leeds "})
    assert (query.page, query.per_page, query.minimum_age, query.maximum_age,
            query.search) == (2, 500, 0, 2.5, "Leeds")
    assert mapping.list_query({"taxonomy_id": "x"}).matches_nothing


@pytest.mark.parametrize(("params", "accepts_from", "to_months", "matches"), [
    ({"minimum_age": "0"}, "birth", 24, True),
    ({"minimum_age": "1"}, "birth", 24, False),   # its minimum (0) is not at least 1
    ({"minimum_age": "0"}, "", 24, False),        # minimum not recorded: not assumed
    ({"maximum_age": "2"}, "birth", 24, True),
    ({"maximum_age": "2"}, "birth", 36, False),
    ({"maximum_age": "2"}, "birth", None, False),
    ({}, "", None, True),
])
def test_age_filters(params, accepts_from, to_months, matches):
    assert mapping.ages_match(mapping.list_query(params), accepts_from, to_months) is matches


@needs_profile
def test_the_format_checker_checks_the_profiles_formats():
    assert {"uuid", "uri", "email", "date-time"} <= set(FORMAT_CHECKER.checkers)


@needs_profile
@pytest.mark.parametrize("record", [FULL, BARE], ids=["full", "bare"])
def test_services_are_valid_against_the_profile(record):
    assert errors(compiled("service"), mapping.service_full(record)) == []
    listed = mapping.page([mapping.service_list_item(record)], total_items=1, page_number=1,
                          per_page=50)
    assert errors(page_schema(compiled("service_list")), listed) == []
    assert errors(compiled("organization"), mapping.organization(FULL.host)) == []


@needs_profile
def test_the_strict_check_refuses_what_the_profile_does_not_define():
    item = mapping.service_full(FULL) | {"phones": []}
    assert any("phones" in error for error in errors(compiled("service"), item))
    assert errors(compiled("service"), mapping.service_full(FULL) | {"id": "15"})
