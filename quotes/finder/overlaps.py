"""One quote where two cues claim the same content."""

from __future__ import annotations

from ..models import Quote

BESIDE = 3  # characters between quoted words and the cue or mention beside them (", " or ": ")


def overlap_share(a: Quote, b: Quote) -> float:
    """How much two quotes overlap, as a share of the shorter one."""
    return (min(a.end, b.end) - max(a.start, b.start)) / max(1, min(a.end - a.start, b.end - b.start))


def one_content_two_voices(a: Quote, b: Quote) -> bool:
    """Two speakers' quotes of one content, by two cues ("Lavrov charged, and officials
    denied, that ...", ``cues.with_shared_contents``): both are kept."""
    return a.shared and b.shared and (a.start, a.end) == (b.start, b.end) and a.cue != b.cue


def said_beside(quote: Quote) -> bool:
    """Whether a quote with quoted words (direct or mixed) has its cue or its speaker's mention
    right beside it, no more than ``BESIDE`` characters off ("“Gun owners should leave their
    weapons at home,” opined Cleveland's Plain Dealer", "he exclaimed: “...”", "called the
    plan “a disaster”"). For indirect contents the same preference lost on dev (exact -11)."""
    if quote.kind == "indirect" or quote.cue is None:
        return False
    spans = [quote.cue] + ([quote.speaker.mention] if quote.speaker and quote.speaker.mention else [])
    return any(0 <= span.start - quote.end <= BESIDE or 0 <= quote.start - span.end <= BESIDE for span in spans)


def contains_cue(outer: Quote, inner: Quote) -> bool:
    """Whether ``inner``'s cue lies in ``outer``'s content: "refused [to concede that ...]"
    is one attribution whose content holds another. A direct quote keeps its own cue ("“...,”
    said X, according to RIA")."""
    return inner.kind != "direct" and inner.cue is not None and outer.start <= inner.cue.start \
        and inner.cue.end <= outer.end


def nested(a: Quote, b: Quote) -> bool:
    """Whether one quote's cue lies in the other's content (``contains_cue``, either way)."""
    return contains_cue(a, b) or contains_cue(b, a)


def drop_overlaps(quotes: list[Quote]) -> list[Quote]:
    """Keep one quote where two mostly overlap (two cues claiming the same content): quoted
    words' cue beside them (``said_beside``), else the likelier, then the longer. A nested pair
    (one cue inside the other's content: "refused [to concede [that ...]]") is kept whole:
    annotators mark one of the two, the outer or the inner as the sentence goes, and the
    scorer chooses (``attribution.one_per_content``).

    ``quotes`` come sorted by start and kept ones barely overlap, so only the kept quotes
    reaching past this one's start are compared: the last few.
    """
    kept: list[Quote] = []
    for quote in quotes:
        reaching = []
        for i in range(len(kept) - 1, -1, -1):
            if kept[i].end <= quote.start:
                break
            reaching.append(i)
        clash = [i for i in reversed(reaching) if overlap_share(kept[i], quote) > 0.5
                 and not one_content_two_voices(kept[i], quote) and not nested(kept[i], quote)]
        if not clash:
            kept.append(quote)
            continue
        rival = kept[clash[0]]
        if (said_beside(quote), quote.confidence, quote.end - quote.start) > (
                said_beside(rival), rival.confidence, rival.end - rival.start):
            kept[clash[0]] = quote
    return sorted(kept, key=lambda q: q.start)
