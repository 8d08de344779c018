"""Capability tokens out of paths and log lines (core/redaction.py, log_redaction.py and the
gunicorn logger; docs/adr/0027). Pure: no database, no Django."""

from __future__ import annotations

import datetime
import logging
import sys
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from cradle.core.log_redaction import RedactCapabilityTokens
from cradle.core.redaction import CAPABILITY_ROUTES, MARKER, carries_capability_token, redact
from cradle.gunicorn_logging import RedactingLogger

SECRET = "Wz4sMV0:1uXyZb:Qk3rS-ecr_et"

REDACTED = [
    # Each prefix, with and without its trailing slash, with a query after it.
    (f"/census/link/{SECRET}/", "/census/link/[token]/"),
    (f"/census/link/{SECRET}", "/census/link/[token]"),
    (f"/census/link/{SECRET}/?utm=mail", "/census/link/[token]/?utm=mail"),
    (f"/surveys/s/{SECRET}/", "/surveys/s/[token]/"),
    (f"/surveys/s/{SECRET}", "/surveys/s/[token]"),
    (f"/account/invitations/accept/{SECRET}/", "/account/invitations/accept/[token]/"),
    (f"/account/invitations/accept/{SECRET}", "/account/invitations/accept/[token]"),
    (f"/account/password-reset/MTI/{SECRET}/", "/account/password-reset/[token]/[token]/"),
    ("/account/password-reset/MTI/set-password/", "/account/password-reset/[token]/[token]/"),
    # Whole URLs, request lines and log lines.
    (f"https://cradle.example/surveys/s/{SECRET}/", "https://cradle.example/surveys/s/[token]/"),
    (f'"GET /census/link/{SECRET}/ HTTP/1.1" 302 0', '"GET /census/link/[token]/ HTTP/1.1" 302 0'),
    (f"Not Found: /surveys/s/{SECRET}/", "Not Found: /surveys/s/[token]/"),
    (f"/census/link/{SECRET}/ and /surveys/s/{SECRET}/", "/census/link/[token]/ and /surveys/s/[token]/"),
    # Percent-encoded: the token itself, and the whole path inside another URL's query.
    ("/census/link/Wz4%3AsMV0%3Aabc/", "/census/link/[token]/"),
    (f"/account/sign-in/?next=%2Fcensus%2Flink%2F{SECRET}%2F",
     "/account/sign-in/?next=%2Fcensus%2Flink%2F[token]%2F"),
    (f"/x/?next=%252Fsurveys%252Fs%252F{SECRET}", "/x/?next=%252Fsurveys%252Fs%252F[token]"),
    # Mounted under a path prefix.
    (f"/cradle/surveys/s/{SECRET}/", "/cradle/surveys/s/[token]/"),
    # Tokens in a query string (no Cradle URL takes one; redacted all the same).
    (f"/anything/?token={SECRET}", "/anything/?token=[token]"),
    (f"/anything/?a=1&Token={SECRET}&b=2", "/anything/?a=1&Token=[token]&b=2"),
    (f"/anything/?a=1%26token%3D{SECRET}", "/anything/?a=1%26token%3D[token]"),
]

UNTOUCHED = [
    "/", "/census/", "/census/answer/", "/census/links/5/", "/census/rounds/3/send/",
    "/surveys/", "/surveys/5/", "/surveys/published/3/results.csv", "/surveys/s/",
    "/account/password-reset/", "/account/password-reset/sent/", "/account/password-reset/done/",
    "/account/invitations/", "/account/invitations/4/resend/", "/services/?q=link",
    "/anything/?tokens=3&mytoken=4", "/anything/?token=", "", "GET / HTTP/1.1",
]


@pytest.mark.parametrize(("text", "expected"), REDACTED)
def test_tokens_are_replaced_by_the_marker(text, expected):
    assert redact(text) == expected
    assert carries_capability_token(text)


@pytest.mark.parametrize("text", UNTOUCHED)
def test_other_paths_are_left_alone(text):
    assert redact(text) == text
    assert not carries_capability_token(text)


def test_redacting_twice_changes_nothing_more():
    for _, expected in REDACTED:
        assert redact(expected) == expected


@pytest.mark.parametrize("route", CAPABILITY_ROUTES, ids=lambda route: route.url_name)
def test_every_declared_prefix_is_redacted(route):
    path = route.prefix + "/".join(f"secret{n}" for n in range(route.secret_segments)) + "/"
    assert "secret" not in redact(path) and redact(path).count(MARKER) == route.secret_segments


