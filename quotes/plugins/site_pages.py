"""The reader's pages inside Datasette: the home page, the speaker, article and quote row
pages (templates ``row-quotes-*.html``), ``/search``, the trust switch and the site's CSS.

The data comes from ``quotes.site``; the templates in ``quotes/templates`` lay it out. Row
pages keep their ``.json`` twins (Datasette's own), and so does ``/search``.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import tilde_decode
from datasette.utils.asgi import Response

from quotes.site import pages, trust
from quotes.site.search import search

ROW_PAGES = {"speakers": pages.speaker_page, "articles": pages.article_page, "quotes": pages.quote_page}
# The reader's list of quotes; its JSON (and CSV) twin returns every row unless asked with
# ?_trusted=1, so the API answers as it always did.
TRUSTED_LIST = "quotes_view"
NO_SEARCH = {"items": [], "trust": {"hidden": 0}}


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/quotes-static/quotes.css")]


@hookimpl
def extra_template_vars(view_name, table, request, datasette):
    async def page_vars():
        if view_name == "index":
            return {"home": await pages.home_page(datasette)}
        if view_name == "row" and table in ROW_PAGES:
            key = tilde_decode(request.url_vars["pks"])
            return {"page": await ROW_PAGES[table](datasette, request, key)}
        if view_name == "table" and table == TRUSTED_LIST:
            return {"trust": trust.switch(request, hidden=0)}
        if request is not None and request.url_vars.get("table") in pages.UNDATED_NOTES:
            return {"chart_notes": await pages.chart_notes(datasette, request, request.url_vars["table"])}
        return {}

    return page_vars


@hookimpl
def filters_from_request(request, database, table, datasette):
    """On the Quotes page, attributions below the threshold, stances and questions are hidden until
    the reader flips the switch (``?_all=1``)."""
    if table != TRUSTED_LIST or trust.shows_all(request):
        return None
    is_api = request.url_vars.get("format") is not None
    if is_api and request.args.get("_trusted") != "1":
        return None
    return FilterArguments(
        [trust.condition(alias="")], trust.params(),
        [f"confidence ≥ {trust.DEFAULT_MIN_CONFIDENCE}, neither a stance nor a question"])


@hookimpl
def register_routes():
    return [(r"^/search(\.(?P<format>json))?$", search_page)]


async def search_page(datasette, request):
    """Search quotes and speakers: the page, or its JSON twin at ``/search.json?q=``."""
    result = await search(datasette, request, request.args.get("q", ""))
    if request.url_vars.get("format") == "json":
        quotes = result["quotes"] or NO_SEARCH
        return Response.json({
            "query": result["query"],
            "speakers": result["speakers"],
            "quotes": [{k: v for k, v in item.items() if k not in ("context", "marked")}
                       for item in quotes["items"]],
            "hidden": quotes["trust"]["hidden"],
            "too_broad": result["too_broad"],
        })
    return Response.html(await datasette.render_template("search.html", {"result": result}, request=request))
