"""Limits that keep one request from taking the site down.

Datasette's SQL time limit is checked between SQLite's virtual-machine steps: it cannot stop
a single C call that runs long, and it bounds time, not memory. So:

- Requests are refused with a 400 before any work starts when the URL is longer than
  ``MAX_URL_BYTES``, carries more than ``MAX_FACETS`` facet parameters, or repeats any
  parameter more than ``MAX_REPEATS`` times (every facet is computed and every facet link
  repeats the whole query string: 800 ``_facet=speaker`` took 28 s and 1.3 GB).
- Every connection Datasette opens caps what one call can do: no value over
  ``MAX_VALUE_BYTES`` (``zeroblob``, ``randomblob``, ``group_concat``, ``||`` ... fail at once
  with "string or blob too big"), LIKE/GLOB patterns of ``MAX_LIKE_PATTERN_LENGTH``,
  ``MAX_COLUMNS`` result columns and ``MAX_RESULT_BYTES`` of rows per query.
  ``DENIED_FUNCTIONS`` are refused: ``printf``'s padding loop runs to the requested width even
  past the size limit (11 s for ``printf('%.*c', 900000000, 'x')``). ``instr``, ``replace``
  and the two-argument ``trim``s compare every position with the whole needle inside SQLite
  (40 s for one ``instr`` on a 1 MB value) and are replaced by linear-time Python versions.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections import Counter
from collections.abc import Callable
from urllib.parse import parse_qsl

from datasette import hookimpl

from quotes.articles import MAX_BYTES as MAX_ARTICLE_BYTES

MAX_URL_BYTES = 4096
MAX_FACETS = 5
MAX_REPEATS = 30
FACET_PARAMETERS = frozenset({"_facet", "_facet_array", "_facet_date"})

# The longest text or blob SQLite may read or make. Every stored value must fit, or every page
# listing it fails with "string or blob too big": the longest article text ingest can store is a
# file of articles.MAX_BYTES decoded, in UTF-8 at most twice that. Values that large are rare
# (news articles are tens of kilobytes), and MAX_RESULT_BYTES bounds what a query can pile up.
MAX_VALUE_BYTES = 2 * MAX_ARTICLE_BYTES
# LIKE/GLOB cost up to (value length x pattern length): 0.35 s on a 1 MB value at this limit, so
# several seconds on the rare multi-megabyte article; Datasette's own full-text detection uses
# patterns of 40 characters plus the table name.
MAX_LIKE_PATTERN_LENGTH = 100
# A query's rows may hold this much text and blobs: the time limit alone let a 220-byte URL
# (one 1 MB value joined to 1,000 rows) fill 700 MB before it struck. A row is at most
# MAX_COLUMNS values of MAX_VALUE_BYTES; the widest table here has 25 columns.
MAX_RESULT_BYTES = 32_000_000
MAX_COLUMNS = 64
# Denied outright: nothing on the site needs them and their cost has no bound
# (json_patch compares every key with every key: 53 s for two 60,000-key objects).
DENIED_FUNCTIONS = frozenset({"printf", "format", "json_patch"})


def refusal(url_bytes: int, query_string: bytes) -> str | None:
    """Why a request is refused before any work is done, or None to let it through."""
    if url_bytes > MAX_URL_BYTES:
        return f"URL too long ({url_bytes:,} bytes; the limit is {MAX_URL_BYTES:,})"
    names = Counter(name for name, _ in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True))
    facets = sum(names[name] for name in FACET_PARAMETERS)
    if facets > MAX_FACETS:
        return f"too many facets ({facets}; the limit is {MAX_FACETS})"
    name, count = max(names.items(), key=lambda item: item[1], default=("", 0))
    if count > MAX_REPEATS:
        return f"parameter {name} repeated {count} times (the limit is {MAX_REPEATS})"
    return None


async def send_bad_request(send, message: str) -> None:
    body = f"400 Bad Request: {message}\n".encode()
    await send({"type": "http.response.start", "status": 400,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


@hookimpl
def asgi_wrapper():
    def wrap(app):
        async def refuse_abusive_requests(scope, receive, send):
            if scope["type"] == "http":
                query_string = scope.get("query_string", b"")
                path = scope.get("raw_path") or scope["path"].encode()
                reason = refusal(len(path) + 1 + len(query_string), query_string)
                if reason:
                    await send_bad_request(send, reason)
                    return
            await app(scope, receive, send)
        return refuse_abusive_requests
    return wrap


def deny_unbounded_functions(action: int, arg1, arg2, database, source) -> int:
    """sqlite3 authorizer: for a function call, ``arg2`` is the function's name."""
    if action == sqlite3.SQLITE_FUNCTION and arg2 and arg2.lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def as_text(value) -> str:
    """A value as SQLite's text functions see it."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def nulls_give_null(function: Callable) -> Callable:
    """SQL semantics: a NULL argument gives NULL; other values are taken as text."""
    def wrapper(*args):
        if any(arg is None for arg in args):
            return None
        return function(*map(as_text, args))
    return wrapper


@nulls_give_null
def instr(haystack: str, needle: str) -> int:
    return haystack.find(needle) + 1


@nulls_give_null
def replace(text: str, old: str, new: str) -> str:
    if not old:
        return text
    # Characters, at most the result's bytes: refuse before Python builds a huge string.
    if len(text) + text.count(old) * (len(new) - len(old)) > MAX_VALUE_BYTES:
        raise sqlite3.DataError("string or blob too big")
    return text.replace(old, new)


@nulls_give_null
def trim(text: str, characters: str) -> str:
    return strip_set(text, set(characters), True, True)


@nulls_give_null
def ltrim(text: str, characters: str) -> str:
    return strip_set(text, set(characters), True, False)


@nulls_give_null
def rtrim(text: str, characters: str) -> str:
    return strip_set(text, set(characters), False, True)


def strip_set(text: str, characters: set[str], left: bool, right: bool) -> str:
    """``str.strip`` with a set lookup: linear however many characters are given."""
    start, end = 0, len(text)
    while left and start < end and text[start] in characters:
        start += 1
    while right and end > start and text[end - 1] in characters:
        end -= 1
    return text[start:end]


LINEAR_FUNCTIONS = {("instr", 2): instr, ("replace", 3): replace,
                    ("trim", 2): trim, ("ltrim", 2): ltrim, ("rtrim", 2): rtrim}


class ResultBudget:
    """A row factory (Datasette's ``sqlite3.Row``) that counts each cursor's bytes of text and
    blobs and stops the query once they pass ``MAX_RESULT_BYTES``."""

    def __init__(self) -> None:
        self.spent: weakref.WeakKeyDictionary[sqlite3.Cursor, int] = weakref.WeakKeyDictionary()

    def __call__(self, cursor: sqlite3.Cursor, values: tuple) -> sqlite3.Row:
        size = sum(len(value) for value in values if isinstance(value, (str, bytes)))
        spent = self.spent[cursor] = self.spent.get(cursor, 0) + size
        if spent > MAX_RESULT_BYTES:
            raise sqlite3.OperationalError(f"result too large (more than {MAX_RESULT_BYTES // 1_000_000} MB):"
                                           " select fewer rows or columns")
        return sqlite3.Row(cursor, values)


@hookimpl
def prepare_connection(conn: sqlite3.Connection):
    conn.row_factory = ResultBudget()
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, MAX_COLUMNS)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, MAX_LIKE_PATTERN_LENGTH)
    conn.set_authorizer(deny_unbounded_functions)
    for (name, arity), function in LINEAR_FUNCTIONS.items():
        conn.create_function(name, arity, function, deterministic=True)
