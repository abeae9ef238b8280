"""A real Chromium (Debian's, at /usr/bin/chromium) driving the console on a live server.

Every page runs under route interception: a request to any host but the test server is
aborted and recorded, and the test fails if there was one. ``ATELIER_CONSOLE_SCREENSHOTS=DIR``
writes a screenshot of each page into DIR (``docs/console`` for the README)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers.live import LiveServer

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = os.environ.get("ATELIER_CONSOLE_SCREENSHOTS")

playwright_sync = pytest.importorskip("playwright.sync_api")


@dataclass
class Browsing:
    """Opens pages against one live server and records what they asked of other hosts."""

    browser: object
    server: LiveServer
    foreign: list[str] = field(default_factory=list)

    def context(self, **options: object):  # type: ignore[no-untyped-def]
        context = self.browser.new_context(  # type: ignore[attr-defined]
            base_url=self.server.url, viewport={"width": 1180, "height": 820}, **options
        )
        own = urlsplit(self.server.url).netloc

        def guard(route) -> None:  # type: ignore[no-untyped-def]
            parts = urlsplit(route.request.url)
            if parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc != own:
                self.foreign.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        context.route("**/*", guard)
        return context

    def shoot(self, page, name: str) -> None:  # type: ignore[no-untyped-def]
        if not SCREENSHOTS:
            return
        target = Path(SCREENSHOTS)
        target.mkdir(parents=True, exist_ok=True)
        raw = target / f"{name}.raw.png"
        page.screenshot(path=str(raw), full_page=False)
        from PIL import Image

        with Image.open(raw) as image:  # a palette PNG: a tenth of the size, still legible
            image.convert("RGB").quantize(colors=128).save(target / f"{name}.png", optimize=True)
        raw.unlink()


@pytest.fixture
def browsing(live_server: LiveServer) -> Iterator[Browsing]:
    """Per test, and only once the server is up: Playwright's sync API keeps an event loop
    running in this thread, and the database fixtures must run theirs first."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        browsing = Browsing(browser, live_server)
        try:
            yield browsing
        finally:
            browser.close()
    assert browsing.foreign == [], f"pages requested other hosts: {browsing.foreign}"
