"""Fixtures every browser-test module may override."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def server_env() -> dict[str, str]:
    """Extra PARLEY_* environment for the module's server (`base_url` in test_chat.py);
    override it in a module that needs other settings."""
    return {}
