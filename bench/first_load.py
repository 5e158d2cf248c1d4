"""First-load benchmark of the web client: what a browser with an empty cache downloads
to show the login page and, signed in, the chat list, and how long that takes.

    .venv/bin/python -m bench.first_load [--runs 5] [--label after]

Serves the built client (`web/dist`, build it first) with `parley serve` on a throw-away
SQLite database, and loads it in Debian's Chromium (Playwright) over loopback, each run
in a fresh browser context (empty HTTP cache). Bytes come from the page's Resource
Timing entries: `encodedBodySize` (as sent, compressed when the server compressed) and
`decodedBodySize` (after decoding). Time is from navigation start to the page being
usable (login form, or chat list). Results go to bench/results/first_load_<label>.json
and the "Web client first load" section of bench/README.md (rows of every saved label).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
from pathlib import Path
from typing import Any

from bench.files_bench import PASSWORD, login, start_server
from bench.readme import replace_section

BENCH = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
SCREENS = {"login": ("/login", "login-submit"), "chats": ("/", "conversation-list")}
# Loopback, and a branch office's share of a WAN link (Chromium's throttling: bytes/s).
NETWORKS: dict[str, dict[str, float] | None] = {
    "loopback": None,
    "10 Mbit/s, 40 ms": {"latency": 40, "downloadThroughput": 1.25e6, "uploadThroughput": 1.25e6},
}

# Sums the page's own resources by kind; runs in the page (no string eval: CSP).
_MEASURE = """(ready) => {
  const nav = performance.getEntriesByType('navigation')[0]
  const sum = { js: [0, 0, 0], css: [0, 0, 0], html: [0, 0, 0] }
  const add = (kind, e) => {
    sum[kind][0] += e.encodedBodySize; sum[kind][1] += e.decodedBodySize; sum[kind][2] += 1
  }
  add('html', nav)
  for (const e of performance.getEntriesByType('resource')) {
    if (e.name.endsWith('.js')) add('js', e)
    else if (e.name.endsWith('.css')) add('css', e)
  }
  return { sum, ms: ready - nav.startTime }
}"""


def measure(
    browser: Any, base: str, state: Any, screen: str, network: dict[str, float] | None
) -> dict[str, Any]:
    path, test_id = SCREENS[screen]
    ctx = browser.new_context(base_url=base, storage_state=state)
    page = ctx.new_page()
    if network:
        cdp = ctx.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **network})
    page.goto(path)
    page.locator(f"[data-test={test_id}]").first.wait_for()
    ready = page.evaluate("() => performance.now()")
    found = page.evaluate(_MEASURE, ready)
    ctx.close()
    return found


def run(runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="parley-first-load-") as tmp:
        proc, base = start_server(Path(tmp), "")
        try:
            login(base).close()  # creates the organisation and its admin
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM, args=["--headless", "--no-sandbox"]
                )
                ctx = browser.new_context(base_url=base)
                page = ctx.new_page()
                page.goto("/login")
                page.fill("[data-test=login-name] input, input[data-test=login-name]", "admin")
                page.fill(
                    "[data-test=login-password] input, input[data-test=login-password]", PASSWORD
                )
                page.click("[data-test=login-submit]")
                page.locator("[data-test=conversation-list]").wait_for()
                signed_in = ctx.storage_state()
                ctx.close()
                samples = {
                    f"{screen} ({name})": [
                        measure(browser, base, state, screen, network) for _ in range(runs)
                    ]
                    for screen, state in (("login", None), ("chats", signed_in))
                    for name, network in NETWORKS.items()
                }
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    return {screen: _summary(found) for screen, found in samples.items()}


def _summary(found: list[dict[str, Any]]) -> dict[str, Any]:
    first = found[0]["sum"]  # bytes do not vary between runs
    return {
        **{f"{kind}_{i}": first[kind][n] for kind in first for n, i in enumerate(("sent", "raw"))},
        **{f"{kind}_files": first[kind][2] for kind in first},
        "ms": round(statistics.median(f["ms"] for f in found)),
        "runs": len(found),
    }


def _kb(n: int) -> str:
    return f"{n / 1024:.0f}"


def render() -> str:
    rows = []
    saved_runs = BENCH.glob("results/first_load_*.json")
    for path in sorted(saved_runs, key=lambda p: (p.stem != "first_load_before", p.stem)):
        saved = json.loads(path.read_text())
        for screen, r in saved["screens"].items():
            rows.append(
                f"| {saved['label']} | {screen} | {_kb(r['js_sent'])} / {_kb(r['js_raw'])} "
                f"({r['js_files']}) | {_kb(r['css_sent'])} / {_kb(r['css_raw'])} "
                f"({r['css_files']}) | {_kb(r['html_sent'])} | {r['ms']} | {r['runs']} |"
            )
    return "\n".join(
        [
            "## Web client first load",
            "",
            "`bench/first_load.py`: the built client served by `parley serve` (SQLite), loaded"
            " in Debian's Chromium over loopback with an empty cache: the login page"
            " (anonymous) and the chat list (signed in), on loopback and throttled by Chromium"
            " to 10 Mbit/s with 40 ms latency. KB sent / KB after decoding (files); ms ="
            " navigation start to the screen being usable, median of the runs.",
            "",
            "- before: Element Plus registered whole (`app.use(ElementPlus)` and its full"
            " stylesheet in the entry), assets sent uncompressed;",
            "- after: Element Plus components imported where templates use them"
            " (unplugin-vue-components), brotli/gzip copies written at build time and sent by"
            " Accept-Encoding (`web_client.py`); routes were already lazy chunks.",
            "",
            "| build | screen | JS KB sent / raw (files) | CSS KB sent / raw (files)"
            " | HTML KB | ms | runs |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            *rows,
            "",
            f"Machine: 2 cores, Linux {platform.release()}, Chromium (Debian). On loopback the"
            " times are parsing and start-up work, and vary by ±30% with the load of the other"
            " processes sharing the 2 cores; throttled, the bytes sent dominate.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.first_load", description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--label", default="current", help="names the build in the table")
    args = parser.parse_args()
    screens = run(args.runs)
    out = BENCH / "results" / f"first_load_{args.label}.json"
    out.write_text(json.dumps({"label": args.label, "screens": screens}, indent=2) + "\n")
    print(json.dumps(screens, indent=2))
    replace_section("first-load", render())


if __name__ == "__main__":
    main()
