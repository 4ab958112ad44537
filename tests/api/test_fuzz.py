"""The API fuzzed against its own OpenAPI document (schemathesis): no request gets a 500, and
every response matches the document (status codes, content types, bodies, invalid data refused).

One check is left out: "schema-valid data is accepted". A cursor is an opaque string the API
gave out, so a made-up one is rightly refused with a 400 error object even though any string
fits the document; and ids of works that do not exist are 404s.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ficarchive.api.tokens import create_token
from ficarchive.wsgi import application

# Loading the document needs no database: it is built from the code.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def fuzz_token(db, works, writer, settings):
    settings.API_RATE_LIMITS = {"anon": "100000/min", "auth": "100000/min"}
    # Requests go straight to the WSGI application; like Django's test client, keep it from
    # closing the test's database connection at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield create_token(writer, "fuzz")[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_fuzz(case, fuzz_token):
    # A made-up Host header is refused by Django before any view runs (DisallowedHost: its
    # own 400 page), so the request never reaches the API; the fuzzing is of the API.
    if case.headers:
        case.headers = {k: v for k, v in case.headers.items() if k.lower() != "host"}
    # Every request carries a valid token, so the write endpoints are reached, not only 401s.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {fuzz_token}"},
        excluded_checks=[positive_data_acceptance],
    )
