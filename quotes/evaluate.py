"""Score quote extraction against hand-annotated JSON Lines (PolNeAR format).

Each gold record is ``{"id", "text", "quotes": [{"start", "end", "kind", "speaker_start",
"speaker_end", "cue_text", ...}]}``. Predicted and gold quotes are matched one-to-one,
greedily by overlap, and we report precision/recall/F1 for quote spans, how often the
speaker mention is right, recall by kind and figures restricted to speech cues (the
gold also marks beliefs and intentions, which a speech-only user does not want).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .evaluate_roles import (
    RoleGold,
    RoleGoldError,
    RoleScore,
    Share,
    format_role_score,
    load_role_gold,
    score_roles,
)
from .gold_parts import PART_HELP, PARTS, Part, in_part
from .lexicon import cue_is_speech
from .models import Article, Quote, Span

Predictor = Callable[[list[Article]], list[list[Quote]]]
TRIM = " \t\n\u00a0\ufeff.,;:!?\"'`“”‘’«»()-—–"
CONFIDENCE_BUCKETS = (0.0, 0.4, 0.6, 0.8, 1.01)


class GoldError(ValueError):
    """The gold file cannot be read; the message names the file and the reason."""


@dataclass
class GoldQuote:
    start: int
    end: int
    kind: str
    speaker: tuple[int, int] | None
    speech: bool
    cue: tuple[int, int] | None = None


@dataclass
class Score:
    """Counts for one precision/recall figure."""

    matched_pred: int = 0
    predicted: int = 0
    matched_gold: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return Share(self.matched_pred, self.predicted).fraction

    @property
    def recall(self) -> float:
        return Share(self.matched_gold, self.gold).fraction

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, matched: int, predicted: int, gold: int) -> None:
        self.matched_pred += matched
        self.matched_gold += matched
        self.predicted += predicted
        self.gold += gold


@dataclass
class Report:
    articles: int = 0
    spans: dict[str, Score] = field(
        default_factory=lambda: {k: Score() for k in ("overlap 0.3", "overlap 0.8", "exact")})
    end_to_end: Score = field(default_factory=Score)
    speech: Score = field(default_factory=Score)
    speaker_right: int = 0
    speaker_total: int = 0
    cue_right: int = 0  # matched quotes (0.3) whose cue overlaps the gold cue, of those with one
    cue_total: int = 0
    kind_recall: dict[str, list[int]] = field(default_factory=dict)  # kind -> [matched, total]
    kind_precision: dict[str, list[int]] = field(default_factory=dict)  # predicted kind -> [matched, total]
    confidence: dict[float, list[int]] = field(default_factory=dict)  # bucket -> [span right, e2e right, total]
    roles: RoleScore | None = None  # with a role gold file: names and roles of the speakers

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.speaker_total if self.speaker_total else 0.0

    @property
    def cue_accuracy(self) -> float:
        return self.cue_right / self.cue_total if self.cue_total else 0.0


def load_gold(path: str | Path, limit: int | None = None,
              part: Part = "all") -> list[tuple[Article, list[GoldQuote]]]:
    """Gold articles with their quotes, of one part of the file (``in_validation_part``);
    ``Article.text`` is the record text exactly."""
    records: list[tuple[Article, list[GoldQuote]]] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise GoldError(f"{path}: cannot read gold file ({error})") from None
    for number, line in enumerate(lines, 1):
        if limit is not None and len(records) >= limit:
            break
        if line.strip():
            article, gold = parse_record(path, number, line)
            if in_part(article.id, part):
                records.append((article, gold))
    if not records:
        raise GoldError(f"{path}: no gold records" + ("" if part == "all" else f" in its {part} part"))
    return records


def parse_record(path: str | Path, number: int, line: str) -> tuple[Article, list[GoldQuote]]:
    """One JSON Lines record as (Article, gold quotes), or a GoldError naming the line."""
    try:
        record = json.loads(line)
        article = Article(id=str(record["id"]), text=record["text"], source=str(path))
        quotes = [GoldQuote(start=q["start"], end=q["end"], kind=q.get("kind", "indirect"),
                            speaker=(q["speaker_start"], q["speaker_end"])
                            if q.get("speaker_start") is not None else None,
                            speech=cue_is_speech(q.get("cue_text") or ""),
                            cue=(q["cue_start"], q["cue_end"]) if q.get("cue_start") is not None else None)
                  for q in record.get("quotes", [])]
    except (ValueError, KeyError, TypeError) as error:
        raise GoldError(f"{path}: line {number}: not a gold record ({error!r})") from None
    return article, quotes


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without surrounding whitespace, punctuation and quote marks."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def match(gold: list[tuple[int, int]], pred: list[tuple[int, int]],
          threshold: float) -> dict[int, int]:
    """One-to-one greedy matching, best overlap (as a share of the gold span) first.

    Returns {gold index: pred index}; threshold 1.0 means identical spans.
    """
    pairs = []
    for g, gspan in enumerate(gold):
        for p, pspan in enumerate(pred):
            shared = overlap(gspan, pspan)
            if shared:
                ratio = shared / max(1, gspan[1] - gspan[0])
                if ratio >= threshold and (threshold < 1.0 or gspan == pspan):
                    # Ties go to the prediction closest in length to the gold span.
                    pairs.append((ratio, -abs((pspan[1] - pspan[0]) - (gspan[1] - gspan[0])), g, p))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, _, g, p in sorted(pairs, reverse=True):
        if g not in matched and p not in used:
            matched[g] = p
            used.add(p)
    return matched


def speaker_right(gold: GoldQuote, quote: Quote) -> bool:
    """The predicted mention overlaps the gold source; no source expects no mention."""
    mention = quote.speaker.mention if quote.speaker else None
    if gold.speaker is None:
        return mention is None
    return touches_gold(gold.speaker, mention)


def cue_right(gold: GoldQuote, quote: Quote) -> bool:
    """The predicted cue overlaps the gold cue (readers see the cue beside every quote, though
    no PolNeAR figure above weighs it)."""
    return touches_gold(gold.cue, quote.cue)


def touches_gold(gold: tuple[int, int] | None, span: Span | None) -> bool:
    """Whether a predicted span shares a character with an annotated one (both given)."""
    return gold is not None and span is not None and overlap(gold, (span.start, span.end)) > 0


def score_article(report: Report, text: str, gold: list[GoldQuote], pred: list[Quote]) -> None:
    """Add one article's matches to the report."""
    gold_spans = [(g.start, g.end) for g in gold]
    pred_spans = [(q.start, q.end) for q in pred]
    loose = match(gold_spans, pred_spans, 0.3)
    report.spans["overlap 0.3"].add(len(loose), len(pred), len(gold))
    report.spans["overlap 0.8"].add(len(match(gold_spans, pred_spans, 0.8)), len(pred), len(gold))
    exact = match([trimmed(text, *s) for s in gold_spans], [trimmed(text, *s) for s in pred_spans], 1.0)
    report.spans["exact"].add(len(exact), len(pred), len(gold))

    right = {g: speaker_right(gold[g], pred[p]) for g, p in loose.items()}
    report.end_to_end.add(sum(right.values()), len(pred), len(gold))
    with_speaker = [g for g in loose if gold[g].speaker is not None]
    report.speaker_total += len(with_speaker)
    report.speaker_right += sum(right[g] for g in with_speaker)
    with_cue = [g for g in loose if gold[g].cue is not None]
    report.cue_total += len(with_cue)
    report.cue_right += sum(cue_right(gold[g], pred[loose[g]]) for g in with_cue)

    for g, quote in enumerate(gold):
        counts = report.kind_recall.setdefault(quote.kind, [0, 0])
        counts[0] += g in loose
        counts[1] += 1
    pred_matched = {p: g for g, p in loose.items()}
    for p, predicted in enumerate(pred):
        counts = report.kind_precision.setdefault(predicted.kind, [0, 0])
        counts[0] += p in pred_matched
        counts[1] += 1
        bucket = max(b for b in CONFIDENCE_BUCKETS if b <= predicted.confidence)
        counts = report.confidence.setdefault(bucket, [0, 0, 0])
        counts[0] += p in pred_matched
        counts[1] += p in pred_matched and right[pred_matched[p]]
        counts[2] += 1

    speech = report.speech
    speech.matched_gold += sum(1 for g in loose if gold[g].speech)
    speech.gold += sum(1 for g in gold if g.speech)
    speech.matched_pred += sum(1 for p in pred_matched if pred[p].cue_type == "speech")
    speech.predicted += sum(1 for q in pred if q.cue_type == "speech")


