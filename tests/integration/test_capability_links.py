"""Links that are their own permission stay out of logs and other sites' Referers (docs/adr/
0027): the URLconf has no token route the redactor misses; requesting census, survey,
invitation and password-reset links, good or bad, logs no token through Django's loggers,
runserver's or gunicorn's; their responses send no Referer and are never stored."""

from __future__ import annotations

import datetime
import http.client
import logging

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cradle.census import actions as census_actions
from cradle.census import links
from cradle.census.models import Invitation
from cradle.core.log_redaction import RedactCapabilityTokens
from cradle.core.redaction import CAPABILITY_ROUTES, MARKER, redact
from cradle.surveys import actions as survey_actions
from cradle.surveys.models import SurveyState
from cradle.surveys.questions import shipped_sets
from tests.accounts_helpers import make_user
from tests.production_server import running_gunicorn

TODAY = timezone.localdate()
# URL parameters that are, or are part of, a capability token.
TOKEN_PARAMETERS = ("token", "uidb64")


# The URLconf ------------------------------------------------------------------------------

def url_patterns(resolver=None, namespace=""):
    """(full name, pattern) of every named route in the URLconf."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None), entry


def parameters(pattern: URLPattern) -> list[str]:
    return list(getattr(pattern.pattern, "converters", {}) or pattern.pattern.regex.groupindex)


def test_every_route_with_a_token_parameter_is_redacted():
    """A new route taking a token fails here until CAPABILITY_ROUTES covers it."""
    routes_with_tokens = [(name, pattern) for name, pattern in url_patterns()
                          if any(word in parameter for parameter in parameters(pattern)
                                 for word in TOKEN_PARAMETERS)]
    assert {name for name, _ in routes_with_tokens} >= {
        "census:open-link", "surveys:answer", "accounts:accept-invitation",
        "accounts:password-reset-confirm"}
    for name, pattern in routes_with_tokens:
        assert name, f"a route with a token parameter has no name: {pattern.pattern}"
        secrets = {parameter: f"Secret{n}Value" for n, parameter in enumerate(parameters(pattern))}
        path = reverse(name, kwargs=secrets)
        for parameter, secret in secrets.items():
            if any(word in parameter for word in TOKEN_PARAMETERS):
                assert secret not in redact(path), f"{name} ({path}) is not redacted"
        assert MARKER in redact(path)


def test_every_declared_route_exists_at_its_prefix():
    for route in CAPABILITY_ROUTES:
        secrets = [f"s{n}" for n in range(route.secret_segments)]
        path = reverse(route.url_name, args=secrets)
        assert path == route.prefix + "/".join(secrets) + "/", route


# Logging as configured ---------------------------------------------------------------------

def test_every_configured_handler_redacts():
    handlers = [*logging.getLogger().handlers, *logging.getLogger("django.server").handlers]
    assert handlers
    for logger_name in ("django", "django.request", "django.security.csrf"):
        assert not logging.getLogger(logger_name).handlers, logger_name  # the root's only
    for handler in handlers:
        if type(handler).__module__.startswith("_pytest"):
            continue
        assert any(isinstance(f, RedactCapabilityTokens) for f in handler.filters), handler


def assert_logged_no_token(records, *tokens):
    """No record's message, arguments or exception text holds any of the tokens."""
    assert tokens and all(tokens)
    for record in records:
        texts = [record.getMessage(), repr(record.args), record.exc_text or "",
                 repr(getattr(record, "request", None))]
        for token in tokens:
            assert not any(token in text for text in texts), (record.name, texts)


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.fixture
def census_round(db):
    coordinator = make_user("links-coordinator@example.org", network_role="coordinator")
    return census_actions.open_round(
        name="Census links", reference_date=TODAY - datetime.timedelta(days=1),
        closes_on=TODAY + datetime.timedelta(days=30), nation="England", teams_only=True,
        reply_to="census@example.org", by=coordinator, today=TODAY)


@pytest.fixture
def survey(db):
    coordinator = make_user("links-survey@example.org", network_role="coordinator")
    question_set = shipped_sets()[("professionals-2019", 1)]
    made = survey_actions.create_survey(
        user=coordinator, name="Links 2026", year=2026, question_set=question_set,
        question_ids=[q.id for q in question_set.questions])
    return survey_actions.open_survey(user=coordinator, survey=made)


def assert_private_headers(response):
    assert response["Referrer-Policy"] == "strict-origin", response.status_code
    assert "no-store" in response["Cache-Control"], response.status_code


