"""Print the expanded authorisation matrix: `python -m tests.authz.print [filter]`.

One line per row: method and path (or WS and frame type), caller (with the permission a
custom role is built around) and ownership, the expected outcome, and the reason of an
expected failure. A filter keeps the routes whose method and path contain it."""

from __future__ import annotations

import sys

from tests.authz.matrix import SPECS


def lines(needle: str = "") -> list[str]:
    out = []
    for spec in SPECS:
        name = f"{spec.method} {spec.path}"
        if needle.lower() not in name.lower():
            continue
        for row in spec.rows():
            xfail = f"  xfail: {row.xfail}" if row.xfail else ""
            out.append(f"{name:<78} {row.label:<40} {row.expected!s:<22}{xfail}".rstrip())
    return out


if __name__ == "__main__":
    print("\n".join(lines(" ".join(sys.argv[1:]))))
