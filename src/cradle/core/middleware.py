"""Response headers that must be on every response of a given kind, whatever view made it."""

from __future__ import annotations

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
