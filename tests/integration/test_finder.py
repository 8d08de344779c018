"""Find help near you (/find-help/ and `cradle services near`): the answer for postcodes,
districts and places, and the postcode kept out of URLs, logs, caches and the database."""

import io
import json
import logging

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import models
from django.test import override_settings
from django.urls import reverse

from cradle.directory.confirmation import confirmation_for
from cradle.directory.models import Service
from cradle.finder import words
from tests.integration.test_access import project_urls, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

URL = "/find-help/"


def post(client, text):
    return client.post(URL, {"q": text})


def found_refs(html: str, group: str) -> list[str]:
    """The data-found references inside the "covering" or "nearest" part of the page."""
    start = html.find(f"data-{group}=")
    if start < 0:
        return []
    end = html.find("data-nearest=", start + 1) if group == "covering" else len(html)
    section = html[start:end if end > 0 else len(html)]
    return [chunk.split('"', 1)[0] for chunk in section.split('data-found="')[1:]]


@pytest.fixture
def leeds():
    service = Service.objects.get(register_ref="T15")
    service.professional_referral = True
    service.self_referral = False
    service.referral_pathway = "Referral form on the team's page."
    service.save()
    return service


def test_the_page_is_public_posts_with_csrf_and_is_never_stored(client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Find help near you</h1>" in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert "no-store" in response["Cache-Control"]


def test_the_url_walk_covers_the_page_as_public(world):  # noqa: F811
    assert ("finder:find-help", URL, "public") in project_urls(world)


def test_ls1_4ap_finds_the_leeds_service_and_how_to_refer(client, leeds):
    response = post(client, "LS1 4AP")
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "LS1 4AP is in Leeds, a council in England" in html
    assert found_refs(html, "covering") == ["T15"]
    assert "Leeds Infant Mental Health Service" in html
    # The shipped details' source is named (service-details.csv: Rare Jewels' Leeds story).
    assert ("Professionals such as health visitors refer families (Rare Jewels, June 2019). "
            "Families cannot refer themselves.") in html
    assert "Referral form on the team&#x27;s page." in html
    assert "Last confirmed" in html and confirmation_for(leeds).on_text in html
    assert "T15" not in found_refs(html, "nearest")


def test_where_how_to_refer_is_not_recorded_the_answer_says_who_to_ask(client):
    leeds = Service.objects.get(register_ref="T15")
    leeds.professional_referral = None  # a coordinator withdrew the shipped detail
    leeds.save()
    html = post(client, "LS1 4AP").content.decode()
    assert words.REFERRAL_NOT_RECORDED in html
    source = confirmation_for(leeds)
    if not source.from_2019_only and source.source_url:
        assert f'href="{source.source_url}"' in html  # the service's own page, to read


def test_cardiff_a_council_with_no_service_says_so_and_what_to_do_instead(client):
    for text in ("Cardiff", "CF10 1EP"):
        response = post(client, text)
        html = response.content.decode()
        assert response.status_code == 200, text
        assert "No service in the register covers Cardiff" in html
        assert "check the spelling" not in html.lower()
        for who in ("health visitor", "GP", "midwife", "perinatal mental health service"):
            assert who in html
        assert "not medical advice" in html
        # The nearest others are still listed, with their distance.
        assert len(found_refs(html, "nearest")) == 5 and " km (straight line)" in html


def test_a_misspelling_gets_did_you_mean(client):
    response = post(client, "Manchster")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Did you mean Manchester?" in html
    assert 'name="q" value="Manchester"' in html  # one press answers it
    assert "check the spelling" not in html.lower()
    chosen = post(client, "Manchester").content.decode()
    assert "T08" in found_refs(chosen, "covering")


def test_a_district_is_approximate_and_shows_its_shares(client):
    html = post(client, "SW1A").content.decode()
    assert "Approximate" in html and "postcode district, not a full postcode" in html
    assert "Westminster: 92% of its postcodes" in html
    assert "Wandsworth: 8% of its postcodes" in html


@pytest.mark.parametrize(("text", "message"), [
    ("", "Enter a postcode, a postcode district or the name of a place"),
    ("ZZ9 9ZZ", "ZZ9 9ZZ is not a postcode we can find"),
    ("LS1 4", "Enter a full postcode, like LS1 4AP"),
    ("Atlantis", "Check the spelling"),
])
def test_what_cannot_be_answered_is_an_error_with_a_summary(client, text, message):
    response = post(client, text)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and message in html


def test_outside_the_uk_is_said_plainly(client):
    html = post(client, "JE2 3AB").content.decode()
    assert "JE2 3AB is in Jersey, which is not part of the UK" in html


@override_settings(CRADLE_POSTCODE_LOOKUP_NI=False)
def test_northern_ireland_postcodes_can_be_turned_off_and_the_page_says_why(client):
    html = client.get(URL).content.decode()
    assert "data-ni-off" in html and "Land &amp; Property Services" in html
    answer = post(client, "BT1 5GS").content.decode()
    assert 'data-notice="ni-off"' in answer and "data-covering" not in answer
    # A place name is not postcode data: Belfast still has its answer.
    assert "T01" in found_refs(post(client, "Belfast").content.decode(), "covering")


def test_a_get_never_answers_from_the_query_string(client):
    html = client.get(URL, {"q": "CF10 1EP"}).content.decode()
    assert "CF10 1EP" not in html and "data-covering" not in html


SECRET_POSTCODES = ("LS1 4AP", "LS14AP", "ZZ9 9ZZ", "ZZ99ZZ")


@override_settings(CACHES={"default": {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "finder-test"}})
def test_the_postcode_is_in_no_log_record_cache_key_or_stored_row(client, caplog):
    caches["default"].clear()
    with caplog.at_level(logging.DEBUG):
        for text in ("LS1 4AP", "ZZ9 9ZZ"):
            post(client, text)
        call_command("services", "near", "LS1", "4AP", stdout=io.StringIO())
        with pytest.raises(CommandError):
            call_command("services", "near", "ZZ9", "9ZZ")
    for record in caplog.records:
        logged = record.getMessage() + repr(record.args)
        assert not any(code in logged.upper().replace(" ", "") for code in ("LS14AP", "ZZ99ZZ"))
    cached = caches["default"]
    keys = " ".join(str(key) for key in getattr(cached, "_cache", {}))
    assert not any(code in keys.upper().replace(" ", "") for code in ("LS14AP", "ZZ99ZZ"))
    for model in apps.get_models():
        text_fields = [f.name for f in model._meta.concrete_fields
                       if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        for name in text_fields:
            for code in SECRET_POSTCODES:
                lookup = {f"{name}__icontains": code}
                assert not model._default_manager.filter(**lookup).exists(), (
                    f"{model.__name__}.{name} holds a postcode")


def test_cli_json_has_exactly_the_documented_keys(leeds, capsys):
    call_command("services", "near", "LS1 4AP", "--json")
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["postcode", "local_authority", "services"]
    assert data["postcode"] == "LS1 4AP"
    assert data["local_authority"] == {"code": "E08000035", "name": "Leeds"}
    (service,) = data["services"]
    assert list(service) == ["name", "ref", "covers", "is_team", "how_to_refer",
                             "last_confirmed"]
    assert service["ref"] == "T15" and service["is_team"] is True
    assert service["covers"] == ["NHS Leeds", "Leeds"]
    assert service["how_to_refer"].startswith(
        "Professionals such as health visitors refer families (Rare Jewels, June 2019).")
    confirmed = confirmation_for(leeds).on
    assert service["last_confirmed"] == (confirmed.isoformat() if confirmed else None)


def test_cli_text_gives_the_same_answer_as_the_page(leeds, capsys):
    call_command("services", "near", "CF10", "1EP")
    out = capsys.readouterr().out
    assert out.startswith("CF10 1EP: Cardiff (W06000015)")
    assert "No service in the register covers Cardiff." in out
    assert "health visitor" in out and "Nearest others" in out


@pytest.mark.parametrize(("words", "message"), [
    (["LS1", "4"], "Enter a full postcode"),
    (["ZZ9", "9ZZ"], "not a postcode we can find"),
    (["Manchster"], "Did you mean Manchester?"),
])
def test_cli_refuses_bad_postcodes_with_a_clear_error(words, message):
    with pytest.raises(CommandError, match=message):
        call_command("services", "near", *words)


def test_cli_bt_off_is_an_error(settings):
    settings.CRADLE_POSTCODE_LOOKUP_NI = False
    with pytest.raises(CommandError, match="Land & Property Services"):
        call_command("services", "near", "BT1 5GS")


def test_the_home_and_search_pages_link_to_the_finder(client):
    for page in (reverse("core:home"), reverse("directory:service-search")):
        assert f'href="{URL}"' in client.get(page).content.decode(), page
