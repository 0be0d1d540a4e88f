"""Reading articles from text files, directories, JSON Lines, saved web pages and stdin.

Every input becomes an ``Article`` or, when it cannot be read, an ``InputError`` with a
one-line reason, so one bad file never stops a run. ``Article.text`` is always the text
exactly as read (offsets everywhere else index it); what we learn about it - headline,
byline, dateline, date, outlet, where the body starts and where trailing boilerplate
begins - goes into fields instead of being cut out.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import charset_normalizer
from pydantic import BaseModel

from .models import Article, content_hash
from .text_metadata import iso_date, text_metadata

if TYPE_CHECKING:
    import lxml.html
    from trafilatura.settings import Document

# A file, JSONL line or stdin: news articles and their saved pages are far smaller, and the site
# must be able to show every stored text (quotes/plugins/guards.py caps SQL values at twice this).
MAX_BYTES = 4_000_000
# Where a JSONL record came from: "PATH:LINE".
JSONL_LINE = re.compile(r"(?P<path>.+\.jsonl):(?P<line>\d+)", re.I)
TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".jsonl"}
EXPECTED = "expected .txt, .md, .html, .htm or .jsonl"
URL = re.compile(r"^https?://", re.I)

BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]


# What a path is when it is no regular file, for the one-line refusal (reading a FIFO waits
# for a writer forever, a device never ends).
FILE_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
              stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}
# libxml2 stops building a page's tree at this depth unless told to go on to 2048 levels.
TOO_DEEP = "Excessive depth in document"
HUGE_DEPTH = 2048


class InputNotice(BaseModel):
    """Something to tell about one input (a file, a JSONL line, stdin, a URL)."""

    path: str
    reason: str

    def message(self) -> str:
        return printable(f"{self.path}: {self.reason}")


class InputError(InputNotice):
    """An input that gave no article, and why."""


class InputWarning(InputNotice):
    """Something read from an input that was not used as given (the article is still read)."""


def printable(text: str) -> str:
    """``text`` on one line: control characters and bytes that are no text (in file names)
    escaped, so a name cannot start a line of its own ("\\nerror: ...")."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
                   for char in text)


class Unreadable(Exception):
    """Raised inside this module with a short reason; turned into an InputError at the edge."""


def read_inputs(inputs: list[str], max_bytes: int = MAX_BYTES) -> Iterator[Article | InputNotice]:
    """Stream Articles (and InputErrors for bad inputs, InputWarnings) from files, directories
    (recursive, sorted, .txt/.md/.html/.htm/.jsonl), .jsonl files (one article per line), http(s)
    URLs, and '-' for stdin. Never raises for bad input; never loads a whole directory into memory.
    ``max_bytes`` bounds each file, each JSONL line and stdin. Each id is given to one text only
    (see ``one_text_per_id``)."""
    return one_text_per_id(_read_each(inputs, max_bytes))


def _read_each(inputs: list[str], max_bytes: int) -> Iterator[Article | InputNotice]:
    for item in inputs:
        path = Path(item)
        if item == "-":
            yield _read_stdin(max_bytes)
        elif URL.match(item):
            yield _read_url(item, max_bytes)
        elif not item or not path.exists():
            yield InputError(path=item, reason="no such file or directory")
        elif path.is_dir():
            yield from _read_directory(path, max_bytes)
        elif path.suffix.lower() not in SUFFIXES:
            kind = f"'{path.suffix}'" if path.suffix else "(no extension)"
            yield InputError(path=item, reason=f"unsupported file type {kind} ({EXPECTED})")
        else:
            yield from _read_file(path, max_bytes)


def _read_url(url: str, max_bytes: int) -> Article | InputError:
    """A web page fetched by trafilatura, where the network allows it."""
    import trafilatura  # only web pages need it; its import (lxml, jusText) is slow

    html = trafilatura.fetch_url(url)
    try:
        if not html:
            raise Unreadable("could not fetch the page (no network access, or the site refused)")
        if len(html.encode("utf-8")) > max_bytes:
            raise Unreadable(f"page too large (more than {_size(max_bytes)} limit)")
        article = _parse_html(html, id=f"url-{content_hash(url)[:16]}", source=url)
    except Unreadable as error:
        return InputError(path=url, reason=str(error))
    return article.model_copy(update={"url": article.url or url})


