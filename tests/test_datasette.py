"""The published site: the real Datasette app (metadata.yml, display plugin) over a database
built by the real pipeline and speaker registry from the example articles."""

import asyncio
import html
import re
import sqlite3
from pathlib import Path

import pytest
import yaml

from quotes.db import DEFAULT_MIN_CONFIDENCE, ensure_db_shape, open_db, trusted
from quotes.publish import METADATA_PATH, make_datasette

README = Path(__file__).parent.parent / "README.md"
TRUSTED = "confidence >= ? and coalesce(cue_type, '') not in ('stance', 'question')"


@pytest.fixture(scope="session")
def ds(example_db):
    return make_datasette(example_db)


def get(ds, path: str):
    response = asyncio.run(ds.client.get(path))
    assert response.status_code == 200, (path, response.text[:500])
    return response


def rows(ds, path: str) -> list[dict]:
    separator = "&" if "?" in path else "?"
    return get(ds, f"{path}{separator}_shape=array").json()


def speaker(ds, surname: str) -> dict:
    """The registry's speaker for a surname, found through the speakers full-text index."""
    found = [s for s in rows(ds, f"/quotes/speakers.json?_search={surname}")
             if s["type"] == "person" and s["name"].endswith(surname)]
    assert len(found) == 1, found
    return found[0]


def test_search_finds_kerrys_war_crimes_quote(ds):
    found = rows(ds, "/quotes/quotes_view.json?_search=war+crimes")
    assert found and all("war" in r["quote"].lower() for r in found)
    kerry = [r for r in found if r["speaker"] and "Kerry" in r["speaker"]]
    assert any("war crimes investigation" in r["quote"] for r in kerry)
    assert all(r["context"] and r["quote"] in r["context"] for r in found)


def test_speaker_facet_lists_lavrov(ds):
    lavrov = speaker(ds, "Lavrov")
    facets = get(ds, "/quotes/quotes_view.json").json()["facet_results"]
    assert {"speaker", "role", "kind", "outlet", "published"} <= set(facets)
    counts = {f["value"]: f["count"] for f in facets["speaker"]["results"]}
    assert counts[lavrov["name"]] == lavrov["quote_count"] > 0


def test_whole_archive_facets_are_the_stored_counts(ds):
    """Default facets on the whole archive come from facet_counts, counted at ingest: they
    must equal what grouping every quote gives (a facet asked for by name runs live)."""
    stored = get(ds, "/quotes/quotes_view.json").json()["facet_results"]
    for column in ("speaker", "kind", "outlet", "published"):
        live = get(ds, f"/quotes/quotes_view.json?_facet={column}").json()["facet_results"][column]
        assert [(f["value"], f["count"]) for f in stored[column]["results"]] == \
            [(f["value"], f["count"]) for f in live["results"]]
        assert stored[column]["results"]


def test_default_facets_wait_for_a_narrow_page(ds, monkeypatch):
    """On a large archive a filtered page shows default facets only once it is narrow."""
    from datasette.plugins import pm

    narrow = next(k for classes in pm.hook.register_facet_classes() for k in classes
                  if k.type == "narrow")
    lavrov = speaker(ds, "Lavrov")
    broad = get(ds, "/quotes/quotes_view.json?kind=direct").json()
    assert lavrov["quote_count"] < broad["filtered_table_rows_count"]
    monkeypatch.setitem(narrow.facet_results.__globals__, "MAX_ROWS", lavrov["quote_count"])
    assert get(ds, "/quotes/quotes_view.json?kind=direct").json()["facet_results"] == {}
    filtered = get(ds, f"/quotes/quotes_view.json?speaker_id={lavrov['id']}").json()["facet_results"]
    assert {"speaker", "role", "kind", "outlet", "published"} <= set(filtered)
    # Asked for by name, a facet runs on any page, and is shown once on narrow pages.
    asked = get(ds, "/quotes/quotes_view.json?kind=direct&_facet=speaker").json()["facet_results"]
    assert set(asked) == {"speaker"}
    asked = get(ds, f"/quotes/quotes_view.json?speaker_id={lavrov['id']}&_facet=kind").json()
    assert "kind_2" not in asked["facet_results"] and "kind" in asked["facet_results"]


