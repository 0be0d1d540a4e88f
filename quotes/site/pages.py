"""What the speaker, article, quote and home pages show, each read in a few queries.

Every function takes the Datasette app and returns plain dicts for a template; hrefs are
built here, with ``datasette.urls``, so templates only lay things out.
"""

from __future__ import annotations

from datasette.utils import tilde_encode

from . import trust
from .text import Mark, article_label, highlight, paragraphs, web_url

DATABASE = "quotes"
OPENING = "substr(a.text, 1, 300) as opening, a.byline, a.dateline"  # for article_label
# One quote with its paragraph and article, for lists of quotes (a quotes row ``q``).
QUOTE_COLUMNS = f"""
q.rowid, q.id, q.text, q.kind, q.cue_text, q.cue_type, q.confidence, q.published, q.role,
q.speaker, q.speaker_id, q.speaker_type, q.article_id, q.start, q."end", q.cue_start, q.cue_end,
q.mention_start, q.mention_end, q.context_start, q.context_end,
substr(a.text, q.context_start + 1, q.context_end - q.context_start) as context,
a.title, a.outlet, {OPENING}
"""
QUOTE_LIST_LIMIT = 200
ROLE_SOURCES = 5  # articles listed for each role (the rest are counted)


def row_url(datasette, table: str, pk: str) -> str:
    return datasette.urls.row(DATABASE, table, tilde_encode(str(pk)))


def speaker_url(datasette, speaker_id: str | None) -> str | None:
    return row_url(datasette, "speakers", speaker_id) if speaker_id else None


def quote_marks(row, speaker_href: str | None = None) -> list[Mark]:
    """The quote, its speaker mention and its cue, as marks over the article text."""
    label = "quote" if trust.is_trusted(row["confidence"], row["cue_type"]) else "quote uncertain"
    speaker = row["speaker"] or "no speaker found"
    marks = [Mark(row["start"], row["end"], label, speaker_href,
                  f"{speaker} · {row['kind']} · confidence {row['confidence']}")]
    if row["mention_start"] is not None:
        marks.append(Mark(row["mention_start"], row["mention_end"], "speaker", speaker_href,
                          f"speaker: {speaker}"))
    if row["cue_start"] is not None:
        marks.append(Mark(row["cue_start"], row["cue_end"], "cue", None, f"cue: {row['cue_text']}"))
    return marks


def quote_item(datasette, row) -> dict:
    """One quote for a list: in its paragraph, with links to itself, its speaker and article."""
    return {
        "id": row["id"],
        "rowid": row["rowid"],
        "href": row_url(datasette, "quotes", row["id"]),
        "context": highlight(row["context"], row["context_start"], quote_marks(row)),
        "text": row["text"],
        "speaker": row["speaker"],
        "speaker_id": row["speaker_id"],
        "speaker_href": speaker_url(datasette, row["speaker_id"]),
        "role": row["role"],
        "kind": row["kind"],
        "cue": row["cue_text"],
        "cue_type": row["cue_type"],
        "confidence": row["confidence"],
        "trusted": trust.is_trusted(row["confidence"], row["cue_type"]),
        "published": row["published"],
        "article": article_label(row),
        "article_href": row_url(datasette, "articles", row["article_id"]),
        "outlet": row["outlet"],
    }


async def count(db, sql: str, params: dict) -> int:
    return (await db.execute(sql, params)).first()[0]


async def quote_list(datasette, request, condition: str, params: dict, order: str = "") -> dict:
    """Quotes matching ``condition`` (on quotes ``q``), by ``order`` then newest first (undated
    last: NULL sorts lowest), the untrusted ones only on request, and how many are hidden.

    The page of rows is chosen on the quotes table alone, through its indexes, and only those
    rows are joined with their articles: a speaker with 50,000 quotes costs 200 joins."""
    db = datasette.get_database(DATABASE)
    params = {**params, **trust.params()}
    ordering = f"{order + ', ' if order else ''}q.published desc, q.article_id, q.start"
    rows = (await db.execute(f"""
        with chosen as (
            select q.rowid as chosen_rowid from quotes q
            where {condition} and {trust.where(request)}
            order by {ordering} limit {QUOTE_LIST_LIMIT})
        select {QUOTE_COLUMNS} from chosen
        join quotes q on q.rowid = chosen.chosen_rowid join articles a on a.id = q.article_id
        order by {ordering}""", params)).rows
    hidden = 0 if trust.shows_all(request) else await count(
        db, f"select count(*) from quotes q where {condition} and not {trust.condition()}", params)
    return {"items": [quote_item(datasette, row) for row in rows], "trust": trust.switch(request, hidden),
            "truncated": len(rows) == QUOTE_LIST_LIMIT}


