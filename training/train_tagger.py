"""Train the attribution-part tagger (quotes/tagger.py) on annotated attributions.

    python training/train_tagger.py TRAIN.jsonl DEV.jsonl --parse-cache DIR --out PATH

Each article of TRAIN is parsed (or read from the parse cache shared with bench/eval_quotes.py);
every word gets a BIO tag for each part of the annotated attributions it belongs to (content,
cue, source; a word inside two nested contents is inside). A fixed tenth of TRAIN's articles
(the scorer's, by their ids) picks the epoch; DEV is only scored, never fitted on: per part,
word-level F1 and the F1 of whole content spans at 0.3 overlap and exactly.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "training"))

from train_attribution import fold_of, split, training_arguments, training_parses  # noqa: E402

from quotes.encoder import WIDTH  # noqa: E402
from quotes.evaluate import GoldQuote, Report, format_report, match, score_article, trimmed  # noqa: E402
from quotes.learned import ArticleWords  # noqa: E402
from quotes.models import ParsedArticle  # noqa: E402
from quotes.pipeline import extract_parsed  # noqa: E402
from quotes.tagged import runs  # noqa: E402
from quotes.tagger import (  # noqa: E402
    BEGIN,
    INSIDE,
    OUTSIDE,
    PARTS,
    SentenceFeatures,
    TaggerModel,
    Vocabulary,
    article_features,
    build_network,
    pad,
    with_context,
    word_vectors,
)


@dataclass
class Example:
    """One article: its words, the tagger's input per sentence and the gold tags per word."""

    parsed: ParsedArticle
    words: ArticleWords
    sentences: list[SentenceFeatures]
    tags: list[list[int]]  # per article word, one tag per part
    gold: list[GoldQuote]


def gold_tags(words: ArticleWords, gold: list[GoldQuote]) -> list[list[int]]:
    """BIO tags of every word for content, cue and source."""
    tags = [[OUTSIDE] * len(PARTS) for _ in words.words]
    for quote in gold:
        for part, span in enumerate(((quote.start, quote.end), quote.cue, quote.speaker)):
            positions = words.between(*span) if span else []
            for n, i in enumerate(positions):
                tags[i][part] = BEGIN if n == 0 or tags[i][part] == BEGIN else INSIDE
    return tags


def example(parsed: ParsedArticle, gold: list[GoldQuote]) -> Example:
    words = ArticleWords.of(parsed)
    return Example(parsed, words, article_features(parsed, words), gold_tags(words, gold), gold)


def encoded(vocabulary: Vocabulary, examples: list[Example]) -> list[tuple]:
    """(forms, ids, flags, tags) per sentence."""
    import torch

    found = []
    for e in examples:
        for sentence in e.sentences:
            forms, categorical, flags, context = vocabulary.encode(sentence)
            tags = torch.tensor([e.tags[i] for i in sentence.positions], dtype=torch.long)
            found.append((forms, categorical, flags, context, tags))
    return found


def batches(items: list[tuple], size: int, shuffle: bool) -> list[tuple]:
    import torch
    from torch.nn.utils.rnn import pad_sequence

    order = torch.randperm(len(items)).tolist() if shuffle else list(range(len(items)))
    found = []
    for at in range(0, len(order), size):
        chunk = [items[i] for i in order[at:at + size]]
        padded = pad([c[:4] for c in chunk])
        found.append((*padded, pad_sequence([c[4] for c in chunk], batch_first=True, padding_value=-100)))
    return found


def fit(train: list[Example], holdout: list[Example], epochs: int, hidden: int, seed: int = 13) -> TaggerModel:
    """Train on ``train``; keep the epoch with the lowest loss on ``holdout``."""
    import torch

    torch.manual_seed(seed)
    vocabulary = Vocabulary.fit([s for e in train for s in e.sentences])
    _, vectors = word_vectors()
    config = {"hidden": hidden, "encoder": WIDTH}
    with_context([s for e in train + holdout for s in e.sentences])
    network = build_network(vocabulary, vectors, **config)
    items, hold = encoded(vocabulary, train), batches(encoded(vocabulary, holdout), 64, False)
    optimiser = torch.optim.Adam([p for p in network.parameters() if p.requires_grad], lr=2e-3)
    loss_of = torch.nn.CrossEntropyLoss(ignore_index=-100)
    best, best_state = float("inf"), None
    for epoch in range(epochs):
        started = time.time()
        network.train()
        for forms, ids, flags, context, lengths, tags in batches(items, 32, True):
            optimiser.zero_grad()
            logits = network(forms, ids, flags, context, lengths)
            loss_of(logits.reshape(-1, logits.shape[-1]), tags.reshape(-1)).backward()
            optimiser.step()
        network.eval()
        with torch.no_grad():
            hold_loss = sum(loss_of(network(f, i, fl, c, n).reshape(-1, 3), t.reshape(-1)).item()
                            for f, i, fl, c, n, t in hold)
        print(f"epoch {epoch + 1}: holdout loss {hold_loss:.2f} ({time.time() - started:.0f} s)", flush=True)
        if hold_loss < best:
            best, best_state = hold_loss, {k: v.clone() for k, v in network.state_dict().items()}
    if best_state is not None:
        network.load_state_dict(best_state)
    network.eval()
    return TaggerModel(vocabulary, network, config)