def test_quotes_by_speaker_matches_every_alias(ds):
    lavrov = speaker(ds, "Lavrov")
    aliases = [a["alias"] for a in rows(ds, f"/quotes/aliases.json?speaker_id={lavrov['id']}")]
    assert "Lavrov" in aliases and len(aliases) >= 2
    for alias in aliases + [lavrov["name"].upper()]:
        found = rows(ds, f"/quotes/quotes_by_speaker.json?name={alias}")
        assert len(found) == lavrov["quote_count"]
        assert {r["speaker_id"] for r in found} == {lavrov["id"]}


def test_who_said_finds_an_exact_phrase(ds):
    found = rows(ds, "/quotes/who_said.json?phrase=war+crimes")
    assert any("Kerry" in (r["speaker"] or "") for r in found)
    assert all("war crimes" in r["quote"].lower() for r in found)
    # Quote marks in the phrase are taken literally, not as FTS syntax.
    assert rows(ds, '/quotes/who_said.json?phrase="war') == rows(ds, "/quotes/who_said.json?phrase=war")


def test_speaker_roles_over_time(ds):
    kerry = speaker(ds, "Kerry")
    roles = rows(ds, "/quotes/speaker_roles.json?name=Kerry")
    assert any("Secretary of State" in r["role"] for r in roles)
    assert roles == rows(ds, f"/quotes/speaker_roles.json?name={kerry['name']}")
    dates = [r["published"] or "" for r in roles]
    assert dates == sorted(dates)


def test_article_speakers(ds, example_db):
    db = open_db(example_db)
    article_id = next(db.query("select article_id from quotes_view where speaker like '%Kerry' "
                               "and quote like '%war crimes%'"))["article_id"]
    found = rows(ds, f"/quotes/article_speakers.json?article_id={article_id}")
    assert any("Kerry" in (r["speaker"] or "") for r in found)
    assert sum(r["quotes"] for r in found) == db["quotes"].count_where("article_id = ?", [article_id])


def test_quotes_between_two_dates(ds, example_db):
    quote = next(open_db(example_db).query(
        "select id, quote, published from quotes_view where published is not null "
        "and length(quote) > 30 order by id"))
    term = " ".join(re.findall(r"\w+", quote["quote"])[:3])
    day = quote["published"][:10]
    inside = rows(ds, f"/quotes/quotes_between.json?term={term}&start={day}&end={day}")
    assert quote["id"] in {r["id"] for r in inside}
    after = rows(ds, f"/quotes/quotes_between.json?term={term}&start=2999-01-01&end=2999-12-31")
    assert after == []


def test_context_highlights_quote_and_speaker(ds):
    html = get(ds, "/quotes/quotes_view?_search=war+crimes").text
    assert re.search(r'<mark class="quote"[^>]*>[^<]*war crimes', html)
    assert re.search(r'<mark class="speaker"[^>]*>[^<]*Kerry</mark>', html)


def test_speaker_cells_link_to_the_speaker_page(ds):
    lavrov = speaker(ds, "Lavrov")
    html = get(ds, "/quotes/quotes_view?speaker_id=" + lavrov["id"]).text
    assert f'<a href="/quotes/speakers/{lavrov["id"]}">{lavrov["name"]}</a>' in html
    for table in ("speakers", "speakers_view"):
        listing = get(ds, f"/quotes/{table}?id={lavrov['id']}").text
        assert f'<a href="/quotes/speakers/{lavrov["id"]}">{lavrov["name"]}</a>' in listing


def test_article_text_is_escaped_on_every_page(tmp_path, build_db, kerry_extraction):
    text = kerry_extraction().article.text.replace(
        "U.S. Secretary of State", "U.S. <script>alert('owned')</script> Secretary of State", 1)
    text = "<img src=x onerror=alert(1)> " + text
    extraction = kerry_extraction(text)
    article = extraction.article.model_copy(update={"url": "javascript:alert(1)"})
    build_db(tmp_path / "quotes.db", [extraction.model_copy(update={"article": article})])
    ds = make_datasette(tmp_path / "quotes.db")
    db = open_db(tmp_path / "quotes.db")
    quote_id = next(db.query("select id from quotes where text like '%war crimes%'"))["id"]
    speaker_id = next(db.query("select id from speakers"))["id"]
    for path in ("/quotes/quotes_view", "/", "/quotes/articles/003", f"/quotes/quotes/{quote_id}",
                 f"/quotes/speakers/{speaker_id}", "/search?q=war+crimes", "/search?q=<script>"):
        page = get(ds, path).text
        assert "<script>alert(" not in page and "<img src=x" not in page, path
        assert 'href="javascript:' not in page, path
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in get(ds, "/quotes/quotes_view").text


