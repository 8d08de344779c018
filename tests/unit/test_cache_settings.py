"""CRADLE_CACHE_URL to CACHES, and the workers the deploy check counts (plain data)."""

import pytest

from cradle.core.cache_checks import configured_workers
from cradle.core.cache_url import DUMMY, LOCMEM, REDIS, cache_settings


@pytest.mark.parametrize(("url", "backend"), [
    ("", LOCMEM), ("locmem://", LOCMEM), ("redis://127.0.0.1:6379/0", REDIS),
    ("rediss://cache.example.org:6380/1", REDIS), ("REDIS://127.0.0.1:6379/0", REDIS),
    ("dummy://", DUMMY),
])
def test_the_url_selects_the_backend(url, backend):
    assert cache_settings(url)["BACKEND"] == backend


def test_redis_keeps_the_url_and_the_prefix_and_gives_up_quickly():
    settings = cache_settings("redis://127.0.0.1:6379/3", "site-a")
    assert settings["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert settings["KEY_PREFIX"] == "site-a"
    assert settings["OPTIONS"]["socket_timeout"] <= 5


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "file:///tmp/cache", "redis"])
def test_an_unknown_cache_is_refused_by_name(url):
    with pytest.raises(ValueError, match="CRADLE_CACHE_URL"):
        cache_settings(url)


@pytest.mark.parametrize(("environ", "workers"), [
    ({}, 1), ({"WEB_CONCURRENCY": "4"}, 4), ({"WEB_CONCURRENCY": "lots"}, 1),
    ({"GUNICORN_CMD_ARGS": "--bind 0.0.0.0:8000 --workers 3"}, 3),
    ({"GUNICORN_CMD_ARGS": "--workers=5"}, 5), ({"GUNICORN_CMD_ARGS": "-w 2"}, 2),
    ({"GUNICORN_CMD_ARGS": "-w 2", "WEB_CONCURRENCY": "8"}, 2),
])
def test_workers_come_from_gunicorns_own_settings(environ, workers):
    assert configured_workers(environ) == workers
