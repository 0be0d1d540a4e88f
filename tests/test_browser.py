"""What a person sees: `quotes serve` in a subprocess, driven by a real headless Chromium.

Needs Debian's chromium and the playwright package (scripts/install_browser.sh installs both).
Each of the six questions of issue #24 is asked from the home page and its answer checked
against the articles. Screenshots of each page type go to build/screenshots/ (copied to docs/
once looked at).
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

from quotes.db import DEFAULT_MIN_CONFIDENCE, open_db

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


EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def article_texts() -> str:
    """Every example article, to check the site's answers against what the articles say."""
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt")))


@pytest.fixture(scope="module")
def db(example_db):
    return open_db(example_db)


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def search_from_home(page, server, query: str) -> None:
    page.goto(server + "/")
    page.fill("input#q", query)
    page.locator("form.site-search input[type=submit]").click()
    page.wait_for_url(re.compile(r"/search\?q="))


def shown_quotes(page) -> list[dict]:
    """Each quote of a list as shown: its text (or paragraph) and its speaker's name."""
    items = page.locator("li.quote-item")
    return [{"text": items.nth(i).locator("blockquote").inner_text(),
             "speaker": items.nth(i).locator("a.speaker-link").all_inner_texts()}
            for i in range(items.count())]


def trusted(db, condition: str, params: list) -> list[dict]:
    return list(db.query(f"select * from quotes where {condition} and confidence >= ? "
                         "and coalesce(cue_type, '') not in ('stance', 'question')", [*params, DEFAULT_MIN_CONFIDENCE]))


def test_what_lavrov_said_about_aleppo(server, page, db, article_texts):
    """One search: his quotes that name Aleppo, his first."""
    search_from_home(page, server, "Lavrov Aleppo")
    found = shown_quotes(page)
    assert page.locator("section.matching-speakers a", has_text="Sergei Lavrov").count() == 1
    lavrov = next(db.query("select id from speakers where name = 'Sergei Lavrov'"))["id"]
    his = trusted(db, "speaker_id = ? and text like '%Aleppo%'", [lavrov])
    assert his and [q["speaker"] for q in found[:len(his)]] == [["Sergei Lavrov"]] * len(his)
    for quote in found[:len(his)]:
        assert "Aleppo" in quote["text"] and quote["text"] in article_texts
    assert {q["text"] for q in his} == {q["text"] for q in found[:len(his)]}
    shot(page, "search")


def test_who_called_something_a_war_crime(server, page, article_texts):
    """One search, in the singular: the quotes say "war crimes"."""
    search_from_home(page, server, "war crime")
    found = shown_quotes(page)
    assert any(q["speaker"] == ["John Kerry"] for q in found)
    assert all(re.search(r"war crimes?\b", q["text"]) and q["text"] in article_texts for q in found)
    assert page.locator("mark.term", has_text="crimes").count() > 0


def test_who_spoke_for_the_russian_defense_ministry(server, page, db, article_texts):
    """One search: the ministry among the speakers, who spoke for it, and its statements."""
    search_from_home(page, server, "Russian Defense Ministry")
    ministry = next(db.query("select id from speakers where name = 'Russian Defense Ministry'"))["id"]
    people = {r["name"] for r in db.query("select s.name from affiliations f join speakers s "
                                          "on s.id = f.speaker_id where f.organization_id = ?", [ministry])}
    entry = page.locator("section.matching-speakers li", has=page.locator("a", has_text="Russian Defense Ministry"))
    spokespeople = entry.first.locator("span.spokespeople")
    assert set(spokespeople.locator("a").all_inner_texts()) == people
    if not people:
        assert "no person named in these articles" in spokespeople.inner_text()
    expected = trusted(db, "speaker_id = ?", [ministry])
    statements = shown_quotes(page)[:len(expected)]
    assert expected and [s["speaker"] for s in statements] == [["Russian Defense Ministry"]] * len(expected)
    assert sorted(s["text"] for s in statements) == sorted(q["text"] for q in expected)
    for quote in expected:  # each said by the ministry in its article's words
        article = next(db.query("select text from articles where id = ?", [quote["article_id"]]))["text"]
        assert quote["text"] in article_texts
        assert "Defense Ministry" in article[quote["context_start"]:quote["context_end"]]


def test_kerrys_roles_over_time(server, page, db, article_texts):
    """One click from the home page: every role he was given, with its article and date."""
    page.goto(server + "/")
    page.locator("table.bars a", has_text="John Kerry").click()
    page.wait_for_url(re.compile(r"/quotes/speakers/"))
    kerry = next(db.query("select id from speakers where name = 'John Kerry'"))["id"]
    roles = db.query("select role, published from roles where speaker_id = ?", [kerry])
    shown = page.locator("section.roles li").all_inner_texts()
    for role in roles:
        assert role["role"] in article_texts
        line = next(line for line in shown if line.startswith((role["role"] + ":", role["role"] + ",")))
        assert (role["published"] or "undated") in line


