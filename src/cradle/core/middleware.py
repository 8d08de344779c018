"""Response headers that must be on every response of a given kind, whatever view made it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import add_never_cache_headers

from .redaction import carries_capability_token

# Compressed when safe: pages and JSON (GeoJSON included). CSV, spreadsheets, PDFs, images
# and fonts are not: the static ones are compressed ahead by WhiteNoise, the rest gain little.
API_PREFIX = "/api/"
COMPRESSED_TYPES = ("text/html", "application/json", "application/geo+json")


class NoStoreWhenSignedInMiddleware:
    """A signed-in page may show case records: no browser or proxy cache may keep a copy
    (a shared computer's back button, a proxy's disk). Anonymous pages stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class CapabilityLinkHeadersMiddleware:
    """A page whose address is its own permission (a census or survey link, an invitation, a
    password reset; core/redaction.py lists them) sends no path in any Referer, not even to
    this site, and is stored by no cache: the token then reaches no other site's logs through
    a link on the page (e.g. NHS.UK), nor this site's through the page's own images and styles.
    `strict-origin`, not `no-referrer`: under `no-referrer` browsers send `Origin: null` with
    the page's own form, which Django's CSRF check rightly refuses (the survey could not be
    answered); `strict-origin` sends the scheme and host only, and the real Origin.
    A middleware rather than a decorator, so that the 404 of an unknown token, the redirect
    that adds a slash and a refused form's 403 carry the same headers as the view's pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if carries_capability_token(request.path):
            response["Referrer-Policy"] = "strict-origin"
            add_never_cache_headers(response)
        return response


class RejectNulCharactersMiddleware:
    """No field takes a NUL character, and PostgreSQL refuses one in any query (a 500). A
    query string or form post carrying one is answered 400, before any view sees it; uploaded
    files are not checked here (the import checks read them)."""

    MESSAGE = ("Bad request: the address or the form contained a NUL character (code 0), "
               "which no field accepts. Remove it and try again.")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request.GET) or (request.method == "POST" and self._has_nul_post(request)):
            if request.path.startswith(API_PREFIX):  # the open data API answers JSON (ADR 0035)
                return JsonResponse({"detail": self.MESSAGE, "parameter": self._nul_name(
                    request.GET)}, status=400)
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _nul_name(query) -> str:
        return next((key.replace("\x00", "") for key, values in query.lists()
                     if "\x00" in key or any("\x00" in value for value in values)), "")

    @staticmethod
    def _has_nul(query) -> bool:
        return any("\x00" in key or any("\x00" in value for value in values)
                   for key, values in query.lists())

    def _has_nul_post(self, request) -> bool:
        try:
            return self._has_nul(request.POST)
        except (MultiPartParserError, ValueError):
            return False  # a body Django cannot parse is the view's (and Django's) to refuse


class SafeGZipMiddleware(GZipMiddleware):
    """Gzip for HTML and JSON, only where compression cannot leak a secret (BREACH).

    Compressed size reveals how much of a page repeats itself; an attacker who can put text
    into a page (a search box, a reflected parameter) and watch its size can guess, byte by
    byte, a secret on the same page. So nothing is compressed that carries a secret: a page
    with a CSRF token, a response setting a cookie, or any response to a request with a session
    cookie or to a signed-in user (whose pages hold case data beside their own search text).
    What remains is public pages for anonymous visitors, which hold nothing to steal (ADR 0021).
    """

    def process_response(self, request, response):
        if not self.is_safe_to_compress(request, response):
            return response
        return super().process_response(request, response)

    @staticmethod
    def is_safe_to_compress(request, response) -> bool:
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in COMPRESSED_TYPES:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies:
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return user is None or not user.is_authenticated
