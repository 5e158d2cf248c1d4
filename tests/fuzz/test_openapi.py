"""Every operation of the OpenAPI document, with generated path, query and body values
(valid and invalid), against a real server on SQLite and PostgreSQL, signed in: no answer
may be a 5xx, and an answer the document describes must match its schema.

Examples are derandomized, so a run is repeatable and CI stable; the number per
operation keeps the whole module to about a minute per backend."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.fuzz.conftest import API, Live

EXAMPLES = 15
CHECKS = [not_a_server_error, response_schema_conformance]
DESTRUCTIVE = ("/recall", "/leave", "/transfer", "/disable", "/logout", "/password")


def _fuzz(operation: Any, live: Live) -> None:
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases, data=st.data())
    def run(case: Any, data: st.DataObject) -> None:
        _use_known_values(case, live, data)
        response = case.call(base_url=live.base_url, headers=live.headers(), timeout=30)
        if response.status_code == 401:
            live.login()  # the example signed its session out, or changed the password
        case.validate_response(response, checks=CHECKS)

    run()


def _use_known_values(case: Any, live: Live, data: st.DataObject) -> None:
    """Half the time, a parameter takes a value that exists: a random id is only ever a
    404, a random search only ever finds nothing."""
    for params in (case.path_parameters, case.query or {}):
        for name in params:
            if name in live.known and data.draw(st.booleans(), label=f"known {name}"):
                params[name] = data.draw(st.sampled_from(live.known[name]))
    path = case.path_parameters
    if {"conversation_id", "message_id"} <= path.keys() and data.draw(st.booleans()):
        path["conversation_id"], path["message_id"] = data.draw(st.sampled_from(live.messages))


def test_no_request_makes_the_server_fail(live: Live, subtests: pytest.Subtests) -> None:
    schema = schemathesis.openapi.from_url(f"{live.base_url}{API}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    # What erases what the others need (recall detaches the file, leave loses the group,
    # logout the session) comes last.
    operations.sort(key=lambda op: op.method == "delete" or op.path.endswith(DESTRUCTIVE))
    for operation in operations:
        with subtests.test(operation.label):
            _fuzz(operation, live)
