"""Every operation of the OpenAPI document against a real server on SQLite and
PostgreSQL, signed in: no answer may be a 5xx, and an answer the document describes must
match its schema. Each operation gets generated path, query and body values (valid and
invalid, via schemathesis's strategies), then a sweep of each parameter through edge
values; each GET also a sweep of the headers the server reads.

Examples are derandomized, so a run is repeatable and CI stable; the numbers keep the
module to about a minute per backend. The operations are driven from here rather than by
schemathesis's pytest plugin: its loader for a schema known only at run time
(`from_fixture`) fails on pytest 9.2."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.fuzz.conftest import API, Live, fuzz_settings

EXAMPLES = 25
CHECKS = [not_a_server_error, response_schema_conformance]
# Values at the edges of what Python, the database and the file system hold; several
# were 500s (search dates, list and files cursors, NUL bytes).
EDGES = [
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00+14:00",
    "2024-01-01T00:00:00_0190c5e4-8c1a-7000-8000-000000000000",
    "99999999999999999999.1",
    "1.99999999999999999999",
    "2147483648",
    "9223372036854775808",
    "-1",
    "1e309",
    "NaN",
    "00000000-0000-0000-0000-000000000000",
    "a\x00b",
    "../../../etc/passwd",
    "9" * 5000,
]
# Headers the server reads although the document does not list them.
HEADER_EDGES = {
    "Range": [
        "bytes=-0",
        "bytes=5-1",
        "bytes=a-b",
        "bytes=0-0,1-1",
        "items=0-1",
        "bytes=",
        "bytes=" + "9" * 5000 + "-",
        "bytes=-" + "9" * 5000,
        "bytes=0-" + "9" * 30,
    ],
    "If-None-Match": ["*", 'W/"x"', "a" * 5000],
    "If-Range": ['"x"', "Mon, 01 Jan 0001 00:00:00 GMT", "9" * 100],
    "Authorization": ["Bearer ", "Bearer " + "a" * 5000, "Basic eHh4", "bearer a b"],
    "Cookie": ["parley_session=" + "x" * 5000, "parley_session=%00", "parley_session="],
    "Origin": ["null", "http://" + "a" * 300],
}
DESTRUCTIVE = ("/recall", "/leave", "/transfer", "/disable", "/logout", "/password")


def _fuzz(operation: Any, live: Live) -> None:
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @fuzz_settings(EXAMPLES)
    @given(case=cases, data=st.data())
    def run(case: Any, data: st.DataObject) -> None:
        _steer(case, live, data)
        response = case.call(base_url=live.base_url, headers=live.headers(), timeout=30)
        if response.status_code == 401:
            live.login()  # the example signed its session out, or changed the password
        _check(case, response)

    run()


def _steer(case: Any, live: Live, data: st.DataObject) -> None:
    """Half the examples go as generated. The others are made to reach past validation,
    with ids and words that exist: a random id is only ever a 404, a random search only
    ever finds nothing."""
    if data.draw(st.booleans(), label="as generated"):
        return
    query = {p.name: None for p in case.operation.query}
    for params in (case.path_parameters, query):
        for name in params:
            if name in live.known:
                params[name] = data.draw(st.sampled_from(live.known[name]), label=name)
    if {"conversation_id", "message_id"} <= case.path_parameters.keys():
        pair = data.draw(st.sampled_from(live.messages), label="message")
        case.path_parameters["conversation_id"], case.path_parameters["message_id"] = pair
    case.query = {k: v for k, v in query.items() if v is not None}


def _sweep_edges(operation: Any, live: Live) -> None:
    """Each parameter at each edge value, the others at values that exist: the edges are
    too narrow for random generation to hit in a few examples."""
    cid, mid = live.messages[0]
    path = {name: live.known[name][0] for name in _names(operation.path_parameters)}
    path |= {k: v for k, v in (("conversation_id", cid), ("message_id", mid)) if k in path}
    query = {name: live.known[name][0] for name in _names(operation.query) if name in live.known}
    for name in [*path, *_names(operation.query)]:
        for edge in EDGES:
            case = operation.Case(
                path_parameters={**path, **({name: edge} if name in path else {})},
                query={**query, **({} if name in path else {name: edge})},
            )
            _check(case, case.call(base_url=live.base_url, headers=live.headers(), timeout=30))


def _names(parameters: Any) -> list[str]:
    return [p.name for p in parameters]


def _check(case: Any, response: Any) -> None:
    try:
        case.validate_response(response, checks=CHECKS)
    except BaseExceptionGroup as failures:
        # Schemathesis's failures are not Exceptions, which Hypothesis and subtests would
        # let pass as an interruption.
        raise AssertionError(str(failures)) from None


def test_no_header_makes_the_server_fail(live: Live, subtests: pytest.Subtests) -> None:
    """Every GET operation, with values that exist, under each edge value of each header
    it might read (ranges and validators of downloads, credentials)."""
    schema = schemathesis.openapi.from_url(f"{live.base_url}{API}/openapi.json")
    for operation in (r.ok() for r in schema.get_all_operations()):
        if operation.method != "get":
            continue
        path = {name: live.known[name][0] for name in _names(operation.path_parameters)}
        if {"conversation_id", "message_id"} <= path.keys():
            path["conversation_id"], path["message_id"] = live.messages[0]
        with subtests.test(operation.label):
            for header, values in HEADER_EDGES.items():
                for value in values:
                    case = operation.Case(path_parameters=path)
                    headers = {**live.headers(), header: value}
                    _check(case, case.call(base_url=live.base_url, headers=headers, timeout=30))


def test_no_request_makes_the_server_fail(live: Live, subtests: pytest.Subtests) -> None:
    schema = schemathesis.openapi.from_url(f"{live.base_url}{API}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    # What erases what the others need (recall detaches the file, leave loses the group,
    # logout the session) comes last.
    operations.sort(key=lambda op: op.method == "delete" or op.path.endswith(DESTRUCTIVE))
    for operation in operations:
        with subtests.test(operation.label):
            _sweep_edges(operation, live)
            _fuzz(operation, live)
