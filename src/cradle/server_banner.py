"""No `Server:` banner: it tells an attacker which server (and so which advisories) to try.

Gunicorn writes `Server: gunicorn` on every response and has no setting to stop it, so the
WSGI module, which gunicorn's workers import, drops that line from its default headers. The
patch is a no-op where gunicorn is not running the app (runserver, tests, other servers).
"""

from __future__ import annotations

import sys
from functools import wraps


def hide_gunicorn_banner() -> bool:
    """Drop gunicorn's Server header in this process; True if gunicorn was there to patch."""
    wsgi = sys.modules.get("gunicorn.http.wsgi")
    if wsgi is None:
        return False
    response = wsgi.Response
    if getattr(response.default_headers, "cradle_without_banner", False):
        return True
    original = response.default_headers

    @wraps(original)
    def default_headers(self):
        return [line for line in original(self) if not line.lower().startswith("server:")]

    default_headers.cradle_without_banner = True
    response.default_headers = default_headers
    return True
