"""The learned attribution scorer: the shipped model loads offline and keeps the examples'
quotes with their speakers; its training script runs end to end on a tiny hand-annotated slice."""

import sys
from pathlib import Path

import pytest

from quotes.attribution import (
    CATEGORICAL,
    MODEL_PATH,
    NUMERIC,
    TAGGER_FEATURES,
    UNTAGGED,
    AttributionModel,
    likeliest_speakers,
    one_per_content,
    own_speakers,
    quote_features,
    score_quotes,
    shipped_model,
)
from quotes.learned import Encoder, Trees, tree_values
from quotes.models import Quote, Span, SpeakerRef
from quotes.pipeline import rule_quotes

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "training"))
import train_attribution  # noqa: E402

# Hand-written gold for three example articles: (content, source) as they appear in the text.
GOLD = {
    "002_6d97062325c34ccb": [
        ("“Those who refuse to leave of their own accord will be wiped out,”",
         "Russian Foreign Minister Sergei Lavrov"),
        ("“There is no other solution.”", "Russian Foreign Minister Sergei Lavrov"),
        ("he plans to meet with Lavrov", "Secretary of State John Kerry"),
    ],
    "003_cd5996b88a391c0c": [
        ("“Russia has a lot of influence on Assad. We must end these atrocious crimes,”", "Merkel"),
        ("Russian and Syrian actions such as bombing hospitals in Syria cried out for a war crimes "
         "investigation", "U.S. Secretary of State John Kerry"),
        ("there was no basis in international law for bombing hospitals", "Merkel"),
    ],
    "004_390c1e4a347e204a": [
        ("Those responsible should be held accountable for these actions", "Kerry"),
        ("“ready to work on this text”", "Lavrov"),
    ],
}


def test_the_shipped_model_loads_without_the_network(no_network, example_parses):
    model = AttributionModel.load(MODEL_PATH)
    assert MODEL_PATH.stat().st_size < 5_000_000
    parsed = next(p for p in example_parses if p.article.id.startswith("003"))
    rows = quote_features(parsed, rule_quotes(parsed))
    probabilities = model.probabilities(rows)
    assert probabilities and all(0.0 <= p <= 1.0 for p in probabilities)
    assert len({round(p, 2) for p in probabilities}) > 1  # it tells quotes apart
    # several networks, their calibrated probabilities averaged, and they do not all agree;
    # their mean is averaged with the trees'
    encoded = model.encoder.encode(rows)
    each = [network.probabilities(*encoded).tolist() for network in model.networks]
    assert len(each) > 1 and each[0] != each[1]
    networks = [sum(column) / len(each) for column in zip(*each, strict=True)]
    trees = model.tree_probabilities(*encoded).tolist()
    assert networks != pytest.approx(trees, abs=0.01)
    assert probabilities == pytest.approx([(n + t) / 2 for n, t in zip(networks, trees, strict=True)])
    assert shipped_model() is shipped_model()  # loaded once per process


def test_without_a_tagger_its_features_read_neutral_and_the_rules_quotes_stay_the_rules(example_parses):
    """Features of quotes read with no tagger: the tagger's agreement reads ``UNTAGGED``, but
    whether the tagger proposed a quote is the quote's own (none of the rules' was)."""
    parsed = next(p for p in example_parses if p.article.id.startswith("002"))
    rows = quote_features(parsed, rule_quotes(parsed))
    assert rows
    assert all(row["tagged_quote"] == 0.0 for row in rows)
    assert all(row[name] == UNTAGGED for row in rows for name in TAGGER_FEATURES)


def test_the_trees_score_as_lightgbm_does(example_parses):
    """``Trees`` reads a LightGBM booster's JSON dump and gives the booster's own raw scores,
    categorical and numeric splits alike, on the features of the examples' quotes (settings
    that let a tiny set split)."""
    import lightgbm

    rows, labels = [], []
    for parsed in example_parses:
        quotes = rule_quotes(parsed)
        rows += quote_features(parsed, quotes)
        labels += [float(q.kind != "indirect") for q in quotes]  # any learnable label will do
    encoder = Encoder.fit(rows, CATEGORICAL, NUMERIC, min_count=1)
    values = tree_values(*encoder.encode(rows))
    settings = {"objective": "binary", "num_leaves": 7, "min_child_samples": 2, "min_data_per_group": 1,
                "cat_smooth": 1, "min_data_in_bin": 1, "verbose": -1, "num_threads": 1, "seed": 1}
    data = lightgbm.Dataset(values, labels, categorical_feature=list(range(len(CATEGORICAL))))
    boosters = [lightgbm.train({**settings, "seed": seed, "feature_fraction": 0.5}, data, num_boost_round=20)
                for seed in (1, 2)]

    trees = Trees.from_lightgbm([booster.dump_model() for booster in boosters])

    assert (trees.category_row >= 0).any() and ((trees.category_row < 0) & (trees.left != trees.right)).any()
    expected = sum(booster.predict(values, raw_score=True) for booster in boosters) / 2
    assert trees.raw_scores(values) == pytest.approx(expected, abs=1e-9)
    assert len(set(expected.round(6))) > 2


