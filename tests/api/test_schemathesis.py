"""
Property-based tests generated from the API's own OpenAPI schema (Schemathesis), against the live
server with the seed story and the planted unpublished stories: for every endpoint and a few
hundred generated requests in all, no 5xx, every answer as the schema says (status, content type,
body), and nothing unpublished in any answer.
"""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.endpoints import api
from tests.api.conftest import HIDDEN_MARKS

pytestmark = pytest.mark.django_db(transaction=True)

# Examples per endpoint: eight endpoints, a few hundred requests in all.
EXAMPLES = 40


def nothing_unpublished(ctx, response, case):
    """No slug, name or words of a draft, scheduled or withdrawn story in an anonymous answer."""
    text = response.text
    found = [mark for mark in HIDDEN_MARKS if mark in text]
    if found:
        raise AssertionError(f"Unpublished content in the answer to {case.path}: {found}")


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    nothing_unpublished,
]

# The schema the server serves at /api/openapi.json (test_the_served_schema_is_this_one), read in
# this process so that the tests are generated before the live server starts.
SCHEMA = api.get_openapi_schema()
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(SCHEMA, cls=NinjaJSONEncoder)))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_keeps_its_schema_and_its_secrets_whatever_it_is_asked(case, live_server, newsroom):
    case.call_and_validate(base_url=live_server.url, checks=CHECKS)


def test_the_served_schema_is_this_one(http, newsroom):
    assert http.json("/api/openapi.json") == json.loads(json.dumps(SCHEMA, cls=NinjaJSONEncoder))
