"""Write src/parley/security/common_passwords.txt.gz: the most used passwords (the
frequency list zxcvbn ships, itself from leaked password dumps), lower-cased, one per
line, most common first. Run again to change how many are kept:
`.venv/bin/python tools/make_common_passwords.py [count]`."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS

OUT = Path(__file__).parent.parent / "src/parley/security/common_passwords.txt.gz"


def main(count: int = 10_000) -> None:
    words = list(dict.fromkeys(w.lower() for w in FREQUENCY_LISTS["passwords"]))[:count]
    # mtime=0: the same list gives the same bytes, so the file changes only when it does.
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write("\n".join(words).encode() + b"\n")
    print(f"{len(words)} passwords -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