@pytest.mark.parametrize("surname, fragment", [
    ("Lavrov", "Those who refuse to leave of their own accord will be wiped out"),
    ("Kerry", "owe the world more than an explanation"),
    ("de Mistura", "could take months"),
    ("Merkel", "Russia has a lot of influence on Assad"),
])
def test_the_examples_quotes_are_kept_and_attributed(example_extractions, surname, fragment):
    quotes = [q for e in example_extractions.values() for q in e.quotes if fragment in q.text]
    assert quotes, fragment
    assert all(q.speaker and q.speaker.name.endswith(surname) and " " in q.speaker.name for q in quotes)


def gold_record(article_id: str, text: str) -> dict:
    """A PolNeAR-style record for ``text`` from the hand-written GOLD above."""
    quotes = []
    for content, source in GOLD[article_id]:
        start = text.index(content)
        speaker_start = text.index(source, max(0, start - 200))
        quotes.append({"start": start, "end": start + len(content), "kind": "indirect",
                       "speaker_start": speaker_start, "speaker_end": speaker_start + len(source),
                       "cue_text": "said"})
    return {"id": article_id, "text": text, "quotes": quotes}


def test_training_runs_end_to_end_on_a_tiny_slice(example_parses, training_slice, tmp_path, capsys):
    parses = {p.article.id: p for p in example_parses}
    train, dev, cache = training_slice([gold_record(i, parses[i].article.text) for i in GOLD])
    out = tmp_path / "scorer.pt"

    status = train_attribution.main([str(train), str(dev), "--parse-cache", str(cache),
                                     "--out", str(out), "--epochs", "3"])

    assert status == 0
    printed = capsys.readouterr().out
    assert "== dev, rules + scorer ==" in printed and "quote span, overlap 0.3" in printed
    model = AttributionModel.load(out)
    assert len(model.networks) == len(train_attribution.SEEDS)
    assert len(model.trees.roots) >= len(train_attribution.TREE_SEEDS)  # at least a tree a booster
    parsed = parses["004_390c1e4a347e204a"]
    quotes = rule_quotes(parsed)
    kept = score_quotes(parsed, quotes, model)
    assert {(q.start, q.end) for q in kept} <= {(q.start, q.end) for q in quotes}
    assert all(q.confidence >= model.keep_threshold - 0.001 for q in kept)


def test_training_labels_a_quote_right_when_it_matches_the_gold(example_parses):
    parsed = next(p for p in example_parses if p.article.id.startswith("003"))
    gold = train_attribution.GoldQuote
    record = gold_record(parsed.article.id, parsed.article.text)
    example = train_attribution.examples([(parsed, [gold(q["start"], q["end"], q["kind"],
                                                         (q["speaker_start"], q["speaker_end"]), True)
                                                    for q in record["quotes"]])])[0]
    right = {q.text for q, label in zip(example.quotes, example.labels, strict=True) if label}
    assert any("atrocious crimes" in text for text in right)
    assert any("war crimes investigation" in text for text in right)
    assert sum(example.labels) <= len(record["quotes"]) < len(example.quotes)


def test_a_quote_right_under_the_wrong_speaker_is_labelled_part_right(example_parses):
    """The scorer learns spans and speakers together: a quote whose content matches the gold
    but whose speaker mention misses the annotated source counts ``SPAN_WEIGHT``, not 1."""
    parsed = next(p for p in example_parses if p.article.id.startswith("003"))
    record = gold_record(parsed.article.id, parsed.article.text)
    quotes = rule_quotes(parsed)

    def labelled(source_of) -> dict[str, float]:
        gold = [train_attribution.GoldQuote(q["start"], q["end"], q["kind"], source_of(q), True)
                for q in record["quotes"]]
        return {q.text: label for q, label in zip(quotes, train_attribution.quote_labels(quotes, gold), strict=True)
                if label}

    right = labelled(lambda q: (q["speaker_start"], q["speaker_end"]))
    elsewhere = labelled(lambda q: (0, 1))  # the article's first character: nobody's mention
    assert any("war crimes investigation" in text and label == 1.0 for text, label in right.items())
    assert set(elsewhere) == set(right)
    assert set(elsewhere.values()) == {train_attribution.SPAN_WEIGHT} and train_attribution.SPAN_WEIGHT < 1.0


def test_one_quote_under_two_speakers_is_labelled_by_each_speaker(example_parses):
    """The scorer chooses between a quote's speaker mentions (``tagged.speaker_alternatives``),
    so each is labelled by the one quote's match: right under the annotated source, part right
    under another; one-to-one matching must not leave the second unmatched."""
    parsed = next(p for p in example_parses if p.article.id.startswith("003"))
    record = gold_record(parsed.article.id, parsed.article.text)
    gold = [train_attribution.GoldQuote(q["start"], q["end"], q["kind"], (q["speaker_start"], q["speaker_end"]), True)
            for q in record["quotes"]]
    quotes = rule_quotes(parsed)
    kerry = next(q for q in quotes if "war crimes investigation" in q.text)
    text = parsed.article.text
    elsewhere = text.index("Merkel")
    merkel = SpeakerRef(mention=Span(start=elsewhere, end=elsewhere + 6, text="Merkel"), name="Merkel", type="person")
    labels = train_attribution.quote_labels([kerry, kerry.model_copy(update={"speaker": merkel})], gold)
    assert labels == [1.0, train_attribution.SPAN_WEIGHT]


