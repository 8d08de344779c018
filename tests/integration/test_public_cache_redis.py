"""The production cache: Redis (Django's own backend), shared by every worker.

CI (.ci/run) starts Redis when it is not running and sets CRADLE_TEST_REDIS_URL, so these tests
always run there and fail if Redis cannot be reached. Elsewhere they use
redis://127.0.0.1:6379/14 and are skipped, saying why, only when no Redis answers.
"""

import os
import uuid

import pytest
import redis
from django.core.cache import cache, caches
from django.urls import reverse

from cradle.core import versions
from cradle.core.cache_url import REDIS, cache_settings
from cradle.directory.models import Service

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

REDIS_URL = os.environ.get("CRADLE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_cache(settings, monkeypatch):
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CRADLE_TEST_REDIS_URL"):
            pytest.fail(f"CRADLE_TEST_REDIS_URL={REDIS_URL} is set but Redis does not answer: "
                        f"{error}")
        pytest.skip(f"no Redis answers at {REDIS_URL} (start redis-server, or set "
                    "CRADLE_TEST_REDIS_URL; CI does both)")
    # A prefix of its own: rolled-back test data reuses ids, so versions repeat across tests.
    prefix = f"cradle-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {"default": cache_settings(REDIS_URL, prefix)}
    monkeypatch.setattr(versions, "RECHECK_SECONDS", 0)
    versions.forget_recent()
    assert settings.CACHES["default"]["BACKEND"] == REDIS
    yield client
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def service_url():
    return reverse("directory:service-detail",
                   kwargs={"pk": Service.objects.get(register_ref="T15").pk})


def test_pages_are_cached_in_redis_and_shared_by_another_worker(client, redis_cache):
    assert client.get(service_url())["X-Cradle-Cache"] == "miss"
    prefix = caches["default"].key_prefix
    assert any(b":cradle:page:" in key for key in redis_cache.scan_iter(f"{prefix}:*"))
    # Another worker process has its own connection to the same Redis.
    other_worker = caches.create_connection("default")
    assert other_worker is not cache._connections  # a separate client
    assert other_worker.get(versions.TOKEN_KEY) == versions.write_token()
    assert client.get(service_url())["X-Cradle-Cache"] == "hit"


def test_conditional_get_is_answered_304_from_redis(client, redis_cache):
    first = client.get(service_url())
    response = client.get(service_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    assert client.get(service_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
                      ).status_code == 304


def test_a_data_change_replaces_the_page_in_redis(client, redis_cache,
                                                  django_capture_on_commit_callbacks):
    client.get(service_url())
    token = versions.write_token()
    with django_capture_on_commit_callbacks(execute=True):
        service = Service.objects.get(register_ref="T15")
        service.name = "Renamed in Redis for the cache test"
        service.save()
    assert versions.write_token() != token
    response = client.get(service_url())
    assert response["X-Cradle-Cache"] == "miss"
    assert b"Renamed in Redis for the cache test" in response.content


def test_signed_in_pages_never_reach_redis(client, redis_cache):
    from tests.accounts_helpers import make_user, sign_in

    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    client.get(service_url())
    client.get("/")
    prefix = caches["default"].key_prefix
    assert not any(b":cradle:page:" in key for key in redis_cache.scan_iter(f"{prefix}:*"))
