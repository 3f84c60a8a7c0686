"""A real server for the browser tests: `tablee serve` on a throwaway SQLite database with the demo loaded.

The server runs as a subprocess exactly as in production (gunicorn, whitenoise); the tests drive
Debian's chromium through Playwright and read the database file directly to check what changed.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TABLEE = Path(sys.executable).with_name("tablee")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "tablee-demo"
ORGANIZER = "organisatrice@demo.tablee.ca"
MEMBER = "marie.tremblay@demo.tablee.ca"
NEWCOMER = "jean-francois.gagnon@demo.tablee.ca"  # not yet signed up for the upcoming breakfast
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
# The narrowest phone the pages are walked at (an iPhone SE / mini): nothing may scroll sideways.
NARROW = {**PHONE, "viewport": {"width": 375, "height": 812}}
DESKTOP = {"viewport": {"width": 1280, "height": 860}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, db_path: Path):
        self.url = url
        self.db_path = db_path

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with sqlite3.connect(self.db_path, timeout=30) as conn:
            return conn.execute(sql, params).fetchall()

    def user_id(self, email: str) -> int:
        """Pages name people by id (their address is not shown to others)."""
        return self.query("SELECT id FROM members_user WHERE email = ?", (email,))[0][0]


@contextlib.contextmanager
def demo_server(data: Path, *, setup: str | None = None, worker: bool = False, threads: int = 8):
    """`tablee serve` (and `tablee worker` if asked) on a fresh SQLite database holding the demo.

    ``setup`` is Python run with `tablee manage shell -c` after the demo; what it prints is kept on
    ``server.setup_output``. The processes are stopped when the block ends.
    """
    db_path = data / "db.sqlite3"
    port = _free_port()
    env = {**os.environ, "TABLEE_DEBUG": "1", "TABLEE_DATA_DIR": str(data),
           "DATABASE_URL": f"sqlite:///{db_path}", "TABLEE_SITE_URL": f"http://127.0.0.1:{port}",
           "PORT": str(port), "EMAIL_URL": f"file://{data / 'mail'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([str(TABLEE), "-v", "0", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    subprocess.run([str(TABLEE), "demo"], env=env, check=True, capture_output=True, timeout=300)
    setup_output = ""
    if setup:
        setup_output = subprocess.run([str(TABLEE), "manage", "shell", "-c", setup], env=env, check=True,
                                      capture_output=True, text=True, timeout=120).stdout
    log = open(data / "server.log", "wb")  # noqa: SIM115 — closed below after the processes stop
    commands = [[str(TABLEE), "serve", "--port", str(port), "--workers", "1", "--threads", str(threads)]]
    if worker:
        commands.append([str(TABLEE), "worker"])
    processes = [subprocess.Popen(c, env=env, stdout=log, stderr=subprocess.STDOUT) for c in commands]
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if any(p.poll() is not None for p in processes) or time.monotonic() > deadline:
                raise RuntimeError(f"tablee serve did not start:\n{(data / 'server.log').read_text()[-3000:]}")
            time.sleep(0.2)
        server = Server(url, db_path)
        server.setup_output = setup_output
        yield server
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("tablee-browser")) as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """``open_page(server, device)``: a page in a fresh browser context (its own cookies) on one of
    the test servers, phone or desktop; every context is closed after the test. The session's
    browser is shared: a second Playwright in the same thread cannot start.

    ``bypass_csp``: for axe-core, injected as an inline script, which the app's CSP rightly refuses."""
    contexts = []

    def make(server: Server, device: dict | None = None, *, locale: str = "fr-CA", bypass_csp: bool = False,
             timeout_ms: int = 20_000):
        context = browser.new_context(base_url=server.url, locale=locale, bypass_csp=bypass_csp,
                                      **(device or DESKTOP))
        context.set_default_timeout(timeout_ms)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(open_page, server):
    """A page on the session's demo server: ``new_page(PHONE)``, desktop by default."""

    def make(device: dict | None = None, locale: str = "fr-CA"):
        return open_page(server, device, locale=locale, timeout_ms=10_000)

    return make


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/gatherings/")


def page_overflow(page) -> int:
    """How far the page scrolls sideways, in CSS pixels (0 or less: it fits the window)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