def test_of_one_quote_under_several_speakers_the_likeliest_stays():
    """Order kept; with no model each quote keeps the speaker the finder gave it (listed first)."""
    own = quote(0, 50, "speech", 0.5, cue_at=60)
    other = own.model_copy(update={"speaker": SpeakerRef(name="Kerry", type="person")})
    apart = quote(100, 150, "speech", 0.5, cue_at=160)
    assert likeliest_speakers([own, apart, other], [0.4, 0.9, 0.7]) == [(apart, 0.9), (other, 0.7)]
    assert likeliest_speakers([own, apart, other], [0.8, 0.9, 0.7]) == [(own, 0.8), (apart, 0.9)]
    assert own_speakers([own, apart, other]) == [own, apart]
    assert likeliest_speakers([own, own.model_copy(update={"tagged": True})], [0.4, 0.7]) == \
        [(own, 0.4), (own.model_copy(update={"tagged": True}), 0.7)]  # the tagger's quote is another quote


def quote(start: int, end: int, cue_type: str, confidence: float, kind: str = "indirect",
          cue_at: int | None = None) -> Quote:
    cue = Span(start=cue_at, end=cue_at + 6, text="opined") if cue_at is not None else None
    return Quote(article_id="a", start=start, end=end, text="x" * (end - start), kind=kind,
                 cue=cue, cue_type=cue_type, confidence=confidence)


def test_one_quote_per_content_a_speech_cue_first_then_the_likelier():
    """Two cues claiming one content (neither inside the other's content): the speech cue's
    quote beats a likelier stance one; between two stance quotes the likelier stays, and a
    quote apart stays."""
    outer, inner, apart = quote(0, 100, "stance", 0.9), quote(20, 100, "speech", 0.6), quote(200, 240, "stance", 0.3)
    assert one_per_content([outer, inner, apart]) == [inner, apart]
    sure, unsure = quote(0, 100, "stance", 0.9), quote(10, 100, "stance", 0.5)
    assert one_per_content([unsure, sure, apart]) == [sure, apart]
    assert one_per_content([quote(0, 50, "stance", 0.5), quote(0, 50, "stance", 0.5)]) == [quote(0, 50, "stance", 0.5)]


def test_of_a_nested_pair_the_likelier_stays():
    """Refused [to concede [that ...]]: one cue inside the other's content. Annotators mark the
    outer or the inner one as the sentence goes, so the finder keeps both and the likelier
    stays, speech cue or not."""
    from quotes.finder.overlaps import drop_overlaps

    outer, inner = quote(10, 100, "stance", 0.8, cue_at=0), quote(30, 100, "speech", 0.6, cue_at=20)
    assert drop_overlaps([outer, inner]) == [outer, inner]
    assert one_per_content([outer, inner]) == [outer]
    likelier_inner = inner.model_copy(update={"confidence": 0.9})
    assert one_per_content([outer, likelier_inner]) == [likelier_inner]
    # both stay when both are likely enough, and only then
    assert one_per_content([outer, likelier_inner], both_nested=0.7) == [outer, likelier_inner]
    assert one_per_content([outer, inner], both_nested=0.7) == [outer]
    rival = quote(12, 100, "stance", 0.9, cue_at=200)  # the same content, neither cue inside the other's
    assert one_per_content([outer, rival], both_nested=0.7) == [rival]


def test_quoted_words_go_to_the_cue_beside_them():
    """“...,” opined the Plain Dealer: the stance cue right after the marks beats a likelier
    speech cue a sentence before; an indirect content is not quoted words, and keeps the rule."""
    far = quote(100, 150, "speech", 0.9, kind="direct", cue_at=40)
    beside = quote(100, 150, "stance", 0.6, kind="direct", cue_at=151)
    assert one_per_content([far, beside]) == [beside]
    far, beside = (q.model_copy(update={"kind": "indirect"}) for q in (far, beside))
    assert one_per_content([far, beside]) == [far]


def test_the_finder_also_gives_quoted_words_to_the_cue_beside_them():
    """The finder's own choice between two rule cues claiming quoted words follows the same
    order: the cue beside the marks beats a likelier one farther off."""
    from quotes.finder.overlaps import drop_overlaps

    far = quote(100, 150, "speech", 0.9, kind="direct", cue_at=40)
    beside = quote(100, 150, "speech", 0.6, kind="direct", cue_at=151)
    assert drop_overlaps([far, beside]) == [beside]
    assert drop_overlaps([beside, far]) == [beside]
