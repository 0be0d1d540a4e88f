"""Pair quotation marks into quoted stretches of text, one paragraph at a time.

News text mixes every mark style: straight "..." (Washington Post), curly “...”, the NYT's
``...'' (often ''...'' with the same mark on both sides), guillemets «...» and single
quotes ‘...’ / '...' whose closing mark is also the apostrophe (Russia's, rebels').
Marks are paired inside a paragraph only, so a stray or missing mark can never swallow
the rest of the article: an unclosed quote ends with its paragraph (that is also how
news writes a quote running over several paragraphs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import paragraphs_of
from ..lexicon import lexicon
from .vocabulary import QUOTE_CHARS, TITLE_SMALL_WORDS, TITLE_TOKEN

DOUBLE_MARK = re.compile(r"``|''|[\"“”„«»]")
SINGLE_MARK = re.compile(r"[‘’']")
OPENERS = set(lexicon().language.marks.openers)
CLOSERS = set(lexicon().language.marks.closers)
# A quote opens after a space or an opening bracket/dash and closes before one of these.
OPEN_BEFORE = set(" \t\u00a0([{—–-/")
CLOSE_AFTER = set(" \t\u00a0)]}—–-/.,;:!?…")


@dataclass(frozen=True)
class QuotedSpan:
    """A quoted stretch ``text[start:end]`` including its marks.

    ``closed`` is False when the paragraph ended before a closing mark; ``continues``
    is True when such an open quote goes on in the next paragraph.
    """

    start: int
    end: int
    closed: bool = True
    continues: bool = False


def quoted_spans(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[QuotedSpan]:
    """Every quoted stretch of ``text`` (whose paragraphs are ``paragraphs``, by default its
    lines), in order; single quotes only outside double ones."""
    spans: list[QuotedSpan] = []
    for start, end in paragraphs_of(text) if paragraphs is None else paragraphs:
        spans.extend(paragraph_spans(text, start, end))
    return mark_continuations(text, spans)


def paragraph_spans(text: str, start: int, end: int) -> list[QuotedSpan]:
    """Double-quoted stretches of one paragraph, then single-quoted ones outside them."""
    doubles = pair_marks(text, start, end, DOUBLE_MARK, single=False)
    singles = []
    gap_start = start
    for span in doubles + [QuotedSpan(end, end)]:
        singles.extend(pair_marks(text, gap_start, span.start, SINGLE_MARK, single=True))
        gap_start = span.end
    return sorted(doubles + singles, key=lambda s: s.start)


def pair_marks(text: str, start: int, end: int, marks: re.Pattern, single: bool) -> list[QuotedSpan]:
    """Pair opening and closing marks left to right within ``text[start:end]``."""
    spans = []
    open_at: int | None = None
    for match in marks.finditer(text, start, end):
        mark, left, right = match.group(), text[match.start() - 1: match.start()], text[match.end(): match.end() + 1]
        if open_at is None:
            if can_open(mark, left, right, single):
                open_at = match.start()
        elif can_close(mark, left, right, single):
            spans.append(QuotedSpan(open_at, match.end()))
            open_at = None
    if open_at is not None and not single:
        close = len(text[:end].rstrip())
        if close > open_at + 1:
            spans.append(QuotedSpan(open_at, close, closed=False))
    return spans


def can_open(mark: str, left: str, right: str, single: bool) -> bool:
    """Whether a mark can start a quote: a true opener, or an ambiguous mark before a word."""
    at_boundary = left == "" or left.isspace() or left in OPEN_BEFORE or left in "\"“'‘`"
    if single:
        # ‘ is (nearly) always an opener; ' only at a word start, never inside a word (don't).
        return (mark == "‘" or (mark == "'" and at_boundary)) and right.isalnum() or (
            mark == "‘" and right in "\"“")
    if mark in OPENERS:
        return True
    return at_boundary and right != "" and not right.isspace()


def can_close(mark: str, left: str, right: str, single: bool) -> bool:
    """Whether a mark can end the open quote; single closers must not be inside a word."""
    if not single:
        return mark not in OPENERS or (left != "" and not left.isspace() and
                                       (right == "" or right in CLOSE_AFTER))
    return mark in "’'" and not left.isspace() and (right == "" or not right.isalnum())


def mark_continuations(text: str, spans: list[QuotedSpan]) -> list[QuotedSpan]:
    """Flag unclosed quotes whose next paragraph opens with a quotation mark."""
    flagged = []
    for span in spans:
        if not span.closed:
            rest = text[span.end:].lstrip()
            if rest[:2] == "``" or rest[:2] == "''" or rest[:1] in "\"“„«‘":
                span = QuotedSpan(span.start, span.end, closed=False, continues=True)
        flagged.append(span)
    return flagged


def is_fragment(text: str, mark: QuotedSpan) -> bool:
    """Quoted words carried on by the sentence around them, the rest being the writer's
    ('attacks which "reportedly claimed the lives of 100 people"'): a mixed quote."""
    inner = text[mark.start:mark.end].lstrip("".join(QUOTE_CHARS) + " ")
    before = text[max(0, mark.start - 2):mark.start].strip()
    return bool(inner) and inner[0].islower() and bool(before) and before[-1].isalnum()


def is_scare_quote(text: str, mark: QuotedSpan) -> bool:
    """A few words in marks inside a sentence, with no punctuation of their own: a title, a
    term or a scare quote (the ‘special relationship’, “The Apprentice”), not a quotation.
    "“No,” he said" has its comma inside; a quote opening a sentence is a quotation."""
    inner = text[mark.start:mark.end].strip("".join(QUOTE_CHARS) + " ")
    before = text[max(0, mark.start - 2):mark.start].strip()
    opens = not before or before[-1] in ".!?:\n"
    return not opens and (len(inner.split()) <= 4 and not any(ch in inner for ch in ",.!?;:")
                          or is_title(inner))


def is_heading(text: str, mark: QuotedSpan) -> bool:
    """A line of capitals in marks, alone on its line: a subheading (“ATROCIOUS CRIMES”) that
    quotes a phrase from below it, not a quotation of its own."""
    line_start = text.rfind("\n", 0, mark.start) + 1
    line_end = text.find("\n", mark.end)
    line = text[line_start:len(text) if line_end < 0 else line_end].strip()
    inner = text[mark.start:mark.end]
    return line == inner.strip() and any(ch.isalpha() for ch in inner) and inner == inner.upper()


def is_title(words: str) -> bool:
    """Title-cased words, as names of shows, books and films are written (“Fox News Sunday.”,
    “Failure to Adjust: How Americans Got Left Behind”), not speech."""
    tokens = TITLE_TOKEN.findall(words.rstrip(",."))
    content = [t for t in tokens if t.lower() not in TITLE_SMALL_WORDS]
    return 2 <= len(tokens) <= 10 and all(t[0].isupper() for t in content) and not any(
        ch in words.rstrip(",.") for ch in ",;!?")
