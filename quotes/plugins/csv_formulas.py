"""CSV exports that a spreadsheet opens as text, never as formulas.

Quotes and article text are written by anyone: a cell starting ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return) is run as a formula by Excel, LibreOffice and Google Sheets
(OWASP "CSV injection"). Datasette 0.65 writes ``.csv`` inside its views, with no hook on the
cells, and streams it, so this wrapper re-reads each streamed CSV record and prefixes such
cells with ``'``, which spreadsheets show as the text itself. Plain numbers (``-12``,
``+3.5``) are left as they are: a spreadsheet reads them as numbers, not formulas.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from datasette import hookimpl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
RECORD_END = "\r\n"  # Datasette writes with csv's default (excel) dialect


def neutralise(cell: str) -> str:
    """The cell as a spreadsheet will show it as text: formula-leading cells get a ``'``."""
    if cell.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


class FormulaNeutraliser:
    """Rewrites a CSV byte stream, chunk by chunk, with every cell neutralised.

    A chunk may end inside a record (or inside a quoted cell holding line breaks): the
    incomplete tail waits for the next chunk. A record is complete at a line end preceded by
    an even number of quote characters, since csv doubles quotes inside quoted cells."""

    def __init__(self) -> None:
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.pending = ""

    def feed(self, chunk: bytes) -> bytes:
        text = self.pending + self.decoder.decode(chunk)
        cut = self.complete_records_end(text)
        self.pending = text[cut:]
        return self.rewrite(text[:cut])

    def close(self) -> bytes:
        """Whatever never became a record (Datasette's error line after a failed page)."""
        tail, self.pending = self.pending + self.decoder.decode(b"", final=True), ""
        return tail.encode("utf-8")

    @staticmethod
    def complete_records_end(text: str) -> int:
        end, quotes, start = 0, 0, 0
        while (line_end := text.find(RECORD_END, start)) != -1:
            quotes += text.count('"', start, line_end)
            start = line_end + len(RECORD_END)
            if quotes % 2 == 0:
                end = start
        return end

    @staticmethod
    def rewrite(records: str) -> bytes:
        if not records:
            return b""
        out = io.StringIO()
        writer = csv.writer(out)
        for row in csv.reader(io.StringIO(records, newline="")):
            writer.writerow([neutralise(cell) for cell in row])
        return out.getvalue().encode("utf-8")


def is_csv_request(scope) -> bool:
    """Datasette answers CSV for any path whose format extension is ``.csv``."""
    return scope["type"] == "http" and scope["path"].endswith(".csv")


def is_csv_body(message) -> bool:
    headers = dict(message.get("headers", []))
    content_type = headers.get(b"content-type", b"").decode("latin-1")
    return message["status"] == 200 and content_type.startswith(("text/csv", "text/plain"))


@hookimpl
def asgi_wrapper():
    def wrap(app):
        async def neutralise_csv(scope, receive, send):
            if not is_csv_request(scope):
                return await app(scope, receive, send)
            neutraliser = None

            async def rewriting_send(message):
                nonlocal neutraliser
                if message["type"] == "http.response.start" and is_csv_body(message):
                    neutraliser = FormulaNeutraliser()
                    message = {**message, "headers": [(k, v) for k, v in message.get("headers", [])
                                                      if k.lower() != b"content-length"]}
                elif message["type"] == "http.response.body" and neutraliser:
                    body = neutraliser.feed(message.get("body", b""))
                    if not message.get("more_body"):
                        body += neutraliser.close()
                    message = {**message, "body": body}
                await send(message)
            await app(scope, receive, rewriting_send)
        return neutralise_csv
    return wrap