def _read_stdin(max_bytes: int) -> Article | InputError:
    try:
        if sys.stdin is None:  # started with standard input closed (`<&-`)
            raise Unreadable("standard input is closed")
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise Unreadable(f"input too large (more than {_size(max_bytes)} limit)")
        text = _decode(data)
    except Unreadable as error:
        return InputError(path="-", reason=str(error))
    except OSError as error:
        return InputError(path="-", reason=_os_reason(error))
    return parse_article_text(text, id=f"stdin-{content_hash(text)[:16]}", source="-")


def _read_directory(directory: Path, max_bytes: int) -> Iterator[Article | InputNotice]:
    found = False
    for item in _walk(directory):
        if isinstance(item, InputError):
            yield item
            continue
        for result in _read_file(item, max_bytes, folder=directory):
            found = found or isinstance(result, Article)
            yield result
    if not found:
        yield InputError(path=str(directory), reason=f"no readable articles ({EXPECTED})")


def _walk(directory: Path) -> Iterator[Path | InputError]:
    """Supported files under ``directory``, depth first in name order, found as we go; a stack
    of the folders being read instead of recursion, so any depth can be walked."""
    folders = [_entries(directory)]
    while folders:
        child = next(folders[-1], None)
        if child is None:
            folders.pop()
        elif isinstance(child, InputError):
            yield child
        elif child.is_dir(follow_symlinks=False):
            folders.append(_entries(Path(child.path)))
        elif Path(child.name).suffix.lower() in SUFFIXES:
            yield Path(child.path)


def _entries(directory: Path) -> Iterator[os.DirEntry | InputError]:
    """The entries of one folder in name order, hidden ones left out."""
    try:
        with os.scandir(directory) as entries:
            children = sorted(entries, key=lambda entry: entry.name)
    except OSError as error:
        yield InputError(path=str(directory), reason=_os_reason(error))
        return
    yield from (child for child in children if not child.name.startswith("."))


def _read_file(path: Path, max_bytes: int, folder: Path | None = None) -> Iterator[Article | InputNotice]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(path, max_bytes, folder)
        return
    try:
        text = _decode(_read_bytes(path, max_bytes))
        if suffix in HTML_SUFFIXES:
            yield _parse_html(text, id=file_id(path, folder), source=str(path))
        else:
            yield parse_article_text(text, id=file_id(path, folder), source=str(path))
    except Unreadable as error:
        yield InputError(path=str(path), reason=str(error))
    except OSError as error:
        yield InputError(path=str(path), reason=_os_reason(error))


def file_id(path: Path, folder: Path | None = None) -> str:
    """A file's article id: its path below ``folder`` (the folder named on the command line that
    it was found in) without the suffix, or its name without the suffix when the file was named
    itself. So ``corpus/a/news.txt`` and ``corpus/b/news.txt`` are ``a/news`` and ``b/news``, and
    an id stays the same wherever the corpus lies and whatever the current folder. Two files
    that still get one id (``quotes ingest a/news.txt b/news.txt``) are caught: in one run by
    ``one_text_per_id``, across runs by ingest, which will not let one file replace another's."""
    relative = path.relative_to(folder) if folder is not None else Path(path.name)
    return relative.with_suffix("").as_posix()


def is_file_source(source: str | None) -> bool:
    """Whether an article was read from a file of its own (not a JSONL line, stdin or the web):
    the only kind whose id comes from its path."""
    if not source:
        return False
    return source != "-" and not URL.match(source) and not JSONL_LINE.fullmatch(source)


def former_id(article: Article) -> str | None:
    """The id ``article`` had before ids kept the folder: the file's name without the suffix,
    ``NAME-LINE`` for a JSONL line; None for stdin and web pages, whose ids did not change."""
    if not article.source or article.source == "-" or URL.match(article.source):
        return None
    jsonl_line = JSONL_LINE.fullmatch(article.source)
    if jsonl_line:
        return f"{Path(jsonl_line['path']).stem}-{jsonl_line['line']}"
    return Path(article.source).stem


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    with _open_regular(path) as file:
        size = os.fstat(file.fileno()).st_size
        if size > max_bytes:
            raise Unreadable(f"file too large ({_size(size)} > {_size(max_bytes)} limit)")
        return file.read(max_bytes + 1)


