"""Gunicorn's logger with capability tokens taken out (docs/adr/0027).

Gunicorn writes each request's line, path, query and Referer to its access log before Django
sees the request, and the URI of a request that failed to its error log; a personal census or
survey link would be kept whole in both. Started with `-c python:cradle.gunicorn_conf` (which
sets `logger_class` to this), gunicorn redacts every value of the access line and every
error-log record. Imports no Django: gunicorn's master process creates it before any app.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from cradle.core.log_redaction import RedactCapabilityTokens
from cradle.core.redaction import redact


class RedactingLogger(Logger):
    """gunicorn.glogging.Logger whose access atoms and error records hold no tokens."""

    def setup(self, cfg):
        super().setup(cfg)
        # On the loggers themselves (which gunicorn writes to directly), so the filter holds
        # whatever handlers a reload or a log config puts on them.
        for log in (self.error_log, self.access_log):
            if not any(isinstance(each, RedactCapabilityTokens) for each in log.filters):
                log.addFilter(RedactCapabilityTokens())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        redacted = {key: redact(value) if isinstance(value, str) else value
                    for key, value in atoms.items()}
        # `q` is the query string without its "?", which the redactor needs to see a name.
        query = atoms.get("q")
        if isinstance(query, str) and query:
            redacted["q"] = redact("?" + query)[1:]
        return redacted
