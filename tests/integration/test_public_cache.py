"""Whole public pages from the cache for anonymous visitors; HTTP caching; safe compression.

The suite runs with no cache (CRADLE_CACHE=dummy); these tests give each test a fresh local
memory cache. test_public_cache_redis.py runs the same kind of checks against Redis.
"""

import gzip
import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import get_resolver, reverse
from django.utils.http import http_date

from cradle.core import versions
from cradle.core.models import ImportLog
from cradle.core.public_cache import is_public_view, page_key
from cradle.directory.models import Service
from cradle.geography.models import Area
from tests.accounts_helpers import make_user, sign_in
from tests.integration.test_access import walk  # the URL walk of the access test

pytestmark = pytest.mark.django_db

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                           "LOCATION": "public-cache-tests"}}


@pytest.fixture(autouse=True)
def page_cache(settings, monkeypatch):
    settings.CACHES = LOCAL_CACHE
    cache.clear()
    # Ask for the version on every request (tests that reuse it say so).
    monkeypatch.setattr(versions, "RECHECK_SECONDS", 0)
    versions.forget_recent()
    yield cache
    cache.clear()
    versions.forget_recent()


def service_url():
    return reverse("directory:service-detail", kwargs={"pk": Service.objects.get(
        register_ref="T15").pk})


def test_a_public_page_is_rendered_once_then_served_from_the_cache(client):
    first = client.get("/")
    second = client.get("/")
    assert first.status_code == second.status_code == 200
    assert first["X-Cradle-Cache"] == "miss" and second["X-Cradle-Cache"] == "hit"
    assert first.content == second.content
    assert first["ETag"] == second["ETag"] and first["Last-Modified"] == second["Last-Modified"]


def test_a_cached_public_page_may_be_kept_by_a_cdn_briefly(client, settings):
    for response in (client.get("/"), client.get("/")):
        control = response["Cache-Control"]
        assert "public" in control and "no-store" not in control and "private" not in control
        assert f"max-age={settings.CRADLE_PUBLIC_MAX_AGE}" in control
        assert f"s-maxage={settings.CRADLE_PUBLIC_MAX_AGE}" in control
        assert "stale-while-revalidate=" in control
        assert "cookie" in response["Vary"].lower()
        # The outer security middleware still decorates a page served from the cache.
        assert response["X-Frame-Options"] == "DENY"
        assert "Content-Security-Policy" in response


