"""What a person sees: `quotes serve` in a subprocess, driven by a real headless Chromium.

Needs Debian's chromium and the playwright package (scripts/install_browser.sh installs both).
Screenshots go to build/screenshots/ so a human can look at them.
"""

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).parent.parent / "build" / "screenshots"

if not Path(CHROMIUM).exists():
    pytest.skip("no chromium: run scripts/install_browser.sh (apt-get install chromium)",
                allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(example_db):  # noqa: F811
    """`quotes serve` on a free port; its base URL once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "from quotes.cli import cli; cli()",
         "serve", "--db", str(example_db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if process.poll() is not None:
                pytest.fail(f"quotes serve exited: {process.stdout.read().decode()}")
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def page(server):
    """A browser page that may only talk to our server: the site must work offline."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        outside = []

        def only_local(route):
            if urlparse(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", only_local)
        yield page
        browser.close()
        assert outside == [], f"the site tried to reach the network: {outside}"


def test_search_then_follow_a_speaker(server, page):
    page.goto(f"{server}/quotes/quotes_view")
    assert page.locator("h1").inner_text().startswith("Quotes")
    page.fill("input#_search", "war crimes")
    page.locator("form.filters input[type=submit]").click()
    page.wait_for_url(re.compile(r"_search=war\+crimes"))
    quotes = page.locator("td.col-quote").all_inner_texts()
    assert quotes and all("war" in q.lower() for q in quotes)
    marked = page.locator("td.col-context mark.quote").all_inner_texts()
    assert any("war crimes" in m for m in marked)
    assert page.locator("td.col-context mark.speaker").count() > 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "quotes.png"), full_page=True)

    page.locator("td.col-speaker a", has_text="Kerry").first.click()
    page.wait_for_url(re.compile(r"/quotes/speakers/"))
    assert "Kerry" in page.locator("table.rows-and-columns td.col-name").inner_text()
    page.get_by_role("link", name=re.compile(r"\d+ rows?")).first.click()
    page.wait_for_url(re.compile(r"/quotes/quotes\?speaker_id="))
    assert page.locator("td.col-speaker_name").count() > 0


def test_most_quoted_chart_draws(server, page):
    page.goto(f"{server}/quotes/most_quoted_speakers#g.mark=bar&g.x_column=speaker"
              "&g.x_type=ordinal&g.y_column=quotes&g.y_type=quantitative")
    chart = page.locator(".vega-embed canvas.marks").first
    chart.wait_for(timeout=15000)
    assert chart.bounding_box()["height"] > 50
    page.screenshot(path=str(SCREENSHOTS / "chart.png"), full_page=True)