def evaluate(gold_path: str | Path, predict: Predictor, limit: int | None = None,
             roles_path: str | Path | None = None, part: Part = "all") -> Report:
    """Run ``predict`` on the gold texts (of ``part`` of the file) and score its quotes; with
    ``roles_path`` (a role gold file, see ``evaluate_roles``) only the articles it annotates,
    and their speakers too."""
    records = load_gold(gold_path, limit, part)
    role_gold = load_role_gold(roles_path) if roles_path else None
    if role_gold is not None:
        records = [(article, gold) for article, gold in records if article.id in role_gold]
    predictions = predict([article for article, _ in records])
    roles = RoleScore()
    report = Report(articles=len(records), roles=roles if role_gold is not None else None)
    for (article, gold), quotes in zip(records, predictions, strict=True):
        score_article(report, article.text, gold, quotes)
        if role_gold is not None:
            score_speakers(roles, article.id, role_gold, quotes)
    return report


def score_speakers(score: RoleScore, article_id: str, role_gold: RoleGold, quotes: list[Quote]) -> None:
    """Names and roles of the quotes matched (as for the spans, overlap >= 0.3) to role gold."""
    gold = role_gold[article_id]
    matched = match([(start, end) for start, end, _ in gold], [(q.start, q.end) for q in quotes], 0.3)
    score_roles(score, article_id, gold, quotes, matched)


