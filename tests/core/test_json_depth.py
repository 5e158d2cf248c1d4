"""The nesting scan that guards every parser: exact on JSON, whatever its size."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.core.json_depth import too_deep

LIMIT = 32


def nested(depth: int) -> str:
    """Arrays inside objects, `depth` levels in all."""
    arrays, objects = depth // 2, depth - depth // 2
    return '{"a":' * objects + "[" * arrays + "1" + "]" * arrays + "}" * objects


def depth_of(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    return 0


@pytest.mark.parametrize("depth", [0, 1, 31, 32, 33, 500, 100_000])
def test_depth_of_nested_objects_and_arrays(depth: int) -> None:
    text = nested(depth)
    if depth < 500:
        assert depth_of(json.loads(text)) == depth
    assert too_deep(text, LIMIT) is (depth > LIMIT)
    assert too_deep(text.encode(), LIMIT) is (depth > LIMIT)


def test_brackets_inside_strings_do_not_count() -> None:
    assert not too_deep(json.dumps({"text": "[" * 1000 + "{" * 1000}), LIMIT)
    assert not too_deep(json.dumps({"text": '\\"' + "[" * 1000, "q": '"]'}), LIMIT)
    assert too_deep(json.dumps({"text": "]]]", "deep": json.loads(nested(40))}), LIMIT)


def test_many_shallow_structures_are_not_deep() -> None:
    body = json.dumps({"items": [{"a": [1, 2], "b": {"c": "d"}}] * 30_000})
    assert not too_deep(body, LIMIT)
    assert too_deep(json.dumps([json.loads(nested(LIMIT)), 1]), LIMIT)


def test_unclosed_brackets_count_as_deep() -> None:
    """A recursive parser descends into every bracket before it finds the end missing."""
    assert too_deep("[" * 10_000, LIMIT)
    assert not too_deep('{"a": [1, 2', LIMIT)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ a'),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=60,
)


@settings(max_examples=300, derandomize=True)
@given(json_values, st.integers(min_value=0, max_value=8))
def test_agrees_with_the_parsed_depth(value: object, limit: int) -> None:
    text = json.dumps(value)
    assert too_deep(text, limit) is (depth_of(value) > limit)
