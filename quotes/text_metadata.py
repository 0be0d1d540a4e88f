"""What an article's own text says about it: headline, byline, dateline, date, where the body
starts and where the trailing boilerplate begins (``text_metadata``), and dates in the forms news
writes them (``iso_date``). Kept apart from reading files (``articles.py``): these are rules over
the text, not input handling.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from .lexicon import dateline, lexicon

# News agencies and outlets recognised outside parentheses ("AFP , Thursday 13 Oct 2016",
# "By Laura Smith-Spark, CNN"); inside a dateline any "(Name)" counts.
AGENCIES = set(lexicon().names.agencies)
HEADER_LINES = 6  # non-empty lines at the top searched for headline, byline and date
SHORT_LINE = 80  # tail lines this short ("Local Weather") may sit between boilerplate lines
BYLINE = re.compile(r"^(?:By|BY|Reporting by|Written by)[:\s]+(?P<names>[A-Z].{1,100})$")
CAPTION = re.compile(r"\((?:file\s+)?(?:photo|image|picture|video)\b[^)]*\)$|^(?:photo|image)s?\s*:", re.I)
DATELINE = dateline("header")  # see language.toml
BOILERPLATE = re.compile(
    r"""^\W*(?:short\s+(?:link|url)\b | copyright\s*(?:©|\(c\)|\d{4})
        | (?:addit\w*\s+)?(?:reporting|writing|editing|edited|compiled)\s+by\b | our\s+standards\b
        | newsletter | sign\s+up\b | subscribe\b | follow\s+us\b | share\s+this\b | read\s+more\b)
        | © | all\s+rights\s+reserved""",
    re.I | re.X,
)
TAIL_REPORTING = re.compile(r"^\W*reporting\s+by\s+(?P<names>[^;)]+)", re.I)
PLACE = re.compile(r"\s+in\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")
MONTHS = lexicon().language.calendar.months
WEEKDAYS = set(lexicon().language.calendar.days)
DATES = [
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)"),
    re.compile(r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b"),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<year>\d{4})\b"),
]


def text_metadata(text: str) -> dict:
    """Title, byline, dateline, outlet, published, body_start and body_end found in ``text``."""
    lines = [(start, line.strip()) for start, line in _lines(text) if line.strip()]
    fields, body = _header(lines[:-1])
    fields["body_start"] = lines[body][0] if lines else 0
    if body < len(lines):
        _merge(fields, _dateline(lines[body][1]))
    tail = _tail(lines, body)
    if tail < len(lines):
        fields["body_end"] = lines[tail][0]
        _merge(fields, {"byline": _tail_byline(lines[tail:])})
    return fields


def _merge(fields: dict, values: dict) -> None:
    """Add the values found, without overwriting what an earlier, likelier place gave."""
    for name, value in values.items():
        if value is not None:
            fields.setdefault(name, value)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for line in text.splitlines(keepends=True):
        yield start, line
        start += len(line)


def _header(lines: list[tuple[int, str]]) -> tuple[dict, int]:
    """Metadata from the top lines and the index of the first body line.

    The header is the run of headline/byline/date/caption lines at the top; a byline a few
    lines down (after a standfirst) still ends the header, since the body follows it."""
    fields: dict = {}
    body, in_header = 0, True
    for index, (_, line) in enumerate(lines[:HEADER_LINES]):
        kind, values = _header_line(line, first=index == 0)
        if kind == "byline":
            in_header = True
        if kind is None or not in_header:
            in_header = False
            continue
        _merge(fields, values)
        body = index + 1
    return fields, body


def _header_line(line: str, first: bool) -> tuple[str | None, dict]:
    if match := BYLINE.match(line):
        return "byline", _byline(match["names"])
    if date := _date_line(line):
        return "date", date
    if CAPTION.search(line):
        return "caption", {}
    if first and _is_headline(line):
        return "headline", {"title": line.lstrip("#").strip()}
    return None, {}


def _byline(names: str) -> dict:
    """"Laura Smith-Spark, CNN" -> byline and outlet; "Jack Stubbs, John Davison" stays whole."""
    parts = [part.strip() for part in re.split(r"[,|]", names.strip())]
    outlet = parts.pop() if len(parts) > 1 and parts[-1] in AGENCIES else None
    return {"byline": ", ".join(parts), "outlet": outlet}


def _date_line(line: str) -> dict | None:
    """"AFP , Thursday 13 Oct 2016" or "Published: March 6, 2018": a short line that is mostly a date."""
    found = _find_date(line)
    if len(line) > SHORT_LINE or line[-1] in ".!?" or found is None:
        return None
    (start, end), iso = found
    rest = [word for word in re.findall(r"[A-Za-z][\w&.'-]*", line[:start] + " " + line[end:])
            if word.lower() not in WEEKDAYS]
    if len(rest) > 4:
        return None
    outlet = " ".join(rest)
    return {"published": iso, "outlet": outlet if outlet in AGENCIES else None}


def _is_headline(line: str) -> bool:
    return (len(line) <= 200 and len(line.split()) <= 25 and line[-1] not in ".!?:;,\"”’'"
            and line[0] not in "\"“‘'")


def _dateline(line: str) -> dict:
    """"MOSCOW/BEIRUT (Reuters) –" at the start of the first body paragraph."""
    match = DATELINE.match(line)
    if not match:
        return {}
    date = _find_date(match["date"] or "")
    return {"dateline": match["dateline"], "outlet": match["agency"] or match["agency_after"],
            "published": date[1] if date else None}


def _tail(lines: list[tuple[int, str]], body: int) -> int:
    """Index of the first trailing boilerplate line (len(lines) if none).

    Walking up from the end, boilerplate lines and short lines ("Local Weather") may follow
    each other; the first real paragraph stops the walk, so the body is never cut."""
    tail = len(lines)
    for index in range(len(lines) - 1, body, -1):
        line = lines[index][1]
        if BOILERPLATE.search(line):
            tail = index
        elif len(line) > SHORT_LINE:
            break
    return tail


def _tail_byline(lines: list[tuple[int, str]]) -> str | None:
    """"(Reporting by Tom Perry in Beirut; Editing by ...)" -> "Tom Perry"."""
    for _, line in lines:
        if match := TAIL_REPORTING.match(line):
            return PLACE.sub("", match["names"]).strip() or None
    return None


def iso_date(value: str) -> str | None:
    """The first date in ``value`` as YYYY-MM-DD ("March 6, 2018", "13 Oct 2016", ISO)."""
    found = _find_date(value)
    return found[1] if found else None


def _find_date(value: str) -> tuple[tuple[int, int], str] | None:
    for pattern in DATES:
        for match in pattern.finditer(value):
            month = match["month"]
            number = int(month) if month.isdigit() else _month_number(month)
            try:
                date = datetime.date(int(match["year"]), number or 0, int(match["day"]))
            except ValueError:
                continue
            return match.span(), date.isoformat()
    return None


def _month_number(word: str) -> int | None:
    word = word.lower()
    return next((number for number, name in enumerate(MONTHS, 1) if name.startswith(word)), None)
