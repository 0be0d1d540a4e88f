"""The site's limits (issue #20), on the real Datasette app over real SQLite files: abusive
requests and unbounded SQL are refused fast, CSV exports cannot carry formulas, and `quotes
serve` refuses a file that is not a quotes database in one line."""

import asyncio
import csv
import io
import socket
import sqlite3
import subprocess
import sys
import time
from urllib.parse import quote as url_quote

import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.models import Article, Extraction, Quote, SpeakerRef
from quotes.plugins.csv_formulas import FormulaNeutraliser
from quotes.plugins.guards import MAX_COLUMNS, MAX_FACETS, MAX_REPEATS, MAX_URL_BYTES
from quotes.publish import make_datasette

FORMULA = '=HYPERLINK("http://evil.example/","details")'
FORMULA_TEXT = (f"Kerry said {FORMULA} would be added to the report.\n\n"
                "Lavrov told reporters that @SUM(1+1) was not the point.")


@pytest.fixture(scope="module")
def formula_extraction(span_of) -> Extraction:
    """An article whose quotes start with formula characters, saved the way ingest saves it."""
    text = FORMULA_TEXT
    quotes = [Quote(article_id="formula", start=s.start, end=s.end, text=s.text, kind="indirect",
                    cue=span_of(text, cue), confidence=0.8,
                    speaker=SpeakerRef(mention=span_of(text, name), name=name, type="person", role=role))
              for s, cue, name, role in ((span_of(text, FORMULA), "said", "Kerry", "-Secretary+of+State"),
                                         (span_of(text, "@SUM(1+1) was not the point"), "told", "Lavrov", None))]
    return Extraction(article=Article(id="formula", text=text, title="+Breaking", outlet="Reuters",
                                      published="2016-10-13"),
                      quotes=quotes)


@pytest.fixture(scope="module")
def ds(tmp_path_factory, build_db, kerry_extraction, formula_extraction):
    path = tmp_path_factory.mktemp("guards") / "quotes.db"
    build_db(path, [kerry_extraction(), formula_extraction])
    return make_datasette(path)


def timed_get(ds, path: str):
    start = time.perf_counter()
    response = asyncio.run(ds.client.get(path))
    return response, time.perf_counter() - start


def sql_url(sql: str, fmt: str = "json") -> str:
    return f"/quotes.{fmt}?sql={url_quote(sql)}"