def test_conditional_get_with_the_etag_is_answered_304(client):
    etag = client.get(service_url())["ETag"]
    response = client.get(service_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and "public" in response["Cache-Control"]
    assert client.get(service_url(), HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_conditional_get_with_if_modified_since_is_answered_304(client):
    last_modified = client.get("/coverage/")["Last-Modified"]
    assert client.get("/coverage/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get("/coverage/", HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200


def test_head_is_get_without_the_body_and_answers_conditionally(client):
    get = client.get("/services/?q=Leeds")
    head = client.head("/services/?q=Leeds")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]
    assert client.head("/services/?q=Leeds", HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304


def test_a_head_before_any_get_renders_the_page_as_a_get_would(client):
    head = client.head(service_url())
    assert head.status_code == 200 and head["X-Cradle-Cache"] == "miss"
    assert client.get(service_url())["X-Cradle-Cache"] == "hit"


def test_a_change_to_a_service_through_its_model_shows_on_the_next_request(client):
    service = Service.objects.get(register_ref="T15")
    before = client.get(service_url())
    assert client.get(service_url())["X-Cradle-Cache"] == "hit"
    service.name = "Renamed parent-infant team for the cache test"
    service.save()
    after = client.get(service_url())
    assert after["X-Cradle-Cache"] == "miss"
    assert b"Renamed parent-infant team for the cache test" in after.content
    assert after["ETag"] != before["ETag"]
    # ... and a browser holding the old page is told to replace it.
    assert client.get(service_url(), HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_an_update_of_a_model_without_history_moves_the_version(
        client, django_capture_on_commit_callbacks):
    """Area has no history table: the write token, replaced on commit, catches the update."""
    area = Area.objects.get(scheme="ccg2019", code="E38000001")
    url = reverse("geography:area-detail", kwargs={"scheme": "ccg2019", "code": area.code})
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        area.name = "Renamed CCG for the cache test"
        area.save()
        area.save()  # one replacement of the token per transaction, however many writes
    assert callbacks == [versions.bump]
    response = client.get(url)
    assert response["X-Cradle-Cache"] == "miss" and b"Renamed CCG for the cache test" in \
        response.content


def test_a_write_without_signals_moves_the_version_through_the_database():
    """bulk_create sends no signal (the reference-data load, the synthetic loader): the
    newest primary key of every registered table still moves the version."""
    before = versions.public_data_version()
    ImportLog.objects.bulk_create([ImportLog(dataset="test", source="cache test")])
    assert versions.public_data_version() != before


def test_a_rolled_back_write_leaves_the_version_alone():
    before = versions.public_data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        area = Area.objects.get(scheme="ccg2019", code="E38000001")
        area.name = "Never committed"
        area.save()
        raise RuntimeError("roll back")
    assert versions.public_data_version() == before


def test_writes_elsewhere_leave_the_public_pages_cached(client):
    """Signing people up, sessions and the audit log are not behind any public page."""
    client.get("/")
    make_user("someone@example.org")
    assert client.get("/")["X-Cradle-Cache"] == "hit"


def test_signed_in_pages_are_never_stored_nor_served_from_the_cache(client):
    anonymous = client.get("/")
    assert client.get("/")["X-Cradle-Cache"] == "hit"
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    for _ in range(2):
        response = client.get("/")
        assert "X-Cradle-Cache" not in response
        assert "no-store" in response["Cache-Control"] and "public" not in response[
            "Cache-Control"]
        assert "ETag" not in response
        assert response.content != anonymous.content  # the signed-in header, not the cached page
        assert b"Your account" in response.content and b"Sign in<" not in response.content


def test_a_public_page_with_a_csrf_token_is_never_cached_and_says_no_store(client):
    """Decided: not cached (a cached copy would hand one visitor's token to everyone)."""
    url = reverse("accounts:login")
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200 and b"csrfmiddlewaretoken" in response.content
        assert "X-Cradle-Cache" not in response
        assert "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


def test_every_public_page_is_either_cacheable_or_no_store_and_never_holds_a_token(client):
    checked = 0
    for name, pattern in walk(get_resolver().url_patterns):
        if pattern.pattern.converters or name.startswith("admin:"):
            continue
        url = reverse(name)
        response = client.get(url)
        control = response.get("Cache-Control", "")
        if "public" in control:
            checked += 1
            assert is_public_view(client.get(url).wsgi_request), name
            assert b"csrfmiddlewaretoken" not in response.content, name
            assert not response.cookies, name
            assert "no-store" not in control, name
    assert checked >= 5


def test_a_post_is_never_cached(client):
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert "no-store" in response["Cache-Control"]
    assert "X-Cradle-Cache" not in response


def test_a_waiting_message_bypasses_the_cache(client):
    client.get("/")
    client.cookies["messages"] = "anything"
    assert "X-Cradle-Cache" not in client.get("/")


def test_pages_that_are_not_public_are_not_cached(client):
    response = client.get(reverse("outcomes:home"))
    assert response.status_code == 302 and "X-Cradle-Cache" not in response
    assert "X-Cradle-Cache" not in client.get("/no-such-page/")
    assert "public" not in client.get("/no-such-page/").get("Cache-Control", "")


def test_the_query_string_never_appears_in_a_cache_key(rf):
    key = page_key(rf.get("/services/", {"q": "LS1 4AB"}), "v1")
    assert "LS1" not in key and "4AB" not in key and "services" not in key


def test_public_html_and_json_are_compressed_for_anonymous_visitors(client):
    for url in ("/", "/coverage/map.geojson?on=2019-06-30"):
        plain = client.get(url)
        packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
        assert packed["Content-Encoding"] == "gzip", url
        assert gzip.decompress(packed.content) == plain.content, url
        assert "accept-encoding" in packed["Vary"].lower()
        assert packed["ETag"] != plain["ETag"]  # one validator per encoding
        # The compressed copy is the one cached.
        assert client.get(url, HTTP_ACCEPT_ENCODING="gzip")["X-Cradle-Cache"] == "hit"


def test_pages_carrying_a_secret_are_never_compressed(client):
    """BREACH: nothing beside a CSRF token or a signed-in session is compressed."""
    sign_in_page = client.get(reverse("accounts:login"), HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in sign_in_page
    assert re.search(rb"csrfmiddlewaretoken", sign_in_page.content)
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    for url in ("/", "/coverage/map.geojson?on=2019-06-30", reverse("accounts:account")):
        assert "Content-Encoding" not in client.get(url, HTTP_ACCEPT_ENCODING="gzip"), url


def test_the_deploy_check_warns_of_local_memory_with_several_workers(settings, monkeypatch):
    from cradle.core.cache_checks import shared_cache_with_several_workers

    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    (warning,) = shared_cache_with_several_workers(None)
    assert warning.id == "cradle.core.W001" and "redis://" in warning.hint
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    assert shared_cache_with_several_workers(None) == []
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/0"}}
    assert shared_cache_with_several_workers(None) == []


def test_a_cache_hit_asks_the_database_one_question(client, django_assert_num_queries):
    """The public data version's maxima, in one query; no session, user or page query."""
    url = service_url()
    client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url)["X-Cradle-Cache"] == "hit"


def test_a_worker_reuses_the_version_briefly_but_sees_its_own_writes_at_once(
        client, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(versions, "RECHECK_SECONDS", 60)
    url = service_url()
    service = Service.objects.get(register_ref="T15")
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url)["X-Cradle-Cache"] == "hit"
    service.name = "Renamed while the version is reused"
    service.save()
    response = client.get(url)
    assert response["X-Cradle-Cache"] == "miss"
    assert b"Renamed while the version is reused" in response.content


def test_with_no_page_cache_time_pages_are_rendered_each_time_and_still_answer_304(
        client, settings):
    """Development (CRADLE_DEBUG=1) keeps no pages: an edited template shows at once."""
    settings.CRADLE_PAGE_CACHE_SECONDS = 0
    first = client.get("/")
    second = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert first["X-Cradle-Cache"] == "miss" and second.status_code == 304
    assert client.get("/")["X-Cradle-Cache"] == "miss"
