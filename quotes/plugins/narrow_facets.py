"""Default facets that stay fast on a large archive.

A facet groups every matching row, so a default facet (``facets:`` in metadata.yml) costs
about a second per column on every page load at a million quotes. Declared as
``{narrow: column}``, a default facet shows:

- on the whole archive (no search, no filter), for the columns of ``db.SUMMARY_FACETS``,
  the counts ``db.count_facets`` stored in ``facet_counts`` at the end of the last ingest;
  likewise on its trusted rows (the Quotes page's default, ``db.trusted``);
- once a search or filter has narrowed the page to ``MAX_ROWS`` rows or fewer, live counts;
- in between, nothing: readers facet on demand with ``?_facet=column``.
"""

from __future__ import annotations

import asyncio
import copy
import re

from datasette import hookimpl
from datasette.facets import ColumnFacet
from datasette.utils import path_with_added_args, path_with_removed_args

from quotes.db import DEFAULT_MIN_CONFIDENCE, SUMMARY_FACETS, trusted, trusted_facets_key

# Grouping the 5,600 hits of a search takes 10-15 ms a column at 1M quotes (see
# docs/BENCHMARKS.md); this many, about four times that, the columns side by side.
MAX_ROWS = 20_000
WHERE = re.compile(r"\bwhere\b", re.IGNORECASE)
ONLY_TRUSTED = re.compile(rf"\bwhere {re.escape(trusted())}\s*(order by .*|limit .*)?$", re.IGNORECASE | re.DOTALL)
STORED_COUNTS = """
select value, count from facet_counts where table_name = ? and column_name = ?
order by count desc, value limit ?
"""


class NarrowColumnFacet(ColumnFacet):
    """A column facet read from stored counts on the whole archive, and counted live only
    when Datasette's row count says the page is narrow."""

    type = "narrow"

    async def suggest(self):
        return []

    def get_configs(self):
        # A column also asked for with ?_facet= is shown once, by the plain column facet.
        requested = {value for key, value in self.get_querystring_pairs() if key == "_facet"}
        return [c for c in super().get_configs()
                if (c["config"].get("column") or c["config"]["simple"]) not in requested]

    def stored_counts_key(self) -> str | None:
        """Which stored counts describe this page: the whole archive's, its trusted rows',
        or none (a search or another filter narrows it)."""
        if self.table not in SUMMARY_FACETS:
            return None
        if not WHERE.search(self.sql):
            return self.table
        if (ONLY_TRUSTED.search(self.sql) and isinstance(self.params, dict)
                and self.params.get("min_confidence") == DEFAULT_MIN_CONFIDENCE):
            return trusted_facets_key(self.table)
        return None

    async def facet_results(self):
        key = self.stored_counts_key()
        if key and await self.has_stored_counts():
            return await self.stored_results(key), []
        if self.row_count is None or self.row_count > MAX_ROWS:
            return [], []
        # One query per column, run side by side on Datasette's SQL threads.
        parts = await asyncio.gather(*(self.column_results(config) for config in self.get_configs()))
        results = [result for part, _ in parts for result in part]
        for result in results:
            result["type"] = ColumnFacet.type  # displayed as a plain facet, not "speaker (narrow)"
        return results, [column for _, timed_out in parts for column in timed_out]

    async def column_results(self, config: dict) -> tuple[list[dict], list[str]]:
        """Datasette's own column facet, for one column."""
        single = copy.copy(self)
        single.get_configs = lambda: [config]  # type: ignore[method-assign]  # ColumnFacet reads its columns only here
        return await ColumnFacet.facet_results(single)

    async def has_stored_counts(self) -> bool:
        db = self.ds.get_database(self.database)
        return await db.table_exists("facet_counts")

    async def stored_results(self, key: str) -> list[dict]:
        """The whole archive's facets (or its trusted rows'), from the counts stored at the
        last ingest under ``key``."""
        db = self.ds.get_database(self.database)
        size = self.get_facet_size()
        results = []
        for config in self.get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            if column not in SUMMARY_FACETS[self.table]:
                continue
            rows = (await db.execute(STORED_COUNTS, [key, column, size + 1])).rows
            results.append({
                "name": column,
                "type": ColumnFacet.type,
                "hideable": config["source"] != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet": column})),
                "results": [{
                    "value": row["value"],
                    "label": row["value"],
                    "count": row["count"],
                    "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(
                        path_with_added_args(self.request, {column: row["value"]}))),
                    "selected": False,
                } for row in rows[:size]],
                "truncated": len(rows) > size,
            })
        return results


@hookimpl
def register_facet_classes():
    return [NarrowColumnFacet]