def test_unnamed_sources(server, page, db, article_texts):
    """One click: the quotes from unnamed sources, the uncertain ones hidden."""
    page.goto(server + "/")
    page.get_by_role("link", name="Quotes from unnamed sources").click()
    page.wait_for_url(re.compile(r"speaker_type=unnamed"))
    expected = trusted(db, "speaker_type = 'unnamed'", [])
    assert page.locator("td.col-speaker_type").all_inner_texts() == ["unnamed"] * len(expected)
    assert sorted(page.locator("td.col-quote").all_inner_texts()) == sorted(q["text"] for q in expected)
    assert all(q["text"] in article_texts for q in expected)
    assert page.get_by_role("link", name="Show everything").count() == 1
    shot(page, "quotes")


def test_everything_de_mistura_said(server, page, db, article_texts):
    """One click: his page, every quote attributed to him, newest first."""
    page.goto(server + "/")
    page.locator("table.bars a", has_text="Staffan de Mistura").click()
    page.wait_for_url(re.compile(r"/quotes/speakers/"))
    mistura = next(db.query("select id from speakers where name = 'Staffan de Mistura'"))["id"]
    shown = shown_quotes(page)
    expected = trusted(db, "speaker_id = ?", [mistura])
    assert len(shown) == len(expected) > 0
    marked = page.evaluate("""() => Array.from(document.querySelectorAll('li.quote-item mark'))
        .filter(m => m.classList.contains('quote')).map(m => m.textContent).join('')""")
    assert all(q["text"] in marked and q["text"] in article_texts for q in expected)


def test_lavrovs_page(server, page, db):
    lavrov = next(db.query("select id from speakers where name = 'Sergei Lavrov'"))["id"]
    page.goto(f"{server}/quotes/speakers/{lavrov}")
    assert page.title() == "Sergei Lavrov"
    assert page.locator("h1").inner_text() == "Sergei Lavrov"
    assert "Russian Foreign Minister" in page.locator("section.roles").inner_text()
    assert "Sergey Lavrov" in page.locator("p.aliases").inner_text()
    titles = {r["title"] for r in db.query("select distinct a.title from quotes q join articles a "
                                           "on a.id = q.article_id where q.speaker_id = ? and a.title is not null",
                                           [lavrov])}
    assert titles and titles <= set(page.locator("li.quote-item a.article-link").all_inner_texts())
    shot(page, "speaker")
    page.locator("li.quote-item a.quote-link").first.click()
    page.wait_for_url(re.compile(r"/quotes/quotes/"))
    assert page.locator("h1").inner_text() == "Sergei Lavrov"
    assert page.locator("blockquote mark.quote").count() > 0
    shot(page, "quote")


def test_article_page_highlights_every_quote(server, page, db):
    article_id = "003_cd5996b88a391c0c"
    page.goto(f"{server}/quotes/articles/{article_id}")
    marked = page.evaluate("""() => Array.from(document.querySelectorAll('.article-body mark'))
        .filter(m => m.classList.contains('quote')).map(m => m.textContent).join('')""")
    quotes = list(db.query("select text from quotes where article_id = ?", [article_id]))
    assert quotes and all(q["text"] in marked for q in quotes)
    assert page.locator(".article-body mark.cue").count() > 0
    assert page.locator(".article-body mark.speaker").count() > 0
    styles = {label: page.locator(f".article-body mark.{label}").first.evaluate(
        "m => getComputedStyle(m).backgroundColor + getComputedStyle(m).textDecorationLine")
        for label in ("quote", "speaker", "cue")}
    assert len(set(styles.values())) == 3
    assert page.locator("h1").inner_text().startswith("Reuters: ")
    shot(page, "article")


def test_charts_draw(server, page, db):
    page.goto(f"{server}/quotes/most_quoted_speakers")
    counts = [int(n) for n in page.locator("table.chart-most-quoted .count").all_inner_texts()]
    assert counts and counts == sorted(counts, reverse=True)
    assert page.locator("table.chart-most-quoted .bar").first.bounding_box()["width"] > 50
    shot(page, "chart")
    page.goto(f"{server}/quotes/quotes_over_time")
    assert page.locator("table.over-time .vbar").count() > 0
    assert "come from undated articles and are not shown" in page.locator(".undated-note").inner_text()
    shot(page, "over-time")
    page.goto(server + "/")
    shot(page, "home")
