"""Every upload is scanned by a real clamd (PARLEY_CLAMD) before it can be stored or
attached: an infected file is refused (422 `file_infected`), never stored, and reported
to administrators; a scanner that is down refuses uploads, or lets them through when
PARLEY_CLAMD_FAIL_OPEN says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port
from tests.files.clamd import EICAR, SIGNATURE, running_clamd
from tests.files.support import blob_keys, file_rows, spooled, upload, upload_raw
from tests.helpers import Server, create_user, problem, setup_admin


@pytest.fixture(scope="module")
def clamd_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_clamd(tmp_path_factory.mktemp("clamd")) as url:
        yield url


@pytest.fixture
def storage() -> str:
    return "local"


@pytest.fixture
def file_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("scanner")
    if marker and marker.args[0] == "down":
        # A port nothing listens on: clamd stopped or unreachable.
        return {"clamd": f"tcp://127.0.0.1:{free_port()}", **marker.kwargs}
    return {"clamd": request.getfixturevalue("clamd_url")}


async def test_an_infected_upload_is_refused_and_reported(server: Server, tmp_path: Path) -> None:
    admin = await setup_admin(server)
    bob = await create_user(admin, "bob")
    clean = await upload(bob, "notes.txt", "会议纪要：周五发布".encode())
    assert clean["size"] > 0
    blobs, rows = blob_keys(server), await file_rows(server)

    for name, data in (("eicar.com", EICAR), ("report.txt", b"Quarterly\n" + EICAR + b"\nend")):
        body = problem(await upload_raw(bob, name, data), 422, "file_infected")
        assert body["signature"].startswith(SIGNATURE)
        assert name in body["detail"] and "malware" in body["detail"]
    # Nothing of it was kept: no blob, no row, no spool file, no byte on disk.
    assert blob_keys(server) == blobs and await file_rows(server) == rows
    assert spooled(server) == []
    assert _files_holding(tmp_path, EICAR) == []

    alerts = (await admin.get("/security/alerts")).json()["items"]
    infected = [a for a in alerts if a["kind"] == "file_infected"]
    assert len(infected) == 2 and {a["user_id"] for a in infected} == {bob.user_id}
    assert "eicar.com" in infected[-1]["detail"] or "eicar.com" in infected[0]["detail"]
    # Members do not see alerts.
    problem(await bob.get("/security/alerts"), 403, "permission_required")


@pytest.mark.scanner("down")
async def test_with_the_scanner_down_uploads_are_refused(server: Server) -> None:
    admin = await setup_admin(server)
    r = await upload_raw(admin, "notes.txt", b"plain notes")
    body = problem(r, 503, "scanner_unavailable")
    assert r.headers["retry-after"] == "30" and "virus" in body["detail"]
    assert await file_rows(server) == 0


@pytest.mark.scanner("down", clamd_fail_open=True)
async def test_failing_open_accepts_uploads_unscanned(server: Server) -> None:
    admin = await setup_admin(server)
    assert (await upload(admin, "notes.txt", b"plain notes"))["name"] == "notes.txt"


def _files_holding(root: Path, data: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and data in p.read_bytes()]
