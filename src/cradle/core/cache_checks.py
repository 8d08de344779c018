"""`cradle check --deploy`: a per-process cache with several workers.

Each gunicorn worker would then keep its own copy of every public page and computed report
(memory times the workers) and its own write token, so a change made through one worker, or
by a command, reaches the others only through the database's maxima, never for an in-place
update of a model without history (cradle.core.versions). Production should share Redis.
"""

import os
import re

from django.conf import settings
from django.core import checks

from .cache_url import LOCMEM


def configured_workers(environ=os.environ) -> int:
    """Worker processes gunicorn will start, as far as the environment says (1 if it does
    not): WEB_CONCURRENCY, or --workers / -w in GUNICORN_CMD_ARGS."""
    found = re.search(r"(?:--workers[= ]|-w ?)(\d+)", environ.get("GUNICORN_CMD_ARGS", ""))
    value = found.group(1) if found else environ.get("WEB_CONCURRENCY", "1")
    try:
        return int(value)
    except ValueError:
        return 1


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache_with_several_workers(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    workers = configured_workers()
    if backend != LOCMEM or workers < 2:
        return []
    return [checks.Warning(
        f"The cache is local memory, one per process, and {workers} workers are configured: "
        "each keeps its own copy of every public page, and a change made through one worker "
        "may reach the others late.",
        hint="Set CRADLE_CACHE_URL=redis://127.0.0.1:6379/0 (a Redis every worker shares).",
        id="cradle.core.W001")]