def test_json_api_shapes(ds):
    array = rows(ds, "/quotes/quotes_view.json?_size=2")
    assert len(array) == 2 and {"quote", "speaker", "role", "article", "published", "context"} <= set(array[0])
    objects = get(ds, "/quotes/speakers.json?_shape=objects").json()["rows"]
    assert objects[0]["quote_count"] == max(s["quote_count"] for s in objects)


def test_chart_queries(ds, example_db):
    top = rows(ds, "/quotes/most_quoted_speakers.json")
    assert [t["quotes"] for t in top] == sorted((t["quotes"] for t in top), reverse=True)
    assert top[0]["quotes"] == max(s["quote_count"] for s in rows(ds, "/quotes/speakers.json"))
    over_time = rows(ds, "/quotes/quotes_over_time.json")
    assert over_time and {r["speaker"] for r in over_time} <= {t["speaker"] for t in top}
    dated = dict(open_db(example_db).execute(
        "select s.name, count(*) from quotes q join speakers s on s.id = q.speaker_id "
        "where q.published is not null group by s.name").fetchall())
    for name in {r["speaker"] for r in over_time}:
        assert sum(r["quotes"] for r in over_time if r["speaker"] == name) == dated[name]
    # Drawn by the page itself, longest bar first, each name a link to the speaker.
    html = get(ds, "/quotes/most_quoted_speakers").text
    drawn = re.findall(r'<a href="/quotes/speakers/(\w+)">[^<]*</a></th>\s*<td><span class="bar" '
                       r'style="width: ([\d.]+)%"></span> <span class="count">(\d+)</span>', html)
    assert [(speaker_id, int(n)) for speaker_id, _, n in drawn] == [(t["speaker_id"], t["quotes"]) for t in top]
    assert float(drawn[0][1]) == 100
    undated = open_db(example_db).execute(
        "select count(*) from quotes where published is null and speaker_id in "
        "(select id from speakers order by quote_count desc, name limit 10)").fetchone()[0]
    note = re.search(r"(\d+) of (\d+) quotes by these speakers come from undated articles",
                     get(ds, "/quotes/quotes_over_time").text)
    assert undated and int(note[1]) == undated


def test_metadata_describes_every_column(example_db):
    db = open_db(example_db)
    tables = yaml.safe_load(METADATA_PATH.read_text())["databases"]["quotes"]["tables"]
    for name, table in tables.items():
        assert table.get("description") or table.get("description_html"), name
        if "columns" in table:
            assert set(table["columns"]) == set(db[name].columns_dict), name


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.db: no such database"):
        make_datasette(tmp_path / "missing.db")


def readme_json_urls() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## JSON API")[1].split("\n## ")[0]
    return re.findall(r"^- `(/quotes/[^`]+)`", section, re.MULTILINE)