def pipeline_predictor(models: str | None = None) -> Predictor:
    """The real pipeline (stanza, finder, speakers) as a predictor."""
    def predict(articles: list[Article]) -> list[list[Quote]]:
        from .pipeline import extract

        return [extraction.quotes for extraction in extract(articles, models)]
    return predict


def format_report(report: Report) -> str:
    """The figures as a small plain-text table."""
    lines = [f"articles: {report.articles}",
             f"{'':28} {'P':>6} {'R':>6} {'F1':>6}  (matched/predicted, matched/gold)"]
    rows = [(f"quote span, {name}", score) for name, score in report.spans.items()]
    rows += [("end-to-end (0.3 + speaker)", report.end_to_end), ("speech cues only (0.3)", report.speech)]
    for name, s in rows:
        lines.append(f"{name:28} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  "
                     f"({s.matched_pred}/{s.predicted}, {s.matched_gold}/{s.gold})")
    lines.append(f"speaker accuracy (matched quotes with a gold source): {report.speaker_accuracy:.3f} "
                 f"({report.speaker_right}/{report.speaker_total})")
    lines.append(f"cue accuracy (matched quotes with a gold cue): {report.cue_accuracy:.3f} "
                 f"({report.cue_right}/{report.cue_total})")
    for title, table in (("recall by gold kind", report.kind_recall),
                         ("precision by predicted kind", report.kind_precision)):
        cells = [f"{kind} {hit / total:.3f} ({hit}/{total})" for kind, (hit, total) in sorted(table.items())]
        lines.append(f"{title}: " + ", ".join(cells))
    lines.append("confidence calibration (span right / span+speaker right / count):")
    for bucket, (span, e2e, total) in sorted(report.confidence.items()):
        lines.append(f"  >= {bucket:.1f}: {span / total:.3f} / {e2e / total:.3f} / {total}")
    if report.roles is not None:
        lines.append(format_role_score(report.roles))
    return "\n".join(lines)


def run_and_print(gold_path: str | Path, limit: int | None = None, models: str | None = None,
                  predict: Predictor | None = None, roles_path: str | Path | None = None,
                  role_misses: bool = False, part: Part = "all") -> None:
    """Evaluate and print the figures; a bad gold file is a one-line error and exit 1."""
    try:
        report = evaluate(gold_path, predict or pipeline_predictor(models), limit, roles_path, part)
    except (GoldError, RoleGoldError) as error:
        print(f"Error: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    print(format_report(report))
    if role_misses and report.roles is not None:
        print("\n".join(report.roles.misses))


def part_argument(parser: argparse.ArgumentParser) -> None:
    """``--part``, as every script that reads a gold file takes it."""
    parser.add_argument("--part", choices=PARTS, default="all", help=PART_HELP)


def main(argv: list[str] | None = None, predict: Predictor | None = None) -> int:
    """``GOLD.jsonl [--limit N] [--roles FILE [--role-misses]]`` from the command line
    (bench/eval_quotes.py)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", help="gold JSON Lines file (PolNeAR format)")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    part_argument(parser)
    parser.add_argument("--roles", default=None,
                        help="role gold file (bench/roles_gold.jsonl): score only its articles, "
                             "with role coverage, role precision and name accuracy")
    parser.add_argument("--role-misses", action="store_true", help="list the wrong names and roles")
    args = parser.parse_args(argv)
    try:
        run_and_print(args.gold, args.limit, predict=predict, roles_path=args.roles,
                      role_misses=args.role_misses, part=args.part)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0
