"""Response headers that must be on every response of a given kind, whatever view made it."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import add_never_cache_headers


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
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(query) -> bool:
        return any("\x00" in key or any("\x00" in value for value in values)
                   for key, values in query.lists())

    def _has_nul_post(self, request) -> bool:
        try:
            return self._has_nul(request.POST)
        except (MultiPartParserError, ValueError):
            return False  # a body Django cannot parse is the view's (and Django's) to refuse