def predictions(model: TaggerModel, e: Example) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """The most likely tag of every word for each part, and the content spans they make."""
    tags = [[OUTSIDE] * len(PARTS) for _ in e.words.words]
    found = []
    for sentence, probs in zip(e.sentences, model.probabilities(e.sentences), strict=True):
        for i, row in zip(sentence.positions, probs.argmax(dim=-1).tolist(), strict=True):
            tags[i] = row
        found += [(e.words.words[r.first].start, e.words.words[r.last].end)
                  for r in runs(probs, sentence.positions, 0)]
    return tags, found


def report(model: TaggerModel, dataset: list[Example]) -> str:
    """Word-level F1 per part, and content spans at 0.3 overlap and exactly."""
    counts = {part: [0, 0, 0] for part in PARTS}  # right, predicted, gold words inside the part
    loose, exact, predicted, gold_count = 0, 0, 0, 0
    for e in dataset:
        tags, found = predictions(model, e)
        for n, part in enumerate(PARTS):
            for tagged, annotated in zip(tags, e.tags, strict=True):
                counts[part][0] += tagged[n] != OUTSIDE and annotated[n] != OUTSIDE
                counts[part][1] += tagged[n] != OUTSIDE
                counts[part][2] += annotated[n] != OUTSIDE
        gold = [(g.start, g.end) for g in e.gold]
        text = e.parsed.article.text
        loose += len(match(gold, found, 0.3))
        exact += len(match([trimmed(text, *g) for g in gold], [trimmed(text, *s) for s in found], 1.0))
        predicted += len(found)
        gold_count += len(gold)
    lines = []
    for part, (right, got, want) in counts.items():
        lines.append(f"{part:8} words: P {right / max(1, got):.3f} R {right / max(1, want):.3f} "
                     f"F1 {2 * right / max(1, got + want):.3f}")
    for name, spans_right in (("overlap 0.3", loose), ("exact", exact)):
        lines.append(f"content spans, {name}: P {spans_right / max(1, predicted):.3f} "
                     f"R {spans_right / max(1, gold_count):.3f} "
                     f"F1 {2 * spans_right / max(1, predicted + gold_count):.3f}")
    return "\n".join(lines)


def pipeline_report(dataset: list[Example], model: TaggerModel) -> Report:
    """The evaluation figures of the whole pipeline with ``model`` as its tagger."""
    figures = Report(articles=len(dataset))
    for e in dataset:
        score_article(figures, e.parsed.article.text, e.gold, extract_parsed(e.parsed, model).quotes)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = training_arguments(__doc__.splitlines()[0], "tagger.pt")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=96)
    parser.add_argument("--fold", type=str, default=None, metavar="K/N",
                        help="train on the training articles outside fold K of N only (for the scorer's "
                             "training features, see training/train_attribution.py --fold-taggers)")
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(1)
    train_parses, dev_parses = training_parses(args)
    train_all, dev = [example(*pair) for pair in train_parses], [example(*pair) for pair in dev_parses]
    if args.fold:
        k, n = (int(x) for x in args.fold.split("/"))
        train_all = [e for e in train_all if fold_of(e.parsed.article.id, n) != k]
    train, holdout = split(train_all)
    print(f"train {len(train)} articles ({sum(len(e.sentences) for e in train)} sentences), "
          f"holdout {len(holdout)}, dev {len(dev)}", flush=True)
    model = fit(train, holdout, args.epochs, args.hidden)
    print("== dev, tagger alone ==\n" + report(model, dev), flush=True)
    model.save(args.out)
    if not args.fold:
        # The shipped scorer was trained on the features of the taggers before this one: retrain
        # it (training/train_attribution.py) before these figures mean anything.
        print("== dev, pipeline with this tagger and the shipped scorer ==\n"
              + format_report(pipeline_report(dev, model)))
    print(f"model written to {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
