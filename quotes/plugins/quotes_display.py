"""Datasette display hooks for the tables: each quote shown inside its paragraph, speaker
names and articles as links to their pages.

Article text is untrusted: ``quotes.site.text.highlight`` escapes it *before* the ``<mark>``
tags go in, so an article containing ``<script>`` displays that text and never runs it.
"""

from __future__ import annotations

import html

from datasette import hookimpl
from markupsafe import Markup

from quotes.site.pages import DATABASE, quote_marks, row_url, speaker_url
from quotes.site.text import article_label, highlight

CONTEXT_SQL = """
select substr(a.text, q.context_start + 1, q.context_end - q.context_start) as context,
       q.context_start, q.start, q."end", q.mention_start, q.mention_end, q.cue_start, q.cue_end,
       q.cue_text, q.cue_type, q.kind, q.confidence, q.speaker
from quotes q join articles a on a.id = q.article_id
where q.id = ?
"""
ARTICLE_SQL = "select title, outlet, byline, dateline, substr(text, 1, 300) as opening from articles where id = ?"
# Tables whose ``name`` column is a speaker's name, with the column holding its id.
SPEAKER_NAME_TABLES = {"speakers": "id", "speakers_view": "id"}


async def context_html(datasette, quote_id: str) -> Markup | None:
    """The paragraph around one quote, with quote, speaker mention and cue highlighted."""
    row = (await datasette.get_database(DATABASE).execute(CONTEXT_SQL, [quote_id])).first()
    if row is None:
        return None
    return Markup('<div class="context">') + highlight(row["context"], row["context_start"],
                                                      quote_marks(row)) + Markup("</div>")


async def article_link(datasette, article_id: str) -> Markup:
    """A link to an article named by its title, or its outlet and first words."""
    row = (await datasette.get_database(DATABASE).execute(ARTICLE_SQL, [article_id])).first()
    label = article_label(row) if row else article_id
    return link(row_url(datasette, "articles", article_id), label)


def link(url: str, text: str) -> Markup:
    return Markup(f'<a href="{html.escape(url)}">{html.escape(str(text))}</a>')


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    columns = row.keys() if hasattr(row, "keys") else ()
    if database != DATABASE:
        return None
    if column == "context" and "id" in columns and value is not None:
        return context_html(datasette, row["id"])
    if column == "speaker" and "speaker_id" in columns and row["speaker_id"] is not None and value:
        return link(speaker_url(datasette, row["speaker_id"]), value)
    if column == "name" and table in SPEAKER_NAME_TABLES and value:
        return link(speaker_url(datasette, row[SPEAKER_NAME_TABLES[table]]), value)
    if column == "article" and "article_id" in columns and row["article_id"] is not None:
        return article_link(datasette, row["article_id"])
    return None
