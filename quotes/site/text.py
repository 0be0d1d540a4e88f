"""Article text made into HTML: escaped first, then marked up, so text from an article
(``<script>`` included) is always shown and never run."""

from __future__ import annotations

import html
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup

FIRST_WORDS = 12


@dataclass(frozen=True)
class Mark:
    """A span of article text to wrap in ``<mark class="{label}">``, optionally a link."""

    start: int
    end: int
    label: str  # "quote", "speaker", "cue" (CSS classes in static/quotes.css)
    href: str | None = None
    title: str | None = None


def highlight(text: str, offset: int, marks: list[Mark]) -> Markup:
    """``text`` (which starts at article ``offset``) escaped, with each mark's span wrapped in
    ``<mark>`` (overlapping marks give one element with all their classes)."""
    cuts = {0, len(text)}
    for mark in marks:
        cuts.update(min(max(edge - offset, 0), len(text)) for edge in (mark.start, mark.end))
    pieces = []
    for a, b in pairwise(sorted(cuts)):
        piece = html.escape(text[a:b])
        covering = [m for m in marks if m.start <= a + offset and b + offset <= m.end]
        if covering:
            labels = " ".join(dict.fromkeys(m.label for m in covering))
            title = next((m.title for m in covering if m.title), labels)
            piece = f'<mark class="{labels}" title="{html.escape(title)}">{piece}</mark>'
            href = next((m.href for m in covering if m.href), None)
            if href:
                piece = f'<a href="{html.escape(href)}">{piece}</a>'
        pieces.append(piece)
    return Markup("".join(pieces).replace("\n", "<br>"))


def paragraphs(text: str) -> list[tuple[int, str]]:
    """Each non-blank line of an article (news paragraphs are lines) with its offset."""
    found, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            found.append((offset, line))
        offset += len(line) + 1
    return found


def article_label(article) -> str:
    """What to call an article (a row with title, outlet, byline, dateline and its text or
    opening): its title, else its outlet and first words after byline and dateline."""
    if article["title"] and article["title"].strip():
        return article["title"].strip()
    words = opening_words(article)
    opening = " ".join(words[:FIRST_WORDS]) + ("…" if len(words) > FIRST_WORDS else "")
    outlet = article["outlet"]
    return f"{outlet or 'Untitled'}: {opening}" if opening else (outlet or "Untitled article")


def opening_words(article) -> list[str]:
    """The words an article opens with, after its byline ("By ...") and dateline."""
    keys = article.keys()
    text = (article["opening"] if "opening" in keys else article["text"]) or ""
    text = text.lstrip()
    byline = article["byline"] if "byline" in keys else None
    dateline = article["dateline"] if "dateline" in keys else None
    if byline and text.startswith(f"By {byline}"):
        text = text[len(f"By {byline}"):].lstrip()
    if dateline and text.startswith(dateline):
        text = text[len(dateline):]
    return text.split()


def web_url(url: str | None) -> str | None:
    """An article's URL when it is one a link may point to (never ``javascript:``)."""
    return url if url and url.lower().startswith(("https://", "http://")) else None


def search_highlight(marked: str, start: str, end: str) -> Markup:
    """FTS5 ``highlight()`` output (raw text with ``start``/``end`` markers) as escaped HTML
    with ``<mark class="term">`` around each matched term."""
    escaped = html.escape(marked)
    return Markup(escaped.replace(start, '<mark class="term">').replace(end, "</mark>"))
