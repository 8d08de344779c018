"""CRADLE_CACHE_URL to Django's CACHES entry (pure: the settings module imports it first).

- empty or `locmem://`: one cache per process, the default (development, a single worker);
- `redis://host:port/db` or `rediss://` (TLS): Django's own Redis backend, shared by every
  worker and machine, which production needs (the deploy check warns otherwise);
- `dummy://`: no cache at all.
"""

REDIS = "django.core.cache.backends.redis.RedisCache"
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
DUMMY = "django.core.cache.backends.dummy.DummyCache"


def cache_settings(url: str, key_prefix: str = "cradle") -> dict:
    if not url:
        url = "locmem://"
    scheme = url.split("://", 1)[0].lower() if "://" in url else f"{url} (no ://)"
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": REDIS, "LOCATION": url, "KEY_PREFIX": key_prefix,
                # A Redis that stops answering delays a page by at most this, then fails it.
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}
    if scheme == "locmem":
        return {"BACKEND": LOCMEM, "KEY_PREFIX": key_prefix, "OPTIONS": {"MAX_ENTRIES": 5000}}
    if scheme == "dummy":
        return {"BACKEND": DUMMY}
    raise ValueError("CRADLE_CACHE_URL must start with redis://, rediss://, locmem:// or "
                     f"dummy://, not {scheme}://")
