"""The web client under its strict Content-Security-Policy, in Debian's Chromium: signing
in, chatting live over the socket and sharing an image work with no CSP violation
reported; and the server's logs of that whole scenario (at debug level) hold neither a
session token nor a password."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port
from tests.e2e.helpers import PASSWORD, add_colleague, set_up
from tests.e2e.test_chat import (  # noqa: F401  (fixtures)
    CHROMIUM,
    DIST,
    PAGE_ERRORS,
    _require,
    browser,
    login,
    new_page,
    send,
    sent,
    shot,
)
from tests.e2e.test_files import make_png, open_chat
from tests.processes import parley_env, parley_serve

GROUP = "Security team"
# Reported by the page itself (a listener added before any of its scripts runs) and by
# Chromium on the console: either way the test sees every blocked load or script.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) =>
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`))
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A real `parley serve` of the built client, logging at debug level to a file."""
    _require((DIST / "index.html").is_file(), "web/dist is missing: run `npm run build` in web/")
    _require(CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install chromium")
    data, port = tmp_path_factory.mktemp("edge"), free_port()
    url, log = f"http://127.0.0.1:{port}", data / "server.log"
    env = parley_env(data, port, web_dist=str(DIST), log_level="debug")

    def answers() -> bool:
        try:
            return httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    with parley_serve(env, log, answers):
        yield url, log


def test_the_built_client_has_no_inline_script() -> None:
    _require((DIST / "index.html").is_file(), "web/dist is missing: run `npm run build` in web/")
    for page in DIST.rglob("*.html"):
        html = page.read_text()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"{page.name}: inline script {tag}"
        assert not re.search(r"\son[a-z]+\s*=", html), f"{page.name}: inline event handler"


def test_client_works_under_its_csp_and_logs_no_secret(browser, served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    url, log = served
    alice = set_up(url)
    bob = add_colleague(alice, "bob", "Bob Li")
    members = {"type": "group", "name": GROUP, "member_ids": [bob.me["id"]]}
    cid = alice.post("/conversations", members)["conversation"]["id"]

    page_headers = httpx.get(f"{url}/c/{cid}").headers
    csp = page_headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", csp)
    assert script_src and script_src.group(1).strip() == "'self'"
    assert "frame-ancestors 'none'" in csp and page_headers["x-frame-options"] == "DENY"
    assert "camera=(self)" in page_headers["permissions-policy"]
    assert page_headers["referrer-policy"] == "same-origin"
    assert page_headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in page_headers  # plain HTTP: HSTS means nothing

    ctx, page = new_page(browser, url)
    messages: list[str] = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda m: messages.append(m.text))
    login(page, "alice", PASSWORD)
    open_chat(page, GROUP)
    send(page, "CSP check 安全检查")
    expect(sent(page, "CSP check 安全检查")).to_have_count(1)
    bob.send(cid, "live over the socket 实时")  # arrives without a reload
    expect(page.get_by_test_id("message-body").filter(has_text="实时")).to_have_count(1)

    photo = tmp_path / "photo.png"
    make_png(photo)
    page.get_by_test_id("attach-input").set_input_files([str(photo)])
    expect(page.locator("[data-test=upload-item][data-status=done]")).to_have_count(1)
    send(page, "the photo")
    mine = page.locator("[data-test=message][data-status=sent]", has_text="the photo")
    expect(mine.get_by_test_id("image-thumb")).to_be_visible()
    page.reload()
    page.get_by_test_id("conversation-list").wait_for()
    shot(page, "security-01-under-csp")

    violations = [m for m in messages if "Content Security Policy" in m or "CSP violation" in m]
    assert violations == [], violations
    assert PAGE_ERRORS == []

    # ---- Nothing secret in the logs of all that.
    secrets = {
        "browser session": next(c["value"] for c in ctx.cookies() if c["name"] == "parley_session"),
        "api session": alice.http.cookies["parley_session"],
        "bob's session": bob.http.cookies["parley_session"],
        "password": PASSWORD,
    }
    ctx.close()
    text = log.read_text()
    assert "POST /api/v1/files" in text and "/api/v1/ws" in text  # the scenario was logged
    leaked = [
        f"{name}: {line[:300]}"
        for name, secret in secrets.items()
        for line in text.splitlines()
        if secret in line
    ]
    assert leaked == [], "found in the server log:\n" + "\n".join(leaked)
