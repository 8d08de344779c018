"""What every API endpoint shares: open access, formats, 400s, ETags, bounded database time.

- Access: `endpoint(View)` is the view function for a URL, declared `public` for the access
  walk (cradle.accounts.access) and marked as keeping its own cache, so the public page cache
  (core/public_cache.py) leaves it alone. No authentication class runs: the API never reads
  who is asking, so a signed-in visitor gets exactly what anyone gets (and `no-store`, from
  NoStoreWhenSignedInMiddleware, like every signed-in response).
- Formats: `?format=` or a `.csv`/`.geojson` suffix, from the view's `formats` only; anything
  else is a 400. The Accept header is not negotiated, so a URL always means one representation.
- Errors: a bad parameter is a 400 `{"detail", "parameter"}`; a missing object a 404
  `{"detail"}`; a query stopped by the statement timeout a 503 `{"detail"}`; always JSON.
- Caching: the ETag is known before anything is computed (`etags.etag`: the public data
  version, the day, the path, the normalised query, the format); If-None-Match gives a 304, and
  the rendered body is kept in the cache under the tag.
- Time: on PostgreSQL each request's reads run in one transaction with `statement_timeout`
  (CRADLE_API_STATEMENT_TIMEOUT_MS, default 5000; 0 turns it off).
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils.cache import patch_cache_control
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cradle.accounts.access import public
from cradle.core.public_cache import OWN_CACHE_ATTRIBUTE
from cradle.core.versions import recent_public_data_version

from . import etags, params
from .renderers import CsvRenderer, GeoJsonRenderer

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement stopped by statement_timeout
CACHE_SECONDS = 600
RENDERERS = {"json": JSONRenderer, "csv": CsvRenderer, "geojson": GeoJsonRenderer}
TIMEOUT_MESSAGE = ("The database took too long to answer this request. Ask for less (a "
                   "smaller page, one scheme or one nation) or try again later.")


def endpoint(view_class, **initkwargs):
    view = public(view_class.as_view(**initkwargs))
    setattr(view, OWN_CACHE_ATTRIBUTE, True)
    return view


def today() -> datetime.date:
    return datetime.date.today()


@contextmanager
def bounded_database_time():
    """On PostgreSQL, the block's statements in one transaction that stops any statement
    running longer than the configured time (SQLite has no statement timeout, and a
    transaction there would take the write lock: nothing is done)."""
    milliseconds = settings.CRADLE_API_STATEMENT_TIMEOUT_MS
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql" or milliseconds <= 0:
        yield
        return
    nested = connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            (previous,) = cursor.fetchone()
            cursor.execute("SELECT set_config('statement_timeout', %s, true)",
                           [f"{int(milliseconds)}ms"])
        yield
        if nested:  # inside an outer transaction (tests): leave it as it was
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])


def is_timeout(error: Exception) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == QUERY_CANCELED or "statement timeout" in str(error)


def add_cors_headers(response) -> None:
    """Also set by OpenApiCorsMiddleware; here too, so a view's answer says it by itself."""
    response["Access-Control-Allow-Origin"] = "*"


class ApiView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    #: The formats this endpoint answers in (keys of RENDERERS); JSON first.
    formats: tuple[str, ...] = ("json",)
    #: The query parameters it reads: they (and only they) make its cache key.
    parameters: tuple[str, ...] = ()
    #: The file name of a download, without its extension.
    download_name = "cradle"

    def perform_authentication(self, request):
        """Nothing: the API never reads who is asking. (DRF's own would also replace the
        Django request's user, hiding a signed-in visitor from NoStoreWhenSignedInMiddleware.)"""

    def get_renderers(self):
        return [RENDERERS[name]() for name in self.formats]

    def chosen_format(self, request) -> str:
        chosen = self.kwargs.get("format") or request.GET.get("format") or "json"
        chosen = chosen.strip().lower()
        if chosen not in self.formats:
            raise params.ParameterError("format", "format must be one of: "
                                        f"{', '.join(self.formats)} (not {chosen[:20]!r})")
        return chosen

    def perform_content_negotiation(self, request, force=False):
        try:
            chosen = self.chosen_format(request)
        except params.ParameterError:
            if not force:
                raise
            chosen = "json"
        renderer = RENDERERS[chosen]()
        return renderer, renderer.media_type

    # Errors ----------------------------------------------------------------------------------

    def handle_exception(self, exc):
        if isinstance(exc, params.ParameterError):
            response = Response({"detail": exc.detail, "parameter": exc.parameter}, status=400)
        else:
            response = super().handle_exception(exc)
        if isinstance(exc, NotFound) or response.status_code == 404:
            response.data = {"detail": str(response.data.get("detail", "Not found."))}
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(response, Response):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
            response["Content-Type"] = JSONRenderer.media_type
        return response

    # Caching and time --------------------------------------------------------------------

    def cache_tag(self, request, kwargs) -> str:
        query = params.normalised_query(dict(request.GET.lists()), self.parameters)
        fmt = (kwargs.get("format") or request.GET.get("format") or "json").strip().lower()
        path = request.path.removesuffix(f".{kwargs['format']}") if kwargs.get("format") \
            else request.path
        return etags.etag(data_version=recent_public_data_version(),
                          today=today().isoformat(), path=path, query=query, fmt=fmt)

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = super().dispatch(request, *args, **kwargs)
            add_cors_headers(response)
            return response
        tag = self.cache_tag(request, kwargs)
        if etags.matches(request.headers.get("If-None-Match"), tag):
            response = HttpResponseNotModified()
            response["ETag"] = tag
            self.add_caching_headers(response)
            add_cors_headers(response)
            return response
        kept = cache.get(f"cradle:api:{tag}")
        if kept is not None:
            response = HttpResponse(kept[1], content_type=kept[0])
            for name, value in kept[2]:
                response[name] = value
        else:
            try:
                with bounded_database_time():
                    response = super().dispatch(request, *args, **kwargs)
                    if hasattr(response, "render"):
                        response.render()
            except OperationalError as error:
                if not is_timeout(error):
                    raise
                response = JsonResponse({"detail": TIMEOUT_MESSAGE}, status=503)
                response["Retry-After"] = "30"
            if response.status_code == 200:
                extra = [(name, response[name]) for name in ("Content-Disposition", "Link")
                         if response.has_header(name)]
                cache.set(f"cradle:api:{tag}",
                          (response["Content-Type"], response.content, extra), CACHE_SECONDS)
        if response.status_code == 200:
            response["ETag"] = tag
            self.add_caching_headers(response)
        add_cors_headers(response)
        return response

    @staticmethod
    def add_caching_headers(response) -> None:
        patch_cache_control(response, public=True, max_age=settings.CRADLE_PUBLIC_MAX_AGE)

    # Helpers for the views -----------------------------------------------------------------

    def respond(self, body, *, features=None):
        """`body` as JSON or CSV; for GeoJSON, `features()` gives the FeatureCollection."""
        fmt = self.request.accepted_renderer.format
        if fmt == "geojson":
            response = Response(features())
        else:
            response = Response(body)
        if fmt != "json":
            response["Content-Disposition"] = (
                f'attachment; filename="{self.download_name}.{fmt}"')
        return response
