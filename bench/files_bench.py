"""Files benchmark, through the real HTTP server (`parley serve` in its own process):
upload and download throughput of a 100 MB file, and the time to a thumbnail of a
12-megapixel photo.

    .venv/bin/python -m bench.files_bench                    # local directory storage
    .venv/bin/python -m bench.files_bench --storage s3       # moto S3 server on loopback

The server runs on a throw-away SQLite database and data directory under /tmp. The
client streams the upload from a file and discards the download, so the figures are the
server's (multipart parsing, hashing, spooling, storage) plus loopback HTTP. With
`--storage s3` the bucket is a moto server in this process: its figures measure moto
as much as Parley, and are shown for the code path, not as S3 performance.
Results go to bench/results/files_<storage>.json and the "Files" section of
bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from bench.readme import replace_section

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
MB = 1024 * 1024
PASSWORD = "bench-password-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path, storage_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "PARLEY_DATA_DIR": str(data_dir),
        "PARLEY_PORT": str(port),
        "PARLEY_STORAGE_URL": storage_url,
        "PARLEY_MAX_UPLOAD_BYTES": str(512 * MB),
        "PARLEY_LOG_LEVEL": "warning",
        "PARLEY_ARGON2_TIME_COST": "1",
        "PARLEY_ARGON2_MEMORY_KIB": "1024",
    }
    env.pop("PARLEY_DATABASE_URL", None)
    proc = subprocess.Popen([str(Path(sys.executable).with_name("parley")), "serve"], env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def login(base: str) -> httpx.Client:
    r = httpx.post(
        f"{base}/api/v1/setup",
        json={
            "organization_name": "Bench",
            "username": "admin",
            "password": PASSWORD,
            "display_name": "Bench",
        },
    )
    r.raise_for_status()
    token = r.json()["login"]["token"]
    return httpx.Client(
        base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=300
    )


def make_blob(path: Path, size: int) -> None:
    rng = random.Random(7)
    with path.open("wb") as f:
        for _ in range(size // MB):
            f.write(rng.randbytes(MB))


def photo_12mp(path: Path) -> None:
    """A 4000x3000 JPEG with detail everywhere (a flat colour would decode unfairly fast)."""
    rng = random.Random(3)
    tile = Image.frombytes("RGB", (500, 375), rng.randbytes(500 * 375 * 3))
    img = Image.new("RGB", (4000, 3000))
    for x in range(0, 4000, 500):
        for y in range(0, 3000, 375):
            img.paste(tile, (x, y))
    img = Image.blend(img, Image.linear_gradient("L").resize((4000, 3000)).convert("RGB"), 0.5)
    img.save(path, "JPEG", quality=90)


def renew(path: Path, n: int) -> None:
    """Append byte `n` after the JPEG's end marker: the same picture with new bytes, so its
    upload is stored (and previewed) anew instead of found by its hash."""
    with path.open("ab") as f:
        f.write(bytes([n]))


def upload(client: httpx.Client, path: Path, name: str) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    with path.open("rb") as f:
        r = client.post("/files", files={"file": (name, f, "application/octet-stream")})
    elapsed = time.perf_counter() - started
    assert r.status_code in (200, 201), r.text
    return r.json(), elapsed


def download(client: httpx.Client, file_id: str) -> tuple[int, float]:
    started = time.perf_counter()
    total = 0
    with client.stream("GET", f"/files/{file_id}") as r:
        r.raise_for_status()
        for chunk in r.iter_bytes(MB):
            total += len(chunk)
    return total, time.perf_counter() - started


def run(storage: str, size_mb: int, runs: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="parley-files-bench-"))
    moto = None
    storage_url = ""
    if storage == "s3":
        import boto3
        from moto.server import ThreadedMotoServer

        port = free_port()
        moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        moto.start()
        endpoint = f"http://127.0.0.1:{port}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        ).create_bucket(Bucket="bench")
        storage_url = f"s3://bench:bench@bench?endpoint={endpoint}"
    proc, base = start_server(work / "data", storage_url)
    try:
        client = login(base)
        blob = work / "blob.bin"
        make_blob(blob, size_mb * MB)
        ups, downs = [], []
        for i in range(runs):
            # Each run uploads different bytes: a repeat would hit deduplication.
            with blob.open("r+b") as f:
                f.write(i.to_bytes(8, "big"))
            info, up = upload(client, blob, f"blob-{i}.bin")
            ups.append(size_mb / up)
            total, down = download(client, info["id"])
            assert total == size_mb * MB
            downs.append(size_mb / down)
        photo = work / "photo.jpg"
        photo_12mp(photo)
        thumbs = []
        for i in range(runs):
            renew(photo, i)
            info, _ = upload(client, photo, f"photo-{i}.jpg")
            started = time.perf_counter()
            while True:
                r = client.get(f"/files/{info['id']}/thumbnail")
                if r.status_code == 200:
                    break
                assert r.status_code == 202, r.text
                time.sleep(0.01)
            thumbs.append((time.perf_counter() - started) * 1000)
        return {
            "storage": storage,
            "file_mb": size_mb,
            "runs": runs,
            "upload_mb_s": round(statistics.median(ups), 1),
            "download_mb_s": round(statistics.median(downs), 1),
            "photo_bytes": photo.stat().st_size,
            "thumbnail_ms": round(statistics.median(thumbs)),
            "machine": machine(),
            "python": platform.python_version(),
        }
    finally:
        proc.terminate()
        proc.wait(10)
        if moto is not None:
            moto.stop()
        shutil.rmtree(work, ignore_errors=True)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}"


def render_section(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "## Files",
        "",
        "`bench/files_bench.py`: through the real HTTP server (`parley serve`, SQLite), "
        "client and server on one machine over loopback. Upload = multipart streamed to "
        "the spool while hashed (SHA-256), type sniffed, then stored; download = streamed "
        "from storage. Thumbnail = time from the first GET /thumbnail right after the "
        "upload until it answers 200 (made in the background from upload; WebP, longest "
        "side 320 px). Medians of the runs.",
        "",
        "| storage | file | upload MB/s | download MB/s | 12 MP photo (JPEG) | "
        "thumbnail ms | runs |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results.values():
        lines.append(
            f"| {r['storage']} | {r['file_mb']} MB | {r['upload_mb_s']} | "
            f"{r['download_mb_s']} | {r['photo_bytes'] / MB:.1f} MB | {r['thumbnail_ms']} | "
            f"{r['runs']} |"
        )
    some = next(iter(results.values()), None)
    if some:
        lines += ["", f"Machine: {some['machine']}, Python {some['python']}."]
    if "s3" in results:
        lines += [
            "",
            "The s3 row runs against moto's S3 server (pure Python) in the benchmark "
            "process: it shows the S3 code path works at size, not what a real S3 or "
            "MinIO would do.",
        ]
    lines.append("")
    return "\n".join(lines)


def write_readme() -> None:
    results = {}
    for f in sorted((BENCH / "results").glob("files_*.json")):
        r = json.loads(f.read_text())
        results[r["storage"]] = r
    replace_section("files", render_section(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--storage", choices=["local", "s3"], default="local")
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    result = run(args.storage, args.size_mb, args.runs)
    print(json.dumps(result, indent=2))
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / f"files_{args.storage}.json").write_text(json.dumps(result, indent=2))
    write_readme()


if __name__ == "__main__":
    main()
