"""Which attributions a reader sees by default: confident ones that report speech.

Lists hide attributions below ``DEFAULT_MIN_CONFIDENCE`` and stance attributions ("believes",
"backed"); ``?_all=1`` shows everything, and every list says how many it hides.
"""

from __future__ import annotations

from datasette.utils import path_with_added_args, path_with_removed_args

from quotes.publish import DEFAULT_MIN_CONFIDENCE

SHOW_ALL = "_all"
# For a quotes row (or quotes_view row) aliased ``q``, with the threshold as :min_confidence.
TRUSTED = "(q.confidence >= :min_confidence and coalesce(q.cue_type, '') != 'stance')"


def shows_all(request) -> bool:
    return request.args.get(SHOW_ALL) == "1"


def where(request, column_prefix: str = "q.") -> str:
    """The SQL condition a list adds for this request ("1" when showing everything)."""
    return "1" if shows_all(request) else TRUSTED.replace("q.", column_prefix)


def params() -> dict:
    return {"min_confidence": DEFAULT_MIN_CONFIDENCE}


def switch(request, hidden: int) -> dict:
    """What the one visible switch needs: the state, how many are hidden, the other URL."""
    showing_all = shows_all(request)
    return {
        "showing_all": showing_all,
        "hidden": hidden,
        "min_confidence": DEFAULT_MIN_CONFIDENCE,
        "url": (path_with_removed_args(request, {SHOW_ALL: "1"}) if showing_all
                else path_with_added_args(request, {SHOW_ALL: "1"})),
    }
