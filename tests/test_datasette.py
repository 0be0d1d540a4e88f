"""The published site: the real Datasette app (metadata.yml, display plugin) over a database
built by the real pipeline and speaker registry from the example articles."""

import asyncio
import re

import pytest
import yaml
from helpers import build_db, kerry_extraction

from quotes.db import open_db
from quotes.publish import METADATA_PATH, make_datasette


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
    page = get(ds, f"/quotes/speakers/{lavrov['id']}").text
    assert lavrov["name"] in page
    assert re.search(rf">\s*{lavrov['quote_count']} rows?</a>\s*from speaker_id in quotes", page)


def test_article_text_is_escaped_in_context(tmp_path):
    text = kerry_extraction().article.text.replace(
        "U.S. Secretary of State", "U.S. <script>alert('owned')</script> Secretary of State", 1)
    build_db(tmp_path / "quotes.db", [kerry_extraction(text)])
    ds = make_datasette(tmp_path / "quotes.db")
    html = get(ds, "/quotes/quotes_view").text
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in html


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
    assert "datasette_vega" in get(ds, "/quotes/most_quoted_speakers").text


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