def record(msg, *args, **extra) -> logging.LogRecord:
    made = logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, None)
    made.__dict__.update(extra)
    return made


def test_the_filter_redacts_the_message_and_the_arguments():
    made = record("%s: %s", "Not Found", f"/surveys/s/{SECRET}/", status_code=404)
    assert RedactCapabilityTokens().filter(made) is True
    assert made.getMessage() == "Not Found: /surveys/s/[token]/"
    assert made.args == ("Not Found", "/surveys/s/[token]/")
    already = record(f"opened /census/link/{SECRET}/")
    RedactCapabilityTokens().filter(already)
    assert already.getMessage() == "opened /census/link/[token]/"


def test_the_filter_keeps_other_arguments_and_their_types():
    made = record("%s %d %.1f", "GET /census/answer/", 404, 0.5)
    RedactCapabilityTokens().filter(made)
    assert made.args == ("GET /census/answer/", 404, 0.5)
    mapping = record("%(path)s %(status)d", {"path": f"/census/link/{SECRET}", "status": 302})
    RedactCapabilityTokens().filter(mapping)
    assert mapping.getMessage() == "/census/link/[token] 302"


def test_an_object_whose_text_holds_a_token_is_replaced_by_that_text_redacted():
    class Request:
        def __str__(self):
            return f"<WSGIRequest: GET '/surveys/s/{SECRET}/'>"
    made = record("%s", Request())
    RedactCapabilityTokens().filter(made)
    assert made.getMessage() == "<WSGIRequest: GET '/surveys/s/[token]/'>"


def test_a_request_whose_path_holds_a_token_is_not_passed_on():
    with_token = SimpleNamespace(get_full_path=lambda: f"/surveys/s/{SECRET}/?x=1")
    without = SimpleNamespace(get_full_path=lambda: "/surveys/5/")
    first, second = record("x", request=with_token), record("x", request=without)
    RedactCapabilityTokens().filter(first)
    RedactCapabilityTokens().filter(second)
    assert first.request is None and second.request is without


def test_an_exceptions_text_is_redacted():
    try:
        raise ValueError(f"no survey at /surveys/s/{SECRET}/")
    except ValueError:
        made = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    RedactCapabilityTokens().filter(made)
    formatted = logging.Formatter().format(made)
    assert SECRET not in formatted and "/surveys/s/[token]/" in formatted


# Gunicorn ----------------------------------------------------------------------------------

def gunicorn_logger(tmp_path, **settings) -> RedactingLogger:
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    for name, value in settings.items():
        config.set(name, value)
    return RedactingLogger(config)


def access(logger, path, query="", referer="-"):
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path + (f"?{query}" if query else ""),
               "PATH_INFO": path, "QUERY_STRING": query, "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "192.0.2.1", "HTTP_REFERER": referer}
    response = SimpleNamespace(status="302 Found", sent=0, headers=[("Location", "/census/answer/")])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()


def test_the_gunicorn_access_line_holds_no_token(tmp_path):
    logger = gunicorn_logger(tmp_path)
    access(logger, f"/census/link/{SECRET}/", query=f"token={SECRET}",
           referer=f"https://cradle.example/surveys/s/{SECRET}/")
    line = (tmp_path / "access.log").read_text()
    assert SECRET not in line
    assert '"GET /census/link/[token]/?token=[token] HTTP/1.1" 302' in line
    assert '"https://cradle.example/surveys/s/[token]/"' in line


def test_every_gunicorn_atom_is_redacted_whatever_the_format(tmp_path):
    logger = gunicorn_logger(tmp_path, access_log_format="%(U)s %(q)s %({raw_uri}e)s %(f)s")
    access(logger, f"/surveys/s/{SECRET}/", query=f"token={SECRET}",
           referer=f"/surveys/s/{SECRET}/")
    assert (tmp_path / "access.log").read_text().split() == [
        "/surveys/s/[token]/", "token=[token]", "/surveys/s/[token]/?token=[token]",
        "/surveys/s/[token]/"]


def test_the_gunicorn_error_log_holds_no_token(tmp_path):
    logger = gunicorn_logger(tmp_path, errorlog=str(tmp_path / "error.log"))
    logger.error("Error handling request %s", f"/account/invitations/accept/{SECRET}/")
    for handler in logger.error_log.handlers:
        handler.flush()
    text = (tmp_path / "error.log").read_text()
    assert SECRET not in text and "/account/invitations/accept/[token]/" in text


def test_the_gunicorn_config_module_names_the_logger():
    from cradle import gunicorn_conf
    assert gunicorn_conf.logger_class == "cradle.gunicorn_logging.RedactingLogger"
