"""Datasette display hooks: each quote shown inside its paragraph, speakers and articles as links.

Article text is untrusted: it is escaped with ``html.escape`` *before* the ``<mark>`` tags
go in, so an article containing ``<script>`` displays that text and never runs it.
"""

from __future__ import annotations

import html

from datasette import hookimpl
from datasette.utils import tilde_encode
from markupsafe import Markup

# (start column, end column, label, style) of the spans highlighted in a quote's context.
HIGHLIGHTS = (
    ("start", "end", "quote", "background:#fff1a8"),
    ("mention_start", "mention_end", "speaker", "background:#bfe0ff;font-weight:bold"),
    ("cue_start", "cue_end", "cue", "background:none;text-decoration:underline"),
)

CONTEXT_SQL = """
select a.text, q.context_start, q.context_end, q.start, q.end,
       q.mention_start, q.mention_end, q.cue_start, q.cue_end
from quotes q join articles a on a.id = q.article_id
where q.id = ?
"""


def highlight(text: str, offset: int, spans: list[tuple[int, int, str, str]]) -> str:
    """``text`` (which starts at article ``offset``) escaped, with the spans wrapped in <mark>."""
    cuts = {0, len(text)}
    for start, end, _, _ in spans:
        cuts.update(min(max(edge - offset, 0), len(text)) for edge in (start, end))
    cuts = sorted(cuts)
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        piece = html.escape(text[a:b]).replace("\n", "<br>")
        covering = [(label, style) for start, end, label, style in spans
                    if start <= a + offset and b + offset <= end]
        if covering:
            labels = " ".join(label for label, _ in covering)
            styles = ";".join(style for _, style in covering)
            piece = f'<mark class="{labels}" title="{labels}" style="{styles}">{piece}</mark>'
        pieces.append(piece)
    return "".join(pieces)


async def context_html(datasette, database: str, quote_id: str) -> Markup | None:
    """The paragraph around one quote, with quote, speaker mention and cue highlighted."""
    db = datasette.get_database(database)
    if not await db.table_exists("quotes"):
        return None
    row = (await db.execute(CONTEXT_SQL, [quote_id])).first()
    if row is None:
        return None
    spans = [(row[start], row[end], label, style) for start, end, label, style in HIGHLIGHTS
             if row[start] is not None]
    paragraph = row["text"][row["context_start"]:row["context_end"]]
    return Markup(f'<div style="min-width:24em;max-width:32em;white-space:normal">'
                  f'{highlight(paragraph, row["context_start"], spans)}</div>')


def link(url: str, text: str) -> Markup:
    return Markup(f'<a href="{html.escape(url)}">{html.escape(str(text))}</a>')


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    columns = row.keys() if hasattr(row, "keys") else ()
    if value is None:
        return None
    if column == "context" and "id" in columns:
        return context_html(datasette, database, row["id"])
    if column == "speaker" and "speaker_id" in columns and row["speaker_id"] is not None:
        return link(datasette.urls.row(database, "speakers", tilde_encode(str(row["speaker_id"]))), value)
    if column == "article" and "article_id" in columns:
        return link(datasette.urls.row(database, "articles", tilde_encode(str(row["article_id"]))), value)
    return None
