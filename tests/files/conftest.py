"""Every files test runs on both storage backends: the local directory and S3 (a moto
S3 server on 127.0.0.1, started once per session; no network beyond loopback)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import free_port

S3_KEY = "parley-test"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def storage_url(storage: str, request: pytest.FixtureRequest) -> str:
    if storage == "local":
        return ""
    import boto3

    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"parley-{uuid.uuid4().hex[:12]}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_KEY,
    ).create_bucket(Bucket=bucket)
    return f"s3://{S3_KEY}:{S3_KEY}@{bucket}?endpoint={endpoint}"


@pytest.fixture
def file_settings() -> dict[str, Any]:
    """Override in a test module to tune upload limits and previews."""
    return {}


@pytest.fixture
def settings_overrides(storage_url: str, file_settings: dict[str, Any]) -> dict[str, Any]:
    return {"storage_url": storage_url, **file_settings}