@pytest.mark.parametrize("query, reason", [
    ("&".join(["_facet=speaker"] * 800), "URL too long"),
    ("&".join(f"_facet={c}" for c in ("speaker", "role", "kind", "outlet", "published", "cue")),
     f"too many facets (6; the limit is {MAX_FACETS})"),
    ("&".join(["_facet_array=speaker"] * (MAX_FACETS + 1)), "too many facets"),
    ("&".join(["_col=quote"] * (MAX_REPEATS + 1)), f"parameter _col repeated {MAX_REPEATS + 1} times"),
    ("_search=" + "war+" * (MAX_URL_BYTES // 4), "URL too long"),
])
def test_abusive_requests_are_refused_before_any_work(ds, query, reason):
    response, seconds = timed_get(ds, f"/quotes/quotes_view.json?{query}")
    assert response.status_code == 400 and seconds < 1, (response.status_code, seconds)
    assert reason in response.text and response.text.count("\n") == 1


def test_requests_within_the_limits_are_served(ds):
    facets = ("speaker", "role", "kind", "outlet", "published")[:MAX_FACETS]
    response, _ = timed_get(ds, "/quotes/quotes_view.json?" + "&".join(f"_facet={c}" for c in facets))
    assert response.status_code == 200
    assert set(facets) <= set(response.json()["facet_results"])


@pytest.mark.parametrize("sql, error", [
    ("select length(printf('%.*c', 900000000, 'x'))", "not authorized to use function: printf"),
    ("select length(format('%.*c', 900000000, 'x'))", "not authorized to use function: format"),
    ("with recursive n(i) as (select 1 union all select i + 1 from n where i < 60000) select json_patch("
     "(select json_group_object('k' || i, 1) from n), (select json_group_object('j' || i, 1) from n))",
     "not authorized to use function: json_patch"),
    ("select length(zeroblob(900000000))", "string or blob too big"),
    ("select length(randomblob(900000000))", "string or blob too big"),
    ("with recursive r(s) as (select 'xy' union all select s || s from r) select length(s) from r",
     "string or blob too big"),
    # One 1 MB value joined to 1,000 rows: the time limit alone let it fill 700 MB.
    ("with s(x) as (select hex(zeroblob(499990))), n(i) as (select 1 union all select i + 1 from n "
     "where i < 1000) select x from s, n", "result too large"),
    (f"select {', '.join(['1'] * (MAX_COLUMNS + 1))}", "too many columns"),
])
def test_sql_that_allocates_without_bound_is_refused_fast(ds, sql, error):
    response, seconds = timed_get(ds, sql_url(sql))
    assert response.status_code == 400 and seconds < 1, (response.status_code, seconds)
    assert error in response.json()["error"]


def test_quadratic_string_functions_answer_fast(ds):
    """instr, replace and trim with a long needle cost (haystack x needle) inside SQLite:
    40 s for one instr on a 1 MB value. The site's versions are linear."""
    sql = ("with s(x) as (select replace(hex(zeroblob(250000)), '0', 'a')) "
           "select instr(x, substr(x, 1, 200000) || 'b') as found, "
           "length(replace(x, substr(x, 1, 1000) || 'b', '')) as replaced, "
           "length(trim(x, 'b' || substr(x, 1, 1000))) as trimmed from s")
    response, seconds = timed_get(ds, sql_url(sql) + "&_shape=array")
    assert response.status_code == 200 and seconds < 1, (response.text[:300], seconds)
    assert response.json() == [{"found": 0, "replaced": 500_000, "trimmed": 0}]


EXPRESSIONS = [
    "instr('abcabc', 'ca')", "instr('abc', '')", "instr('ab', null)", "instr(12345, 34)",
    "instr('Lavrov’s', '’')", "replace('a\"b\"', '\"', '\"\"')", "replace('abc', '', 'x')",
    "replace(null, 'a', 'b')", "replace('aaa', 'a', 'bb')", "replace(1234, 23, 'x')",
    "trim('xxaxx', 'x')", "ltrim('xyaxy', 'yx')", "rtrim('xyaxy', 'yx')", "trim('  a  ')",
    "trim('abc', '')", "trim(null, 'a')", "ltrim('ééa', 'é')",
]


def test_replaced_functions_answer_as_sqlite_does(ds):
    select = "select " + ", ".join(f"{expression} as c{i}" for i, expression in enumerate(EXPRESSIONS))
    expected = sqlite3.connect(":memory:").execute(select).fetchone()
    response, _ = timed_get(ds, sql_url(select) + "&_shape=array")
    assert tuple(response.json()[0].values()) == expected


@pytest.mark.parametrize("path", [
    "/quotes/quotes_view.json?_search=war+crimes", "/quotes/quotes.json?_search=investigation",
    "/quotes/speakers.json?_search=Kerry", "/quotes/speakers_view.json", "/quotes/aliases.json",
    "/quotes/quotes_view.json?quote__contains=war+crimes", "/quotes/quotes_by_speaker.json?name=Kerry",
    "/quotes/who_said.json?phrase=war+crimes", "/quotes/speaker_roles.json?name=Kerry",
    "/quotes/article_speakers.json?article_id=003", "/quotes/most_quoted_speakers.json",
    "/quotes/quotes_between.json?term=point&start=2016-01-01&end=2016-12-31",
    "/quotes/quotes_over_time.json",
])
def test_the_sites_own_queries_views_and_search_still_work(ds, path):
    response, _ = timed_get(ds, path + "&_shape=array" if "?" in path else path + "?_shape=array")
    assert response.status_code == 200, response.text[:300]
    assert response.json(), path


def csv_rows(ds, path: str) -> list[dict]:
    response, _ = timed_get(ds, path)
    assert response.status_code == 200, response.text[:300]
    return list(csv.DictReader(io.StringIO(response.text, newline="")))


@pytest.mark.parametrize("path", ["/quotes/quotes.csv", "/quotes/quotes_view.csv?_stream=on&_dl=1"])
def test_csv_export_neutralises_formulas(ds, path):
    cells = [cell for row in csv_rows(ds, path) if row["article_id"] == "formula" for cell in row.values()]
    assert "'" + FORMULA in cells and "'@SUM(1+1) was not the point" in cells
    assert "'-Secretary+of+State" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_csv_of_a_query_neutralises_formulas_and_keeps_numbers(ds):
    sql = ("select -5 as negative, '+3.5' as signed, '=1+2' as formula, '-2+3' as minus, "
           "char(9) || '=cmd' as tab, 'say \"hi\"' || char(13, 10) || '=x' as multiline, 'plain' as plain")
    [row] = csv_rows(ds, sql_url(sql, "csv"))
    assert row == {"negative": "-5", "signed": "+3.5", "formula": "'=1+2", "minus": "'-2+3",
                   "tab": "'\t=cmd", "multiline": 'say "hi"\r\n=x', "plain": "plain"}


def test_neutraliser_gives_the_same_csv_however_the_stream_is_cut():
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["a", "=b"], ['quoted "cell"\r\nwith a line break', "@c"], ["€", "-1"]])
    data = buffer.getvalue().encode("utf-8")
    whole = FormulaNeutraliser()
    expected = whole.feed(data) + whole.close()
    pieces = FormulaNeutraliser()
    assert b"".join(pieces.feed(data[i:i + 1]) for i in range(len(data))) + pieces.close() == expected
    assert list(csv.reader(io.StringIO(expected.decode(), newline=""))) == [
        ["a", "'=b"], ['quoted "cell"\r\nwith a line break', "'@c"], ["€", "-1"]]


@pytest.mark.parametrize("content, reason", [
    (b"my notes, not SQLite\n", "file is not a database"),
    (b"", "not a quotes database (missing tables: articles, quotes, speakers)"),
])
def test_serve_refuses_a_file_that_is_not_a_quotes_database(tmp_path, content, reason):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["serve", "--db", str(path), "--port", "1"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"Error: {path}: {reason}" + (
        "; create one with `quotes ingest`" if "missing" in reason else "")]
    assert path.read_bytes() == content


def test_serve_says_where_it_serves(tmp_path, build_db, kerry_extraction):
    path = tmp_path / "quotes.db"
    build_db(path, [kerry_extraction()])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "quotes", "serve", "--db", str(path), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == f"Serving {path} at http://127.0.0.1:{port}/\n"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_long_article_stays_readable(tmp_path, example_text, build_db, kerry_extraction):
    """The value cap must leave room for every article ingest can store: at 1 MB, a 1.3 MB
    article made every page that lists it fail with 'string or blob too big'."""
    text = example_text + "\n\n" + "More of the same. " * 80_000
    path = tmp_path / "quotes.db"
    build_db(path, [kerry_extraction(text, article_id="long")])
    site = make_datasette(path)
    for page in ("/quotes/articles/long.json", "/quotes/quotes_view.json", "/quotes/articles.json"):
        response, _ = timed_get(site, page)
        assert response.status_code == 200, (page, response.text[:200])
    assert len(text.encode("utf-8")) > 1_400_000
