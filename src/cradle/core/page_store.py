"""Where cached public pages live: the shared cache, with a copy in the worker's own memory.

A page's key holds the data version it was made from, so a copy under a key never goes stale:
a data change moves the version and the next request asks for another key. That makes a
per-process copy as safe as the shared one, and far cheaper to serve: fetching the 1.3 MB map
boundaries from Redis and unpickling them costs several milliseconds a request, about what
sending the whole static file costs. Django's local-memory cache pickles too (2.4x static at
p95 for the boundaries without the copy), so the copy is kept for it as well; only the dummy
cache (the test suite, CRADLE_CACHE=dummy) keeps nothing.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache

from .cache_url import DUMMY


class LocalCopies:
    """The most recently used pages, up to a budget of bytes, each until its expiry."""

    def __init__(self, budget_bytes: int):
        self.budget = budget_bytes
        self.used = 0
        self.entries: OrderedDict[str, tuple[float, int, object]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, now: float):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            expires, size, page = entry
            if expires <= now:
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return page

    def put(self, key: str, page, size: int, expires: float) -> None:
        if size > self.budget:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (expires, size, page)
            self.used += size
            while self.used > self.budget:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: str) -> None:
        _expires, size, _page = self.entries.pop(key)
        self.used -= size


_local = LocalCopies(settings.CRADLE_PAGE_MEMORY_MB * 1024 * 1024)


def keeps_local_copies() -> bool:
    return settings.CACHES["default"]["BACKEND"] != DUMMY


def get(key: str):
    if settings.CRADLE_PAGE_CACHE_SECONDS <= 0:
        return None
    local = keeps_local_copies()
    if local and (page := _local.get(key, time.monotonic())) is not None:
        return page
    page = cache.get(key)
    if page is not None and local:
        # Until the shared copy expires at the latest (its age is not known here).
        _local.put(key, page, len(page.content),
                   time.monotonic() + settings.CRADLE_PAGE_CACHE_SECONDS)
    return page


def put(key: str, page) -> None:
    seconds = settings.CRADLE_PAGE_CACHE_SECONDS
    if seconds <= 0:
        return  # pages are not kept (development: an edited template shows at once)
    cache.set(key, page, seconds)
    if keeps_local_copies():
        _local.put(key, page, len(page.content), time.monotonic() + seconds)
