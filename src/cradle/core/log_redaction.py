"""A logging filter that keeps capability tokens out of every log record (docs/adr/0027).

Django's loggers write the request's path: `django.request` on every 4xx and 5xx ("Not
Found: /surveys/s/<token>/"), `django.security.csrf` on a refused form, `django.server` on
every request under runserver. The filter rewrites the record in place, so every handler
after it on the way to the root sees the redacted record too. settings.LOGGING puts it on
each of its handlers; the gunicorn logger puts it on gunicorn's own loggers.
"""

from __future__ import annotations

import copy
import logging

from .redaction import redact


def _redacted(value):
    """A string redacted; anything else unchanged unless its text holds a token, in which
    case the redacted text takes its place (e.g. a request's repr within the arguments)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, int | float | bool | type(None)):
        return value
    text = str(value)
    redacted = redact(text)
    return value if redacted == text else redacted


class RedactCapabilityTokens(logging.Filter):
    """Replaces capability tokens in a record's message, arguments and exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redacted(record.msg)
        if isinstance(record.args, dict):
            # A copy of the same class: gunicorn's access atoms are a dict subclass that
            # answers "-" for a missing atom, and the caller's own dict stays as it was.
            args = copy.copy(record.args)
            for key, value in record.args.items():
                args[key] = _redacted(value)
            record.args = args
        elif record.args:
            record.args = tuple(_redacted(value) for value in record.args)
        request = getattr(record, "request", None)
        full_path = getattr(request, "get_full_path", None)
        if callable(full_path) and redact(full_path()) != full_path():
            # A handler that renders the request (AdminEmailHandler's report: path, META,
            # GET) would print the token; without the request it reports the rest.
            record.request = None
        if record.exc_info and not record.exc_text:
            # Formatted once here, as a Formatter would, so that the text it caches is the
            # redacted one (an exception's message may quote the path).
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True