def test_a_census_link_good_or_bad_logs_no_token(client, census_round, logs):
    invitation = census_round.invitations.first()
    good = links.token_for(invitation)
    response = client.get(reverse("census:open-link", args=[good]))
    assert response.status_code == 302 and response["Location"] == reverse("census:answer")
    assert_private_headers(response)
    assert client.get(response["Location"]).status_code == 200
    # Without the slash: CommonMiddleware's redirect carries the token in its Location.
    no_slash = client.get(reverse("census:open-link", args=[good]).rstrip("/"))
    assert no_slash.status_code == 301
    assert_private_headers(no_slash)
    # Another method than GET: 405, which django.request logs with the path.
    assert client.post(reverse("census:open-link", args=[good])).status_code == 405

    Invitation.objects.filter(pk=invitation.pk).update(
        expires_on=TODAY - datetime.timedelta(days=1))
    expired = client.get(reverse("census:open-link", args=[good]), follow=True)
    assert expired.status_code == 410
    unknown = "WzEsMV0:nosuchlink:ForgedSignature"
    response = client.get(reverse("census:open-link", args=[unknown]))
    assert_private_headers(response)
    assert client.get(response["Location"]).status_code == 404

    assert_logged_no_token(logs.records, good, unknown)
    assert any(f"/census/link/{MARKER}/" in r.getMessage() for r in logs.records
               if r.name == "django.request"), "the 405 was logged, redacted"


def test_a_survey_link_good_or_bad_logs_no_token(survey, logs):
    client = Client(enforce_csrf_checks=True)
    path = reverse("surveys:answer", kwargs={"token": survey.public_token})
    page = client.get(path)
    assert page.status_code == 200
    assert_private_headers(page)
    refused = client.post(path, {"area": "E08000035"})  # no CSRF token: django.security
    assert refused.status_code == 403
    assert_private_headers(refused)

    unknown = "NoSuchSurveyToken0123456789"
    missing = client.get(reverse("surveys:answer", kwargs={"token": unknown}))
    assert missing.status_code == 404
    assert_private_headers(missing)
    type(survey).objects.filter(pk=survey.pk).update(state=SurveyState.CLOSED)
    assert client.get(path).status_code == 410

    assert_logged_no_token(logs.records, survey.public_token, unknown)
    messages = [r.getMessage() for r in logs.records]
    assert f"Not Found: /surveys/s/{MARKER}/" in messages
    assert any(r.name == "django.security.csrf" for r in logs.records)


def test_invitation_and_password_reset_links_log_no_token(client, db, logs):
    unknown = "NoSuchInvitationToken0123456789"
    response = client.get(reverse("accounts:accept-invitation", args=[unknown]))
    assert response.status_code == 404
    assert_private_headers(response)
    reset = client.get(reverse("accounts:password-reset-confirm", args=["MTIz", unknown]))
    assert_private_headers(reset)
    assert_logged_no_token(logs.records, unknown, "MTIz")
    assert f"Not Found: /account/invitations/accept/{MARKER}/" in [
        r.getMessage() for r in logs.records]


def test_other_pages_keep_the_sites_referrer_policy(client, db):
    assert client.get(reverse("core:home"))["Referrer-Policy"] == "same-origin"
    assert client.get(reverse("census:answer"))["Referrer-Policy"] == "same-origin"


def test_runservers_request_log_holds_no_token():
    """django.server (runserver's one line per request) writes through its own handler."""
    from django.core.servers.basehttp import WSGIRequestHandler

    written = []

    class Keep(logging.Handler):
        def emit(self, record):
            written.append(record)

    logger = logging.getLogger("django.server")
    keep = Keep()
    logger.addHandler(keep)  # after the configured handler, so it sees what that one wrote
    try:
        handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
        handler.request, handler.client_address = None, ("127.0.0.1", 1)
        handler.log_date_time_string = lambda: "now"
        handler.log_message('"%s" %s %s', "GET /surveys/s/RunserverSecret/ HTTP/1.1", "200", "9")
    finally:
        logger.removeHandler(keep)
    assert [r.getMessage() for r in written] == [f'"GET /surveys/s/{MARKER}/ HTTP/1.1" 200 9']


# The production server ---------------------------------------------------------------------

def test_gunicorn_started_as_documented_logs_no_token(tmp_path):
    access_log = tmp_path / "access.log"
    secret = "GunicornSecret0123456789"
    with running_gunicorn(tmp_path, "--access-logfile", str(access_log)) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        connection.request("GET", f"/static/css/cradle.css?token={secret}",
                           headers={"Referer": f"http://127.0.0.1/surveys/s/{secret}/"})
        connection.getresponse().read()
        connection.close()
    line = access_log.read_text()
    assert "/static/css/cradle.css?token=[token]" in line, line
    assert f"/surveys/s/{MARKER}/" in line and secret not in line
