"""Preview fairness: how long one user's thumbnail takes while another user has many
large previews queued, against the same thumbnail on an idle server.

    .venv/bin/python -m bench.preview_fairness [--photos 10] [--label after]

Through the real HTTP server (`parley serve`, SQLite, local storage). Alice uploads
`--photos` 12-megapixel JPEGs and opens the preview of each (screen-sized WebP: seconds of
work each); right after, bob uploads a small PNG and polls its thumbnail until it is
there. Results go to bench/results/preview_fairness_<label>.json and the "Preview
fairness" section of bench/README.md (a row per saved label).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from bench.files_bench import (
    BENCH,
    PASSWORD,
    login,
    machine,
    photo_12mp,
    renew,
    start_server,
    upload,
)
from bench.readme import replace_section


def _member(admin: httpx.Client, base: str, name: str) -> httpx.Client:
    body = {"username": name, "password": PASSWORD, "display_name": name.title()}
    admin.post("/users", json=body).raise_for_status()
    r = httpx.post(f"{base}/api/v1/auth/login", json={"login": name, "password": PASSWORD})
    r.raise_for_status()
    headers = {"Authorization": f"Bearer {r.json()['token']}"}
    return httpx.Client(base_url=f"{base}/api/v1", headers=headers, timeout=300)


def _thumbnail_ms(client: httpx.Client, work: Path, seed: int) -> float:
    small = work / f"small-{seed}.png"
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (seed, 30, 30)).save(buf, "PNG")
    small.write_bytes(buf.getvalue())
    info, _ = upload(client, small, small.name)
    started = time.perf_counter()
    while client.get(f"/files/{info['id']}/thumbnail").status_code != 200:
        time.sleep(0.005)
    return (time.perf_counter() - started) * 1000


def run(photos: int) -> dict[str, Any]:
    os.environ["PARLEY_PREVIEW_WAIT_SECONDS"] = "0"  # requests answer 202 at once
    with tempfile.TemporaryDirectory(prefix="parley-fairness-") as tmp:
        work = Path(tmp)
        proc, base = start_server(work / "data", "")
        try:
            admin = login(base)
            alice, bob = _member(admin, base, "alice"), _member(admin, base, "bob")
            idle_ms = _thumbnail_ms(bob, work, 1)
            photo = work / "photo.jpg"
            photo_12mp(photo)
            ids = []
            for i in range(photos):
                renew(photo, i)
                ids.append(upload(alice, photo, f"photo-{i}.jpg")[0]["id"])
            for file_id in ids:
                assert alice.get(f"/files/{file_id}/preview").status_code in (200, 202)
            busy_ms = _thumbnail_ms(bob, work, 2)
            return {
                "photos": photos,
                "idle_ms": round(idle_ms),
                "busy_ms": round(busy_ms),
                "machine": machine(),
            }
        finally:
            proc.terminate()
            proc.wait(10)


def render() -> str:
    rows = []
    for path in sorted(BENCH.glob("results/preview_fairness_*.json"), reverse=True):
        r = json.loads(path.read_text())
        rows.append(f"| {r['label']} | {r['photos']} | {r['idle_ms']} | {r['busy_ms']} |")
    return "\n".join(
        [
            "## Preview fairness",
            "",
            "`bench/preview_fairness.py`: bob's thumbnail (a small PNG, from upload to"
            " 200) on an idle server, and right after alice queued the previews of N"
            " 12-megapixel photos (2 preview workers). before: one first-come queue for"
            " everybody; after: a queue per user, served in turn (`files/fair_slots.py`).",
            "",
            "| build | alice's previews queued | bob's thumbnail, idle (ms) | bob's thumbnail,"
            " alice busy (ms) |",
            "| --- | --- | --- | --- |",
            *rows,
            "",
            "Machine: "
            + json.loads(next(BENCH.glob("results/preview_fairness_*.json")).read_text())["machine"]
            + ", shared with other work: single runs, read the order of magnitude.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.preview_fairness", description=__doc__)
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--label", default="current")
    args = parser.parse_args()
    result = {"label": args.label, **run(args.photos)}
    print(json.dumps(result, indent=2))
    out = BENCH / "results" / f"preview_fairness_{args.label}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    replace_section("preview-fairness", render())


if __name__ == "__main__":
    main()