def _open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading if it is a regular file: opened without waiting (a FIFO
    would wait for a writer) and checked once open, so it cannot change in between."""
    kind = FILE_KINDS.get(stat.S_IFMT(path.stat().st_mode))
    if kind:  # sockets cannot be opened at all
        raise Unreadable(f"not a regular file ({kind})")
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    kind = FILE_KINDS.get(stat.S_IFMT(os.fstat(descriptor).st_mode))
    if kind:
        os.close(descriptor)
        raise Unreadable(f"not a regular file ({kind})")
    return os.fdopen(descriptor, "rb")


def _decode(data: bytes) -> str:
    """UTF-8 (or a BOM's encoding) first; else whatever charset_normalizer finds sensible."""
    text = _decode_bytes(data)
    if not text.strip():
        raise Unreadable("empty file")
    return text


def _decode_bytes(data: bytes) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise Unreadable(f"invalid {encoding.upper()} text") from None
    if _looks_binary(data):
        raise Unreadable("binary file (not text)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise Unreadable("not UTF-8 and no encoding could be detected")
    # Western Windows text is the commonest legacy encoding of news text; the detector
    # cannot tell it from cp1250 and friends on a tie, so prefer it then ("naïve", not "naďve").
    if any(m.chaos <= best.chaos and "cp1252" in m.could_be_from_charset for m in matches):
        return data.decode("cp1252")
    return str(best)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    controls = sum(byte < 32 and byte not in b"\t\n\r\f\v\x1b" for byte in sample)
    return b"\x00" in sample or controls > len(sample) // 10


def _read_jsonl(path: Path, max_bytes: int, folder: Path | None) -> Iterator[Article | InputNotice]:
    records = 0
    try:
        with _open_regular(path) as lines:
            for number, line in enumerate(_bounded_lines(lines, max_bytes), 1):
                if line is not None and not line.strip():
                    continue
                records += 1
                try:
                    if line is None:
                        raise Unreadable(f"line too large (more than {_size(max_bytes)} limit)")
                    yield from _jsonl_article(line, path, number, folder)
                except Unreadable as error:
                    yield InputError(path=f"{path}:{number}", reason=str(error))
    except Unreadable as error:
        yield InputError(path=str(path), reason=str(error))
        return
    except OSError as error:
        yield InputError(path=str(path), reason=_os_reason(error))
        return
    if not records:
        yield InputError(path=str(path), reason="empty file")


def _bounded_lines(lines, max_bytes: int) -> Iterator[bytes | None]:
    """The file's lines, with None standing for a line longer than max_bytes (never held whole)."""
    while line := lines.readline(max_bytes + 1):
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield line
            continue
        while line and not line.endswith(b"\n"):
            line = lines.readline(max_bytes + 1)
        yield None


def _jsonl_article(line: bytes, path: Path, number: int, folder: Path | None) -> Iterator[Article | InputWarning]:
    try:
        record = json.loads(line.rstrip(b"\r\n"))
    except json.JSONDecodeError as error:
        where = f"{error.msg.removesuffix(' at')} at column {error.colno}"
        raise Unreadable(f"invalid JSON ({where})") from None
    except UnicodeDecodeError:
        raise Unreadable("invalid JSON (not UTF-8)") from None
    if not isinstance(record, dict):
        raise Unreadable(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if text is None:
        raise Unreadable("missing 'text' field")
    if not isinstance(text, str):
        raise Unreadable(f"'text' field is not a string (got {type(text).__name__})")
    if not text.strip():
        raise Unreadable("empty 'text' field")
    published = _field(record, "published", "date")
    if published and not iso_date(published):
        yield InputWarning(path=f"{path}:{number}", reason=f"published {published!r} is not a date; stored as null")
    yield parse_article_text(
        text,
        id=_field(record, "id") or f"{file_id(path, folder)}-{number}",
        source=f"{path}:{number}",
        title=_field(record, "title"),
        url=_field(record, "url"),
        published=published,
        outlet=_field(record, "outlet", "publisher"),
        byline=_names(record.get("authors")),
    )


def one_text_per_id(items: Iterable[Article | InputNotice]) -> Iterator[Article | InputNotice]:
    """The articles of one run with each id given to one text: a later article with an id
    already read and a different text is an error for that article (an id is the key its
    provider joins results back on: storing it under an id they never gave would hide the
    clash, storing it under theirs would overwrite the first); the same text again is a
    warning and read once."""
    first: dict[str, tuple[str, str | None]] = {}  # id -> (content hash, where it was read)
    for item in items:
        if isinstance(item, Article) and item.id in first:
            text_hash, where = first[item.id]
            if text_hash != item.content_hash[:16]:
                yield InputError(path=item.source or item.id,
                                 reason=f"id {item.id!r} was already given to a different text ({where}); skipped")
            else:
                yield InputWarning(path=item.source or item.id, reason=f"same id and text as {where}; read once")
            continue
        if isinstance(item, Article):
            first[item.id] = (item.content_hash[:16], item.source)
        yield item


def _field(record: dict, *names: str) -> str | None:
    """The first of ``names`` with a usable value, as a string ({"name": ...} objects too)."""
    for name in names:
        value = record.get(name)
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return None


def _names(authors: object) -> str | None:
    """["Jack Stubbs", "John Davison"] or "Jack Stubbs; John Davison" -> "Jack Stubbs and John Davison"."""
    if isinstance(authors, str):
        authors = authors.split(";") if ";" in authors else [authors]
    if not isinstance(authors, list):
        return None
    names = [name.strip() for name in authors if isinstance(name, str) and name.strip()]
    if len(names) <= 1:
        return names[0] if names else None
    return ", ".join(names[:-1]) + " and " + names[-1]


def _parse_html(html: str, id: str, source: str) -> Article:
    """The main text of a saved page and its metadata; trafilatura is given the page, never a URL."""
    document = _extraction(html)
    if document is None or not (document.text or "").strip():
        deep = _deep_page(html)
        if deep is not None:
            document = _extraction(deep)
    if document is None or not document.text or not document.text.strip():
        raise Unreadable("no article text found in the page")
    return parse_article_text(
        document.text, id=id, source=source, title=document.title, url=document.url,
        published=document.date, outlet=document.sitename, byline=_names(document.author),
    )


def _extraction(html: str) -> Document | None:
    """trafilatura's reading of a page (its text and metadata), None when it finds nothing."""
    import trafilatura  # only HTML needs it; its import (lxml, jusText) is slow

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    assert not isinstance(document, dict)  # a dict only with as_dict=True, which is not asked for
    return document


def _deep_page(html: str) -> lxml.html.HtmlElement | None:
    """The page's tree built to libxml2's larger depth limit when the usual one (256 levels)
    stopped it; None when nesting is not the trouble. Deeper than that is an error that says so."""
    if not _parse_page(html, huge_tree=False)[1]:
        return None
    tree, too_deep = _parse_page(html, huge_tree=True)
    if too_deep:
        raise Unreadable(f"page nested too deeply (more than {HUGE_DEPTH} levels of elements)")
    return tree


def _parse_page(html: str, huge_tree: bool) -> tuple[lxml.html.HtmlElement | None, bool]:
    """The page's tree (None if there is none) and whether the depth limit cut it short."""
    import lxml.html  # only HTML needs it, as trafilatura

    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=huge_tree, remove_comments=True, remove_pis=True)
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except lxml.etree.ParserError:
        tree = None
    return tree, any(TOO_DEEP in error.message for error in parser.error_log)


def parse_article_text(text: str, id: str, source: str | None = None, **known) -> Article:
    """Build an Article from raw text: metadata read from the text where present,
    fields given in `known` (from JSONL or HTML metadata) win."""
    fields = text_metadata(text)
    fields.update({name: value for name, value in known.items() if value})
    if fields.get("published"):
        fields["published"] = iso_date(fields["published"])
    return Article(id=id, text=text, source=source, **fields)


def _size(count: int) -> str:
    """12_345_678 -> "12.3 MB", 10_000_000 -> "10 MB", 100 -> "100 bytes"."""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if count >= scale:
            return f"{count / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count} bytes"


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
