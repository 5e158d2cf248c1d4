"""Several Janus servers: each room is placed on one that answers; one that is down is
skipped, and browsers are sent to the public URL of the server that holds their room."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.calls.janus_sfu import Janus, running_janus
from tests.calls.test_meetings import start
from tests.calls.test_meetings_unavailable import closed_port
from tests.helpers import Server, create_group, create_user, setup_admin


@pytest.fixture(scope="module")
def janus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Janus]:
    with running_janus(tmp_path_factory.mktemp("janus")) as server:
        yield server


@pytest.fixture
def settings_overrides(janus: Janus) -> dict[str, Any]:
    down = f"http://127.0.0.1:{closed_port()}/janus"
    return {
        **janus.parley_settings(),
        "janus_url": [down, janus.outer_url],
        "janus_public_url": ["https://janus-down.example.test/janus", janus.inner_url],
    }


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_rooms_go_to_a_server_that_answers(server: Server, janus: Janus) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    a = await alice.ws()
    for name in ("一组", "二组"):
        joined = await start(a, await create_group(alice, bob, name=name))
        assert joined["janus"]["url"] == janus.inner_url
        assert await janus.room_exists(joined["janus"]["room"])
