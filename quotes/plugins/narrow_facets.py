"""Default facets that stay fast on a large archive: they run only on pages matching few rows.

A facet groups every matching row, so a default facet (``facets:`` in metadata.yml) on the
whole archive costs hundreds of milliseconds per column on every page load at a million
quotes. Declared as ``{narrow: column}``, a default facet is shown once a search or filter
has narrowed the page to ``MAX_ROWS`` rows or fewer; on larger pages readers still facet
on demand with ``?_facet=column`` (or "Facet by this" in a column's menu).
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.facets import ColumnFacet

# Grouping this many rows through quotes_view takes a few tens of milliseconds.
MAX_ROWS = 20_000


class NarrowColumnFacet(ColumnFacet):
    """A column facet that runs only when Datasette's row count says the page is narrow."""

    type = "narrow"

    async def suggest(self):
        return []

    def get_configs(self):
        # A column also asked for with ?_facet= is shown once, by the plain column facet.
        requested = {value for key, value in self.get_querystring_pairs() if key == "_facet"}
        return [c for c in super().get_configs()
                if (c["config"].get("column") or c["config"]["simple"]) not in requested]

    async def facet_results(self):
        if self.row_count is None or self.row_count > MAX_ROWS:
            return [], []
        results, timed_out = await super().facet_results()
        for result in results:
            result["type"] = ColumnFacet.type  # displayed as a plain facet, not "speaker (narrow)"
        return results, timed_out


@hookimpl
def register_facet_classes():
    return [NarrowColumnFacet]
