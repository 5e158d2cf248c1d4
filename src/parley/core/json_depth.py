"""How deeply JSON nests, found without parsing it.

Parsers and validators recurse once per level: a 1.2 KB body nested 500 deep ran the
server out of stack (RecursionError, a 500 and a 310 KB traceback per request). Bodies
and socket frames are scanned before anything parses them; every step here runs in C
(count, split, translate, replace, find) except a loop bounded by the limit. The worst
case, a megabyte of brackets nested just under the limit, costs about what parsing it
would; a typical body costs two `count`s."""

from __future__ import annotations

from parley.core.errors import BadRequest

# Everything but brackets is deleted; braces count as brackets.
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_FOLD = bytes.maketrans(b"{}", b"[]")


class JsonTooDeep(BadRequest):
    code, title = "json_too_deep", "JSON nested too deeply"

    def __init__(self, limit: int) -> None:
        super().__init__(f"JSON may nest at most {limit} levels deep.", limit=limit)


def too_deep(data: bytes | str, limit: int) -> bool:
    """True if `data`, read as JSON, opens more than `limit` arrays and objects inside
    one another. Exact for well-formed JSON; for broken JSON (unclosed brackets) it may
    overcount, which only changes which 400 the client gets."""
    # The common case: too few brackets to nest that deep.
    if isinstance(data, str):
        if data.count("[") + data.count("{") <= limit:
            return False
        data = data.encode(errors="replace")
    elif data.count(b"[") + data.count(b"{") <= limit:
        return False
    brackets = _brackets(data)
    if b"[" * (limit + 1) in brackets:
        return True  # the usual attack, found by one substring search
    # Each pass removes the innermost pairs, one level everywhere; what survives `limit`
    # passes is nested deeper than that (or never closed).
    peeled = 0
    while peeled < limit:
        shorter = brackets.replace(b"[]", b"")
        if len(shorter) == len(brackets):
            break
        brackets, peeled = shorter, peeled + 1
    return _depth_exceeds(brackets, limit - peeled)


def _brackets(data: bytes) -> bytes:
    """The brackets outside strings, braces folded into brackets: `{"a":["]"]}` -> `[[]]`."""
    if b"\\" in data:  # escaped quotes would end strings early; escapes hold no brackets
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(data.split(b'"')[::2])
    return outside.translate(_FOLD, _NOT_BRACKETS)


def _depth_exceeds(brackets: bytes, limit: int) -> bool:
    """What the passes left is the deep part only, so this walk ends within `limit` + 1
    steps, or at a closing bracket nothing opened (a parser stops there too)."""
    depth = 0
    for b in brackets:
        depth += 1 if b == 0x5B else -1
        if depth > limit:
            return True
        if depth < 0:
            return False
    return False
