"""Public pages served whole from the cache to anonymous visitors, with HTTP caching headers.

Which pages: every view declared `@public` (`cradle.accounts.access`), so a new public page is
covered without a list to keep. Which requests: GET or HEAD, from a visitor with no session
cookie, no messages cookie and no Authorization header, i.e. someone who cannot be signed in
and has nothing personal waiting for them. Which responses are kept: a 200 that set no cookie,
used no CSRF token, is not marked private/no-cache/no-store by its view, and varies on nothing
but Cookie and Accept-Encoding. Everything else passes through untouched, except that a public
page which did carry a CSRF token, set a cookie, or answered a POST is marked `no-store`, so
no browser or proxy keeps a copy either (ADR 0021).

A page is keyed by the public data version (`cradle.core.versions`), today's date (pages
default to "on today"), the scheme, host, path and query (hashed: a query string never appears
in a cache key), and whether the client takes gzip. Entries also expire after
`CRADLE_PAGE_CACHE_SECONDS` (default 10 minutes): a view's own time-limited cache (the pooled
public summary's) can then never be frozen inside a page for longer than it allows.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

from cradle.accounts.access import ACCESS_ATTRIBUTE

from . import page_store
from .versions import recent_public_data_version

# Headers not stored: those of one response only, and the caching headers set on every
# answer from the entry. The view's own (type, disposition, encoding, Vary...) are kept.
UNSTORED_HEADERS = {"date", "server", "set-cookie", "content-length", "etag", "last-modified",
                    "cache-control", "expires", "x-cradle-cache"}
ALLOWED_VARY = {"cookie", "accept-encoding"}
# Set on a public view that keeps its own cache and ETags (the open data API, ADR 0035): the
# page cache passes its requests through.
OWN_CACHE_ATTRIBUTE = "cradle_own_cache"
COMMA = re.compile(r"\s*,\s*")


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    etag: str
    last_modified: int  # seconds since the epoch

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        response.headers["ETag"] = self.etag
        response.headers["Last-Modified"] = http_date(self.last_modified)
        add_public_cache_headers(response)
        response.headers["X-Cradle-Cache"] = "hit"
        return response


def add_public_cache_headers(response) -> None:
    """A CDN or browser may keep a public page briefly and serve it stale while it asks again
    (a conditional request, answered 304 when nothing changed)."""
    max_age = settings.CRADLE_PUBLIC_MAX_AGE
    patch_cache_control(response, public=True, max_age=max_age, s_maxage=max_age,
                        stale_while_revalidate=settings.CRADLE_PUBLIC_STALE_SECONDS)
    # The same address gives a signed-in visitor another page (private, never stored).
    patch_vary_headers(response, ("Cookie",))


def may_be_personal(request) -> bool:
    """A visitor who might be signed in, or has a message or credentials waiting."""
    return (settings.SESSION_COOKIE_NAME in request.COOKIES
            or CookieStorage.cookie_name in request.COOKIES
            or "HTTP_AUTHORIZATION" in request.META)


def is_public_view(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    view = match.func
    while view is not None:  # the declaration may sit under other decorators
        if hasattr(view, ACCESS_ATTRIBUTE):
            return getattr(view, ACCESS_ATTRIBUTE) == "public"
        view = getattr(view, "__wrapped__", None)
    return False


def keeps_own_cache(request) -> bool:
    """A public view that keeps its own cache and ETags (the open data API)."""
    try:
        return bool(getattr(resolve(request.path_info).func, OWN_CACHE_ATTRIBUTE, False))
    except Resolver404:
        return False


def page_key(request, version: str) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    gzip = "gz" if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else "id"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"cradle:page:{timezone.localdate().isoformat()}:{version}:{gzip}:{digest}"


def carries_secret(request, response) -> bool:
    """The response holds a CSRF token, or a session or messages cookie is set on it."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies)


def cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or carries_secret(request, response):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    directives = {d.split("=")[0].strip().lower()
                  for d in COMMA.split(response.get("Cache-Control", "")) if d}
    if directives & {"private", "no-cache", "no-store"}:
        return False
    vary = {v.strip().lower() for v in COMMA.split(response.get("Vary", "")) if v}
    return vary <= ALLOWED_VARY


def store(response) -> CachedPage:
    content = response.content
    return CachedPage(
        status=response.status_code,
        headers=tuple((name, value) for name, value in response.items()
                      if name.lower() not in UNSTORED_HEADERS),
        content=content,
        # Of the bytes sent, so a compressed and a plain copy never share one.
        etag='"' + hashlib.sha256(content).hexdigest()[:32] + '"',
        last_modified=int(time.time()),
    )


def answer(request, page: CachedPage) -> HttpResponse:
    response = page.response()
    conditional = get_conditional_response(
        request, etag=page.etag, last_modified=page.last_modified, response=response)
    return without_body_for_head(request, conditional)


def without_body_for_head(request, response):
    if request.method == "HEAD" and not response.streaming and response.content:
        length = len(response.content)
        response.content = b""
        response.headers["Content-Length"] = str(length)
    return response


class PublicPageCacheMiddleware:
    """Placed early (after WhiteNoise): a hit then skips sessions, CSRF, authentication and the
    view, which is what brings a public page near the speed of a static file."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or may_be_personal(request) \
                or not is_public_view(request) or keeps_own_cache(request):
            response = self.get_response(request)
            if request.method not in ("GET", "HEAD") and not response.has_header("Cache-Control"):
                # An answer to a POST is about what was sent (a postcode, a password): kept
                # by nobody.
                add_never_cache_headers(response)
            return response

        key = page_key(request, recent_public_data_version())
        page = page_store.get(key)
        if page is not None:
            return answer(request, page)

        method = request.method
        # HEAD is GET without the body (RFC 9110): render it as GET, so the two always agree
        # and HEAD works on views that only declare GET.
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = method
        if not cacheable(request, response):
            if response.status_code == 200 and carries_secret(request, response):
                add_never_cache_headers(response)
            return without_body_for_head(request, response)
        page = store(response)
        page_store.put(key, page)
        result = answer(request, page)
        result.headers["X-Cradle-Cache"] = "miss"
        return result
