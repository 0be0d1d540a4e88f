"""Which attributions a reader sees by default: confident ones that report speech.

Lists hide attributions below ``db.DEFAULT_MIN_CONFIDENCE``, stance attributions ("believes",
"backed") and reported questions ("asked whether ...": ``models.UNSPOKEN_CUE_TYPES``);
``?_all=1`` shows everything, and every list says how many it hides. The rule is
``db.trusted`` in SQL, and ``is_trusted`` for a row already read.
"""

from __future__ import annotations

from datasette.utils import path_with_added_args, path_with_removed_args

from quotes.db import DEFAULT_MIN_CONFIDENCE, trusted
from quotes.models import UNSPOKEN_CUE_TYPES

SHOW_ALL = "_all"


def condition(alias: str = "q") -> str:
    """``db.trusted`` for the quotes row (or quotes_view row) ``alias``; needs ``params()``."""
    return trusted(alias)


def is_trusted(confidence: float | None, cue_type: str | None) -> bool:
    return (confidence or 0) >= DEFAULT_MIN_CONFIDENCE and cue_type not in UNSPOKEN_CUE_TYPES


def params() -> dict:
    return {"min_confidence": DEFAULT_MIN_CONFIDENCE}


def shows_all(request) -> bool:
    return request.args.get(SHOW_ALL) == "1"


def where(request) -> str:
    """The condition a list of quotes ``q`` adds for this request ("1" when showing all)."""
    return "1" if shows_all(request) else condition()


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
