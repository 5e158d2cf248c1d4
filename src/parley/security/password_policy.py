"""What a new password must be: long enough, not one of the passwords everyone uses, and
hard enough to guess by zxcvbn's estimate (which also counts the user's own name and
username as easy guesses). Every password that is set (first-run setup, registration,
an administrator creating an account or resetting a password, changing one's own)
passes here, on the hashing pool (security/passwords.py): zxcvbn costs a few ms.

A refusal is 422 `weak_password` with a `reason` (and its limit) so that clients say why
in the user's language: `too_short`, `too_long`, `common`, `too_guessable`.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

from zxcvbn import zxcvbn

from parley.config import Settings
from parley.core.errors import Invalid

MAX_LENGTH = 256
# zxcvbn's time grows with the length; what lies past this many characters only adds
# strength, so it is not needed for the estimate.
_ESTIMATE_CHARS = 64


@cache
def common_passwords() -> frozenset[str]:
    """The 10,000 most used passwords, lower-cased (tools/make_common_passwords.py)."""
    raw = files("parley.security").joinpath("common_passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(raw).decode().split())


class PasswordPolicy:
    def __init__(self, settings: Settings) -> None:
        self.min_length = settings.password_min_length
        self.min_score = settings.password_min_score

    def check(self, password: str, user_inputs: Sequence[str] = ()) -> None:
        """422 `weak_password` unless `password` is acceptable. `user_inputs` are the
        account's own words (username, name, e-mail), which make a password easy to guess."""
        if len(password) < self.min_length:
            raise _weak(
                f"Password must have at least {self.min_length} characters.",
                "too_short",
                min_length=self.min_length,
            )
        if len(password) > MAX_LENGTH:
            raise _weak(
                f"Password must have at most {MAX_LENGTH} characters.",
                "too_long",
                max_length=MAX_LENGTH,
            )
        if password.lower() in common_passwords():
            raise _weak("This is one of the most used passwords.", "common")
        inputs = [i for i in user_inputs if i]
        estimate = zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=inputs)
        if estimate["score"] < self.min_score:
            warning = estimate["feedback"].get("warning") or "It would be guessed quickly."
            raise _weak(
                f"Password is too easy to guess. {warning}".strip(),
                "too_guessable",
                score=estimate["score"],
                min_score=self.min_score,
            )


def _weak(detail: str, reason: str, **extra: object) -> Invalid:
    return Invalid(detail, code="weak_password", reason=reason, **extra)
