"""Headers that must be on responses however they were made: CSP and frame headers on a 400
for a bad Host header, X-Forwarded-Proto ignored unless the app is told it is behind a proxy,
and no Server banner from the production server (gunicorn). `Cache-Control: no-store` on
every signed-in page is checked by the URL walk in test_access.py."""

from __future__ import annotations

import http.client

import pytest
from django.urls import reverse

from tests.accounts_helpers import make_user, sign_in
from tests.production_server import running_gunicorn

pytestmark = pytest.mark.django_db


def test_a_bad_host_header_gets_a_400_with_csp_and_frame_headers(client):
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_bad_host_header_under_https_redirection_gets_the_headers_too(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # SecurityMiddleware reads the host to redirect
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"


def test_x_forwarded_proto_from_a_client_is_not_believed(client, settings):
    """Without CRADLE_BEHIND_PROXY=1 a plain-HTTP request claiming to be HTTPS is still sent to
    HTTPS (and so gets no secure-only treatment it has not earned)."""
    assert settings.SECURE_PROXY_SSL_HEADER is None
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_behind_a_proxy_x_forwarded_proto_is_believed(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_signed_in_responses_are_not_stored_and_public_ones_may_be(client):
    assert "no-store" not in client.get(reverse("core:home")).get("Cache-Control", "")
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    for url in (reverse("core:home"), reverse("accounts:account"), "/no-such-page/"):
        assert "no-store" in client.get(url)["Cache-Control"], url


@pytest.fixture
def gunicorn(tmp_path):
    with running_gunicorn(tmp_path) as port:
        yield port


def test_the_production_server_sends_no_server_banner(gunicorn):
    for path in ("/static/css/cradle.css", "/no-such-page/"):
        connection = http.client.HTTPConnection("127.0.0.1", gunicorn, timeout=20)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        assert response.status in (200, 404), (path, response.status)
        assert response.getheader("Server") is None, (path, response.getheader("Server"))
        connection.close()
