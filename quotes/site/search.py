"""Search that forgives: words are stemmed ("war crime" finds "war crimes"), ``crim*`` is a
prefix, ``"..."`` a phrase, and a word matches a quote's text or its speaker's names, so
"Lavrov Aleppo" finds what Lavrov said about Aleppo.

Whatever is typed becomes valid FTS5 syntax (every term is quoted), so no query is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from datasette.database import QueryInterrupted

from . import pages
from .text import search_highlight

TERM = re.compile(r'"([^"]*)"?|(\S+)')
WORD = re.compile(r"\w+")
# Markers FTS5's highlight() puts around matched terms; private-use characters, so they
# cannot come from an article, and survive HTML escaping.
START, END = "\ue000", "\ue001"


@dataclass(frozen=True)
class Term:
    """One thing typed: a word, a prefix (``crim*``) or a phrase, as an FTS5 expression."""

    typed: str
    fts: str


def parse(query: str) -> list[Term]:
    """The terms of a query; punctuation inside a word joins its parts into a phrase
    ("al-Assad" is "al Assad")."""
    terms = []
    for phrase, word in TERM.findall(query):
        typed = phrase if phrase else word
        words = WORD.findall(typed)
        if not words:
            continue
        fts = '"' + " ".join(words) + '"'
        if not phrase and word.endswith("*"):
            fts += "*"
        terms.append(Term(typed=f'"{typed}"' if phrase else word, fts=fts))
    return terms


def matching(index: int) -> str:
    """Rowids of quotes whose text, or whose speaker's names, match term ``:t{index}``."""
    return f"""
        select rowid from quotes_fts where quotes_fts match :t{index}
        union
        select rowid from quotes where speaker_id in (
            select speaker_id from aliases where rowid in (
                select rowid from aliases_fts where aliases_fts match :t{index}))"""


async def search(datasette, request, query: str) -> dict[str, object]:
    """Speakers whose names match, then quotes matching every term (by a matching speaker
    first), terms highlighted; with per-term counts as a hint when nothing matches."""
    terms = parse(query)
    result: dict[str, object] = {"query": query, "terms": terms, "speakers": [], "quotes": None, "term_counts": [],
              "too_broad": False}
    if not terms:
        return result
    db = datasette.get_database(pages.DATABASE)
    params = {f"t{i}": term.fts for i, term in enumerate(terms)}
    params["any"] = " OR ".join(term.fts for term in terms)
    matches = " intersect ".join(f"select rowid from ({matching(i)})" for i in range(len(terms)))
    by_speaker = """q.speaker_id in (select speaker_id from aliases where rowid in (
                    select rowid from aliases_fts where aliases_fts match :any))"""
    try:
        quotes = await pages.quote_list(datasette, request, f"q.rowid in ({matches})", params,
                                        order=f"{by_speaker} desc")
    except QueryInterrupted:  # more matches than the time limit allows to sort: say so
        result["too_broad"] = True
        return result
    shown = {f"r{i}": item["rowid"] for i, item in enumerate(quotes["items"])}
    marked = dict((await db.execute(f"""
        select rowid, highlight(quotes_fts, 0, '{START}', '{END}') from quotes_fts
        where quotes_fts match :any and rowid in ({", ".join(":" + name for name in shown) or "null"})""",
        {"any": params["any"], **shown})).rows)
    for item in quotes["items"]:  # the quote itself, matched words marked (none when only its speaker matched)
        rowid = item["rowid"]
        item["marked"] = search_highlight(marked[rowid], START, END) if rowid in marked else item["text"]
    result["quotes"] = quotes
    result["speakers"] = await matching_speakers(datasette, params["any"])
    if not quotes["items"]:
        result["term_counts"] = [(term.typed, await pages.count(db, f"select count(*) from ({matching(0)})",
                                                                 {"t0": term.fts})) for term in terms]
    return result


async def matching_speakers(datasette, fts: str) -> list[dict]:
    """Speakers with a name matching any term, most quoted first; for an organisation, the
    people said to speak for it."""
    db = datasette.get_database(pages.DATABASE)
    rows = (await db.execute("""
        select id, name, type, current_role, quote_count from speakers where id in (
            select speaker_id from aliases where rowid in (
                select rowid from aliases_fts where aliases_fts match :any))
        order by quote_count desc, name limit 20""", {"any": fts})).rows
    speakers = []
    for row in rows:
        speaker = {"name": row["name"], "href": pages.speaker_url(datasette, row["id"]), "type": row["type"],
                   "role": row["current_role"], "quotes": row["quote_count"]}
        if row["type"] == "organization":
            speaker["spokespeople"] = await pages.spokespeople(datasette, row["id"])
        speakers.append(speaker)
    return speakers