async def speaker_page(datasette, request, speaker_id: str) -> dict | None:
    """Name, type, aliases, roles with their articles, organisations, quotes, months."""
    db = datasette.get_database(DATABASE)
    speaker = (await db.execute("select * from speakers where id = ?", [speaker_id])).first()
    if speaker is None:
        return None
    aliases = [r["alias"] for r in (await db.execute(
        "select alias from aliases where speaker_id = ? order by alias", [speaker_id])).rows
        if r["alias"] != speaker["name"]]
    roles = await speaker_roles(datasette, speaker_id)
    spoke_for = [{"name": r["organization"], "href": speaker_url(datasette, r["organization_id"]),
                  "articles": r["articles"]} for r in (await db.execute("""
        select organization, organization_id, count(distinct article_id) as articles
        from affiliations where speaker_id = ? group by 1, 2 order by articles desc, 1""",
        [speaker_id])).rows]
    quotes = await quote_list(datasette, request, "q.speaker_id = :id", {"id": speaker_id})
    months = (await db.execute(f"""
        select substr(q.published, 1, 7) as month, count(*) as quotes from quotes q
        where q.speaker_id = :id and {trust.where(request)} group by 1 order by 1""",
        {"id": speaker_id, **trust.params()})).rows
    return {
        "speaker": dict(speaker),
        "aliases": aliases,
        "roles": roles,
        "spoke_for": spoke_for,
        "spokespeople": await spokespeople(datasette, speaker_id),
        "quotes": quotes,
        "months": bars([(m["month"], m["quotes"]) for m in months if m["month"]]),
        "undated": sum(m["quotes"] for m in months if not m["month"]),
    }


async def spokespeople(datasette, organization_id: str) -> list[dict]:
    """The people said to speak for an organisation (in how many articles)."""
    rows = (await datasette.get_database(DATABASE).execute("""
        select s.id, s.name, s.current_role, count(distinct f.article_id) as articles
        from affiliations f join speakers s on s.id = f.speaker_id
        where f.organization_id = ? group by s.id order by articles desc, s.name""",
        [organization_id])).rows
    return [{"name": r["name"], "href": speaker_url(datasette, r["id"]), "role": r["current_role"],
             "articles": r["articles"]} for r in rows]


async def speaker_roles(datasette, speaker_id: str) -> list[dict]:
    """Each role the speaker was given, earliest first: its first and last dates, how many
    articles give it (how many undated), and the first few of them."""
    db = datasette.get_database(DATABASE)
    rows = (await db.execute(f"""
        with given as (
            select role, published, article_id,
                   row_number() over (partition by role order by published is null, published, article_id) as n,
                   count(*) over (partition by role) as articles,
                   sum(published is null) over (partition by role) as undated,
                   min(published) over (partition by role) as first,
                   max(published) over (partition by role) as last
            from roles where speaker_id = :id)
        select given.*, a.title, a.outlet, {OPENING}
        from given join articles a on a.id = given.article_id
        where n <= {ROLE_SOURCES}
        order by first is null, first, role, n""", {"id": speaker_id})).rows
    roles: dict[str, dict] = {}
    for row in rows:
        role = roles.setdefault(row["role"], {"role": row["role"], "first": row["first"], "last": row["last"],
                                              "articles": row["articles"], "undated": row["undated"],
                                              "sources": []})
        role["sources"].append({"article": article_label(row),
                                "href": row_url(datasette, "articles", row["article_id"]),
                                "published": row["published"]})
    return list(roles.values())


async def article_page(datasette, request, article_id: str) -> dict | None:
    """The article as paragraphs with every quote, cue and speaker mention marked, and who
    is quoted in it."""
    db = datasette.get_database(DATABASE)
    article = (await db.execute("select * from articles where id = ?", [article_id])).first()
    if article is None:
        return None
    rows = (await db.execute("""
        select id, start, "end", cue_start, cue_end, cue_text, cue_type, mention_start, mention_end,
               speaker, speaker_id, speaker_type, role, kind, confidence, text
        from quotes where article_id = ? order by start""", [article_id])).rows
    marks = [m for row in rows for m in quote_marks(row, speaker_url(datasette, row["speaker_id"]))]
    body = [highlight(line, offset, [m for m in marks if m.start < offset + len(line) and m.end > offset])
            for offset, line in paragraphs(article["text"] or "")]
    quoted: dict[tuple, dict] = {}
    for row in rows:
        key = (row["speaker_id"], row["speaker"])
        entry = quoted.setdefault(key, {"name": row["speaker"] or "No speaker found",
                                        "href": speaker_url(datasette, row["speaker_id"]),
                                        "type": row["speaker_type"], "roles": [], "quotes": []})
        if row["role"] and row["role"] not in entry["roles"]:
            entry["roles"].append(row["role"])
        entry["quotes"].append({"text": row["text"], "href": row_url(datasette, "quotes", row["id"]),
                                "trusted": trust.is_trusted(row["confidence"], row["cue_type"])})
    return {
        "article": dict(article),
        "url": web_url(article["url"]),
        "label": article_label(article),
        "paragraphs": body,
        "quote_count": len(rows),
        "quoted": sorted(quoted.values(), key=lambda e: (-len(e["quotes"]), e["name"])),
    }


