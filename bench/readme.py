"""Rewrite one marked section of bench/README.md, leaving the other sections alone."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).with_name("README.md")


def replace_section(name: str, body: str) -> None:
    """Put `body` between `<!-- name:begin -->` and `<!-- name:end -->` (appended if new)."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    current = README.read_text() if README.exists() else "# Benchmarks\n"
    block = f"{begin}\n{body}{end}"
    if begin in current:
        head, _, rest = current.partition(begin)
        _, _, tail = rest.partition(end)
        current = head + block + tail
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(current)