def copy_db(source: Path, target: Path) -> Path:
    """A consistent copy of a WAL database (SQLite's backup API)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def test_readme_json_urls_answer_the_same_rows(ds, example_db, tmp_path):
    """Every URL of the README's JSON API answers as before the site: the same rows as on a
    copy of the database whose quote index is the one it had then (no stemming)."""
    urls = readme_json_urls()
    assert len(urls) == 8
    before_db = open_db(copy_db(example_db, tmp_path / "before" / "quotes.db"))
    before_db["quotes"].enable_fts(["text"], create_triggers=True, replace=True)
    assert "porter" not in before_db["quotes_fts"].schema
    before = make_datasette(tmp_path / "before" / "quotes.db")
    for url in urls:
        after_json, before_json = get(ds, url).json(), get(before, url).json()
        after_rows = after_json if isinstance(after_json, list) else after_json["rows"]
        before_rows = before_json if isinstance(before_json, list) else before_json["rows"]
        assert after_rows == before_rows and after_rows, url
    # No filter of the site's (the trust switch) reaches the JSON API.
    total = get(ds, "/quotes/quotes_view.json?_facet=kind").json()["filtered_table_rows_count"]
    assert total == open_db(example_db)["quotes"].count


def test_quote_search_is_stemmed_and_existing_databases_are_migrated(example_db, tmp_path):
    db = open_db(copy_db(example_db, tmp_path / "old.db"))
    db["quotes"].enable_fts(["text"], create_triggers=True, replace=True)  # as made before
    db.execute("drop index idx_quotes_speaker")
    db.execute("create index idx_quotes_speaker on quotes(speaker)")  # as made before
    singular = "select count(*) from quotes_fts where quotes_fts match '\"war crime\"'"
    assert db.execute(singular).fetchone()[0] == 0
    ensure_db_shape(db)
    schema = db["quotes_fts"].schema
    found = db.execute(singular).fetchone()[0]
    assert "porter" in schema and found > 0
    ensure_db_shape(db)
    assert db["quotes_fts"].schema == schema and db.execute(singular).fetchone()[0] == found
    assert {t.name for t in db["quotes"].triggers} >= {"quotes_ai", "quotes_ad", "quotes_au"}
    # The trusted quotes' facet counts read one index, not every row.
    indexes = {index.name: index.columns for index in db["quotes"].indexes}
    assert indexes["idx_quotes_speaker"] == ["speaker", "confidence", "cue_type"]
    plan = " ".join(row[3] for row in db.execute(
        "explain query plan select speaker, count(*) from quotes_view where speaker is not null "
        f"and {trusted()} group by speaker", {"min_confidence": DEFAULT_MIN_CONFIDENCE}).fetchall())
    assert "COVERING INDEX idx_quotes_speaker " in plan + " "


def quote_ids(page: str) -> list[str]:
    return re.findall(r'href="/quotes/quotes/(\w+)"', page)


def test_speaker_page(ds, example_db):
    lavrov = speaker(ds, "Lavrov")
    page = get(ds, f"/quotes/speakers/{lavrov['id']}").text
    assert f"<title>{lavrov['name']}</title>" in page
    assert re.search(rf'<h1 class="speaker-name">{lavrov["name"]}</h1>', page)
    db = open_db(example_db)
    roles = {r["role"] for r in db.query("select role from roles where speaker_id = ?", [lavrov["id"]])}
    assert all(f'<span class="role">{html.escape(role)}</span>' in page for role in roles)
    aliases = [a["alias"] for a in db.query("select alias from aliases where speaker_id = ?", [lavrov["id"]])]
    assert all(f'<span class="alias">{alias}</span>' in page for alias in aliases if alias != lavrov["name"])
    trusted = [q["id"] for q in db.query(
        f"select id from quotes where speaker_id = ? and {TRUSTED} order by published is null, "
        "published desc, article_id, start", [lavrov["id"], DEFAULT_MIN_CONFIDENCE])]
    assert quote_ids(page) == trusted and trusted
    hidden = lavrov["quote_count"] - len(trusted)
    everything = get(ds, f"/quotes/speakers/{lavrov['id']}?_all=1").text
    assert len(quote_ids(everything)) == lavrov["quote_count"]
    if hidden:
        assert f"{hidden} more (less confident, a stance or a question) hidden" in page


def test_organisation_page_lists_who_spoke_for_it(ds, example_db):
    db = open_db(example_db)
    organisation, people = next(db.execute(
        "select organization_id, count(distinct speaker_id) from affiliations "
        "where organization_id is not null group by 1 order by 2 desc"))
    page = get(ds, f"/quotes/speakers/{organisation}").text
    section = page.split("People who spoke for it")[1].split("</section>")[0]
    linked = set(re.findall(r'href="/quotes/speakers/(\w+)"', section))
    assert len(linked) == people and linked == {r["speaker_id"] for r in db.query(
        "select speaker_id from affiliations where organization_id = ?", [organisation])}


def test_article_page_marks_every_quote(ds, example_db):
    article_id = "003_cd5996b88a391c0c"
    page = get(ds, f"/quotes/articles/{article_id}").text
    db = open_db(example_db)
    article = db["articles"].get(article_id)
    assert f"<title>{html.escape(article['title'] or article['outlet'])}" in page
    quotes = list(db.query("select id, text, speaker_id from quotes where article_id = ?", [article_id]))
    marked = "".join(html.unescape(m) for m in re.findall(
        r'<mark class="quote[^"]*"[^>]*>(.*?)</mark>', page, re.DOTALL))
    assert quotes and all(q["text"].replace("\n", "") in marked.replace("<br>", "") for q in quotes)
    assert page.count('<mark class="cue"') >= len({q["id"] for q in quotes}) // 2
    assert '<mark class="speaker"' in page or '<mark class="quote speaker"' in page
    assert set(quote_ids(page)) == {q["id"] for q in quotes}  # the list of who is quoted


def test_untitled_article_is_named_by_outlet_and_first_words(ds, example_db):
    db = open_db(example_db)
    untitled = next(db.query("select * from articles where title is null and outlet is not null"))
    opening = untitled["text"].split(untitled["dateline"], 1)[-1] if untitled["dateline"] else untitled["text"]
    label = f"{untitled['outlet']}: {' '.join(opening.split()[:5])}"  # after byline and dateline
    assert html.escape(label) in get(ds, f"/quotes/articles/{untitled['id']}").text
    listing = get(ds, f"/quotes/quotes_view?article_id={untitled['id']}&_all=1").text
    assert f'<a href="/quotes/articles/{untitled["id"]}">{html.escape(label)}' in listing


def test_quote_page(ds, example_db):
    kerry = speaker(ds, "Kerry")
    quote = next(open_db(example_db).query(
        "select q.*, a.url from quotes q join articles a on a.id = q.article_id "
        "where q.speaker_id = ? and q.text like '%war crimes investigation%'", [kerry["id"]]))
    page = get(ds, f"/quotes/quotes/{quote['id']}").text
    assert f'<h1 class="quote-speaker"><a href="/quotes/speakers/{kerry["id"]}">{kerry["name"]}</a></h1>' in page
    assert re.search(r'<mark class="quote[^"]*"[^>]*>[^<]*war crimes investigation', page)
    for css_class, value in (("role", quote["role"]), ("cue", quote["cue_text"]), ("kind", quote["kind"]),
                             ("confidence", str(quote["confidence"]))):
        assert re.search(rf'<dd class="{css_class}">{re.escape(html.escape(value))}', page), css_class
    others = set(quote_ids(page.split("Other quotes by")[1]))
    assert quote["id"] not in others and others


def search(ds, query: str, show_all: bool = False) -> dict:
    return get(ds, f"/search.json?q={query}" + ("&_all=1" if show_all else "")).json()


def test_search_forgives(ds, example_db):
    kerry = speaker(ds, "Kerry")
    stemmed = search(ds, "war crime")
    assert any(q["speaker_id"] == kerry["id"] and "war crimes" in q["text"] for q in stemmed["quotes"])
    assert all(re.search(r"\bwar\b", q["text"], re.I) and "crime" in q["text"].lower() for q in stemmed["quotes"])
    prefix = search(ds, "crime*")["quotes"]
    assert {q["id"] for q in stemmed["quotes"]} <= {q["id"] for q in prefix}
    phrase = search(ds, '"war crimes"', show_all=True)["quotes"]
    assert phrase and all("war crimes" in q["text"].lower() for q in phrase)
    for broken in ('"war', "war AND (", "*", "NEAR(", "'"):
        get(ds, f"/search?q={broken}")
    page = get(ds, "/search?q=war+crime").text
    assert re.search(r'<mark class="term">war</mark> <mark class="term">crimes</mark>', page)


def test_search_finds_quotes_by_a_speaker(ds, example_db):
    lavrov = speaker(ds, "Lavrov")
    found = search(ds, "Lavrov", show_all=True)
    assert found["speakers"][0]["name"] == lavrov["name"]
    by_him = [q["speaker_id"] == lavrov["id"] for q in found["quotes"]]
    assert by_him[:lavrov["quote_count"]] == [True] * lavrov["quote_count"]  # his, then about him
    aleppo = search(ds, "Lavrov Aleppo", show_all=True)["quotes"]
    expected = {r["id"] for r in open_db(example_db).query(
        "select id from quotes where speaker_id = ? and text like '%Aleppo%'", [lavrov["id"]])}
    assert expected and expected <= {q["id"] for q in aleppo}


def test_search_gives_a_hint_when_nothing_matches(ds):
    assert search(ds, "zzyzx war")["quotes"] == []
    page = get(ds, "/search?q=zzyzx+war").text
    assert "No quote matches all of" in page
    assert re.search(r"<strong>zzyzx</strong> matches 0, <strong>war</strong> matches [1-9]", page)


def test_quotes_page_hides_uncertain_attributions_until_asked(ds, example_db):
    db = open_db(example_db)
    trusted = db.execute(f"select count(*) from quotes where {TRUSTED}", [DEFAULT_MIN_CONFIDENCE]).fetchone()[0]
    assert 0 < trusted < db["quotes"].count
    page = get(ds, "/quotes/quotes_view").text
    assert re.search(rf"<h3>{trusted} rows\s+where confidence ≥ {DEFAULT_MIN_CONFIDENCE}", page)
    assert 'href="/quotes/quotes_view?_all=1">Show everything</a>' in page
    assert re.search(rf"<h3>{db['quotes'].count} rows", get(ds, "/quotes/quotes_view?_all=1").text)
    assert len(rows(ds, "/quotes/quotes_view.json?_trusted=1&_size=max")) == trusted
    facets = get(ds, "/quotes/quotes_view.json").json()["facet_results"]
    assert {"kind", "speaker_type", "cue_type"} <= set(facets)


def test_trusted_page_facets_are_stored_counts(ds, monkeypatch):
    """The Quotes page's default (trusted rows only) shows facets at any size, from counts
    stored at ingest, equal to grouping those rows live."""
    from datasette.plugins import pm

    narrow = next(k for classes in pm.hook.register_facet_classes() for k in classes
                  if k.type == "narrow")
    monkeypatch.setitem(narrow.facet_results.__globals__, "MAX_ROWS", 0)  # never count live
    stored = get(ds, "/quotes/quotes_view.json?_trusted=1").json()["facet_results"]
    assert {"speaker", "kind", "speaker_type", "cue_type"} <= set(stored)
    assert [f["value"] for f in stored["cue_type"]["results"]] == ["speech"]
    for column in ("speaker", "kind", "speaker_type", "outlet"):
        live = get(ds, f"/quotes/quotes_view.json?_trusted=1&_facet={column}").json()["facet_results"][column]
        assert [(f["value"], f["count"]) for f in stored[column]["results"]] == \
            [(f["value"], f["count"]) for f in live["results"]]
    # A search narrows the page: no stored counts apply, and with MAX_ROWS 0 none are shown.
    assert get(ds, "/quotes/quotes_view.json?_trusted=1&_search=Aleppo").json()["facet_results"] == {}


def test_date_based_pages_say_what_they_leave_out(ds, example_db):
    db = open_db(example_db)
    undated = db.execute("select count(*) from quotes where published is null and rowid in "
                         "(select rowid from quotes_fts where quotes_fts match 'Aleppo')").fetchone()[0]
    page = get(ds, "/quotes/quotes_between?term=Aleppo&start=2016-01-01&end=2016-12-31").text
    assert undated and f"{undated} quotes containing “Aleppo” come from undated articles" in page
    kerry = speaker(ds, "Kerry")
    roles = db.execute("select count(*), sum(published is null) from roles where speaker_id = ?",
                       [kerry["id"]]).fetchone()
    page = get(ds, "/quotes/speaker_roles?name=Kerry").text
    if roles[1]:
        assert f"{roles[1]} of these {roles[0]} roles come from undated articles" in page
    speaker_page = get(ds, f"/quotes/speakers/{kerry['id']}").text
    undated_quotes = db.execute(f"select count(*) from quotes where speaker_id = ? and published is null "
                                f"and {TRUSTED}", [kerry["id"], DEFAULT_MIN_CONFIDENCE]).fetchone()[0]
    if undated_quotes:
        assert re.search(rf"{undated_quotes} quotes? from undated articles (are|is) not counted by month",
                         speaker_page)


def test_a_reporters_question_is_stored_but_hidden_by_default(tmp_path):
    """Ingest stores every quote; the Quotes page's default view (``_trusted=1`` in the API)
    leaves out a question put to the speaker, as ``--speech-only`` does, and keeps what he said."""
    from click.testing import CliRunner

    from quotes.cli import cli

    article = tmp_path / "asked.txt"
    article.write_text("Lavrov was asked about the evacuation deal on Monday. He said Russia would "
                       "\"never\" accept it.\n", encoding="utf-8")
    db_path = tmp_path / "asked.db"
    result = CliRunner().invoke(cli, ["ingest", "--db", str(db_path), "--workers", "1", str(article)])
    assert result.exit_code == 0, result.output
    site = make_datasette(db_path)
    everything = rows(site, "/quotes/quotes_view.json?_size=max")
    shown = rows(site, "/quotes/quotes_view.json?_trusted=1&_size=max")
    questions = [r for r in everything if r["cue_type"] == "question"]
    assert questions and "the evacuation deal" in questions[0]["quote"]
    assert {r["quote"] for r in shown} == {r["quote"] for r in everything
                                          if r["cue_type"] == "speech" and r["confidence"] >= DEFAULT_MIN_CONFIDENCE}
    assert any("accept it" in r["quote"] for r in shown)
