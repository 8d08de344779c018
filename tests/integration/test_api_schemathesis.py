"""Issue 19 item 5: Schemathesis runs every operation of the API's generated OpenAPI document
against the app, a bounded number of examples each: no server error, and every response as the
document says (status code, content type, body). Deterministic (derandomized) for CI; runs on
SQLite and PostgreSQL alike, over the shipped reference data and register and a checked
FOI campaign."""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cradle.api.views_more import openapi_document

MAX_EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]

schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = get_wsgi_application()


@pytest.fixture
def keep_test_connection():
    """Schemathesis calls the WSGI application itself, whose request signals would close the
    test's database connection (inside its transaction); Django's test client stops them the
    same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(db, keep_test_connection):
    """An FOI campaign with a checked answer, so the FOI operations have rows (made once per
    operation: Hypothesis runs an operation's examples inside one test's transaction)."""
    from cradle.foi import actions, actions_answers
    from cradle.foi.questions import DEFAULT_LETTER
    from cradle.foi.responses_csv import ResponseRow
    from tests.foi_helpers import check_all

    campaign = actions.create_campaign(
        name="Schemathesis campaign", question_set="camhs-2019",
        letter_template=DEFAULT_LETTER, signatory="Cradle", reply_to="foi@example.org")
    actions_answers.import_responses(campaign=campaign, by="entered@example.org", rows=[
        ResponseRow(respondent_code="02N", respondent_type="ccg", area_code="02N",
                    received_on=datetime.date(2026, 10, 1), accepts_0_12m=True,
                    referred_0_12m=4, referred_0_18=900)])
    check_all(campaign)
    return campaign.pk


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_document(case, api_world):
    # The test client does not undo gzip (SafeGZipMiddleware compresses JSON for anonymous
    # visitors); real clients do.
    case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})
