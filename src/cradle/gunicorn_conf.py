"""Gunicorn settings for Cradle in production: `gunicorn -c python:cradle.gunicorn_conf
cradle.wsgi` (README, "The web server in production"). Command-line options still override these."""

# Capability tokens (personal census and survey links, invitations, password resets) are
# redacted from the access and error logs (docs/adr/0027).
logger_class = "cradle.gunicorn_logging.RedactingLogger"