async def quote_page(datasette, request, quote_id: str) -> dict | None:
    """One quote in its paragraph, with everything needed to judge it, and the speaker's others."""
    db = datasette.get_database(DATABASE)
    row = (await db.execute(f"""
        select {QUOTE_COLUMNS}, a.url
        from quotes q join articles a on a.id = q.article_id where q.id = ?""", [quote_id])).first()
    if row is None:
        return None
    quote = quote_item(datasette, row)
    quote["context"] = highlight(row["context"], row["context_start"],
                                 quote_marks(row, quote["speaker_href"]))
    others = None
    if row["speaker_id"]:
        others = await quote_list(datasette, request, "q.speaker_id = :id and q.id != :quote",
                                  {"id": row["speaker_id"], "quote": quote_id})
    return {"quote": quote, "url": web_url(row["url"]),
            "min_confidence": trust.DEFAULT_MIN_CONFIDENCE, "others": others}


async def home_page(datasette) -> dict:
    """The most-quoted speakers, the latest articles and what the archive holds."""
    db = datasette.get_database(DATABASE)
    if not await db.table_exists("speakers"):
        return {}
    speakers = (await db.execute("""
        select id, name, type, current_role, quote_count from speakers where quote_count > 0
        order by quote_count desc, name limit 15""")).rows
    # Chosen through the published index (undated last: NULL sorts lowest), then read.
    articles = (await db.execute(f"""
        with latest as (select id from articles order by published desc, id limit 10)
        select a.id, a.title, a.outlet, a.published, {OPENING},
               (select count(*) from quotes q where q.article_id = a.id) as quotes
        from latest join articles a on a.id = latest.id order by a.published desc, a.id""")).rows
    totals = (await db.execute("""
        select (select count(*) from articles) as articles, (select count(*) from quotes) as quotes,
               (select count(*) from speakers) as speakers,
               (select count(*) from quotes where published is null) as undated""")).first()
    return {
        "top_speakers": bars([({"name": s["name"], "href": speaker_url(datasette, s["id"]),
                                "type": s["type"], "role": s["current_role"]}, s["quote_count"])
                              for s in speakers]),
        "latest_articles": [{"label": article_label(a),
                             "href": row_url(datasette, "articles", a["id"]), "outlet": a["outlet"],
                             "published": a["published"], "quotes": a["quotes"]} for a in articles],
        "totals": dict(totals),
    }


def bars(values: list[tuple[object, int]]) -> list[dict]:
    """Labelled counts with each bar's width as a percentage of the largest."""
    largest = max((n for _, n in values), default=0) or 1
    return [{"label": label, "count": n, "width": round(100 * n / largest, 1)} for label, n in values]


# For the date-based canned queries: how many quotes they leave out for having no date.
UNDATED_NOTES = {
    "quotes_over_time": """
        with top as (select id from speakers order by quote_count desc, name limit 10)
        select count(*) filter (where published is null) as undated, count(*) as total
        from quotes where speaker_id in (select id from top)""",
    "quotes_between": """
        select count(*) as undated, null as total from quotes where published is null and rowid in (
            select rowid from quotes_fts where quotes_fts match '"' || replace(:term, '"', '""') || '"')""",
}
OVER_TIME_BAR_EM = 3  # height of the tallest bar of the chart over time


async def chart_notes(datasette, request, query_name: str) -> dict:
    """How many quotes a date-based query leaves out, for its page to say so; for the chart
    over time, also its grid of bars."""
    if query_name not in UNDATED_NOTES:
        return {}
    params = {"term": request.args["term"]} if "term" in request.args else {}
    if ":term" in UNDATED_NOTES[query_name] and not params:
        return {}
    db = datasette.get_database(DATABASE)
    row = (await db.execute(UNDATED_NOTES[query_name], params)).first()
    notes = {"undated": row["undated"], "total": row["total"]}
    if query_name == "quotes_over_time":
        query = await datasette.get_canned_query(DATABASE, query_name, request.actor)
        notes["grid"] = over_time_grid(datasette, (await db.execute(query["sql"])).rows)
    return notes


def over_time_grid(datasette, rows) -> dict:
    """Rows of (month, speaker, quotes, speaker_id) as one row of bars per speaker, one column
    per month."""
    months = sorted({row["month"] for row in rows})
    largest = max((row["quotes"] for row in rows), default=1)
    speakers: dict[str, dict] = {}
    for row in rows:
        speaker = speakers.setdefault(row["speaker_id"], {
            "name": row["speaker"], "href": speaker_url(datasette, row["speaker_id"]), "counts": {}})
        speaker["counts"][row["month"]] = row["quotes"]
    return {"months": months, "speakers": [
        {**speaker, "cells": [{"count": speaker["counts"].get(month, 0),
                               "height": round(OVER_TIME_BAR_EM * speaker["counts"].get(month, 0) / largest, 2)}
                              for month in months]}
        for speaker in speakers.values()]}
