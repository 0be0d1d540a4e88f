"""The learned attribution-part tagger: the shipped model loads offline and tags the examples'
attributions; its quotes come with a cue and a speaker and never touch the rules' quotes; its
training script runs end to end on a tiny hand-annotated slice."""

import json
import sys
from pathlib import Path

from quotes.document import Document
from quotes.encoder import WIDTH
from quotes.finder import find_quotes, one_content_two_voices, overlap_share
from quotes.gold_parts import in_validation_part
from quotes.learned import ArticleWords
from quotes.pipeline import extract_parsed
from quotes.tagged import (
    CONTENT_TAGS,
    SOURCE_TAGS,
    argument_of,
    speaker_alternatives,
    tagged_quotes,
    with_tagged_sources,
)
from quotes.tagger import (
    MODEL_PATH,
    PARTS,
    UNKNOWN_WORD,
    TaggerModel,
    article_features,
    learned_cues,
    shipped_tagger,
    tag_article,
    word_vectors,
)

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "training"))
import train_tagger  # noqa: E402


def test_the_shipped_tagger_loads_without_the_network(no_network, example_parses):
    model = TaggerModel.load(MODEL_PATH)
    assert MODEL_PATH.stat().st_size < 10_000_000
    parsed = next(p for p in example_parses if p.article.id.startswith("003"))
    words = ArticleWords.of(parsed)
    sentences = article_features(parsed, words)
    probabilities = model.probabilities(sentences)
    assert [p.shape for p in probabilities] == [(len(s.forms), len(PARTS), 3) for s in sentences]
    # "said" is tagged a cue more surely than "the" anywhere in the article
    cue = {words.words[i].text: float(1 - p[n, 1, 0]) for s, p in zip(sentences, probabilities, strict=True)
           for n, i in enumerate(s.positions)}
    assert cue["said"] > 0.5 > cue["the"]
    assert shipped_tagger() is shipped_tagger()  # loaded once per process
    assert word_vectors()[0]["<UNK>"] == UNKNOWN_WORD  # unseen words read as stanza's unknown word


def test_verbs_the_tagger_reads_as_cues_give_the_rules_more_quotes(example_parses):
    """The rules' quotes stay as they are; the new ones hang on a verb no rule takes for a cue,
    read as a cue by the tagger, and are stance; of two quotes claiming the same content, the
    pipeline keeps one (unless two speakers said it through two cues, "Lavrov charged, and
    officials denied, that ...")."""
    added = []
    for parsed in example_parses:
        document, words = Document.of(parsed), ArticleWords.of(parsed)
        offsets = learned_cues(tag_article(parsed))
        plain = find_quotes(document)
        keys = {(q.start, q.end, q.cue.start if q.cue else None) for q in plain}
        found = find_quotes(document, offsets)
        assert keys <= {(q.start, q.end, q.cue.start if q.cue else None) for q in found}
        for quote in (q for q in found if (q.start, q.end, q.cue.start if q.cue else None) not in keys):
            cue = words.words[words.at(quote.cue.start)]
            assert quote.cue.start in offsets and cue.upos == "VERB"
            assert quote.cue.start not in {q.cue.start for q in plain if q.cue}
            assert quote.cue_type == "stance"
            added.append(quote)
        kept = extract_parsed(parsed).quotes
        assert not any(overlap_share(a, b) > 0.5 and not one_content_two_voices(a, b)
                       for i, a in enumerate(kept) for b in kept[i + 1:])
    assert added  # the examples hold attributions whose verb no list has ("vetoed", "appealed")


def test_quoted_words_left_without_a_speaker_get_the_tagged_source(example_articles):
    """Where the rules find no speaker for quoted words (taken away here from "..., his chief of
    staff, Mark Reed, said: “...”"), the tagger's source nearest the cue is the mention; an
    indirect content may have no source ("it is expected that ...") and keeps none."""
    from quotes.nlp import parse_articles

    text = "In a statement to reporters, his chief of staff, Mark Reed, said: “The governor will not resign.”"
    article = example_articles[0].model_copy(update={"id": "form", "text": text, "body_start": 0, "body_end": None})
    [parsed] = parse_articles([article])
    document, tagging = Document.of(parsed), tag_article(parsed)
    [quote] = [q.model_copy(update={"speaker": None}) for q in find_quotes(document, learned_cues(tagging))]
    assert quote.kind == "direct"
    [filled] = with_tagged_sources(document, [quote], tagging)
    assert "Mark Reed" in filled.speaker.mention.text and not filled.start <= filled.speaker.mention.start < filled.end
    indirect = quote.model_copy(update={"kind": "indirect"})
    assert with_tagged_sources(document, [indirect], tagging) == [indirect]
    [extracted] = extract_parsed(parsed).quotes
    assert extracted.speaker.name == "Mark Reed"


def test_words_read_as_cue_at_a_content_start_go_to_its_cue(example_articles):
    """"voiced [concern about] attacks ...": the words the tagger reads as part of the cue leave
    the content for the cue right before it. The tagger's cue reading is set here on a real
    parse, so the test holds whatever the shipped tagger reads; one word of the content stays,
    and a direct quote or a cue not right before the content is left alone."""
    from dataclasses import replace

    from quotes.models import Span
    from quotes.nlp import parse_articles
    from quotes.tagged import with_tagged_cue_words
    from quotes.tagger import OUTSIDE

    text = "Guterres voiced concern about attacks in eastern Ghouta."
    article = example_articles[0].model_copy(update={"id": "cue-words", "text": text, "body_start": 0,
                                                     "body_end": None})
    [parsed] = parse_articles([article])
    document, tagging = Document.of(parsed), tag_article(parsed)
    [quote] = [q for q in find_quotes(document, learned_cues(tagging)) if q.cue.text == "voiced"]
    assert quote.text == "concern about attacks in eastern Ghouta"

    def read_as_cue(*forms):
        probabilities = []
        for sentence, probs in zip(tagging.sentences, tagging.probabilities, strict=True):
            probs = probs.clone()
            for row, position in enumerate(sentence.positions):
                cue = tagging.words.words[position].text in forms
                probs[row, PARTS.index("cue")] = 0.0
                probs[row, PARTS.index("cue"), OUTSIDE if not cue else OUTSIDE + 1] = 1.0
            probabilities.append(probs)
        return replace(tagging, probabilities=probabilities)

    [moved] = with_tagged_cue_words(text, [quote], read_as_cue("concern", "about"))
    assert (moved.text, moved.cue.text) == ("attacks in eastern Ghouta", "voiced concern about")
    assert text[moved.start:moved.end] == moved.text and text[moved.cue.start:moved.cue.end] == moved.cue.text
    everything = read_as_cue(*quote.text.split())
    [last] = with_tagged_cue_words(text, [quote], everything)
    assert last.text == "Ghouta" and last.cue.text == "voiced concern about attacks in eastern"
    apart = quote.model_copy(update={"cue": Span(start=0, end=8, text="Guterres")})
    direct = quote.model_copy(update={"kind": "direct"})
    assert with_tagged_cue_words(text, [apart, direct], everything) == [apart, direct]
    assert with_tagged_cue_words(text, [quote], read_as_cue()) == [quote]


def test_no_extracted_content_starts_with_words_read_as_its_cue(example_parses, example_extractions):
    """The pipeline hands them to the cue after scoring (in the examples, "voiced [concern
    about] attacks in eastern Ghouta" as the shipped tagger reads it)."""
    from quotes.tagged import CUE_WORD

    for parsed in example_parses:
        tagging = tag_article(parsed)
        cue_probability = tagging.inside("cue")
        for quote in example_extractions[parsed.article.id].quotes:
            inside = tagging.words.between(quote.start, quote.end)
            if quote.kind != "direct" and quote.cue and len(inside) > 1 \
                    and not parsed.article.text[quote.cue.end:quote.start].strip():
                assert cue_probability[inside[0]] < CUE_WORD, (quote.cue.text, quote.text)


def test_tagged_quotes_have_a_cue_and_are_not_the_rules_quotes_again(example_parses):
    """The tagger's attributions go to the scorer beside the rules' quotes, also where they
    overlap one (another span or another cue: the scorer chooses), but never as the same
    content under the same cue."""
    found_any = overlapping = False
    for parsed in example_parses:
        document = Document.of(parsed)
        rules = find_quotes(document)
        for quote in tagged_quotes(document, rules, tag_article(parsed)):
            found_any = True
            assert quote.tagged and not any(r.tagged for r in rules)
            text = parsed.article.text
            assert quote.text == text[quote.start:quote.end] and quote.cue.text == text[quote.cue.start:quote.cue.end]
            overlapping |= any(r.start < quote.end and quote.start < r.end for r in rules)
            assert not any((r.start, r.end) == (quote.start, quote.end) and r.cue.start < quote.cue.end
                           and quote.cue.start < r.cue.end for r in rules if r.cue)
            words = ArticleWords.of(parsed)
            assert any(words.words[i].upos in CONTENT_TAGS for i in words.between(quote.start, quote.end))
            assert quote.cue_type in ("speech", "stance") and 0 <= quote.confidence <= 1
    assert found_any and overlapping  # the tagger proposes what the rules do not have, and rivals



def test_other_speakers_are_noun_phrases_of_the_cue_sentence_where_the_parse_names_none(example_parses):
    """The scorer chooses between a quote's own speaker and the other sources the tagger reads
    in its cue's sentence (``speaker_alternatives``): noun phrases outside the quote, offered
    only where the rules' mention is no core argument of the cue."""
    from quotes.attribution import same_quote
    from quotes.pipeline import candidate_quotes

    offered = 0
    for parsed in example_parses:
        document, tagging = Document.of(parsed), tag_article(parsed)
        quotes = candidate_quotes(document, tagging)
        own = {same_quote(q): q for q in quotes}
        words = tagging.words
        for alternative in speaker_alternatives(document, quotes, tagging):
            offered += 1
            quote, mention = own[same_quote(alternative)], alternative.speaker.mention
            assert quote.speaker is None or quote.speaker.mention != mention
            assert not (quote.start < mention.end and mention.start < quote.end)
            run = words.between(mention.start, mention.end)
            cue = words.between(quote.cue.start, quote.cue.end)
            assert words.sentence_of[run[0]] == words.sentence_of[cue[0]]
            assert words.words[words.head_of(run)].upos in SOURCE_TAGS
            assert quote.speaker is None or not argument_of(words, quote.speaker.mention, words.head_of(cue))
    assert offered


def test_the_tagger_is_held_to_what_speak_and_talk_report(example_parses, example_extractions):
    """The tagger reads "Lavrov was speaking a day after Syrian President Bashar al-Assad
    offered [fighters ... amnesty ...]" in an example as an attribution; "speak" reports only
    what it was about, so neither the candidates nor the pipeline's quotes have it."""
    parsed = next(p for p in example_parses if "Lavrov was speaking a day after" in p.article.text)
    text = parsed.article.text
    narration = text.index("fighters and their families amnesty")
    document = Document.of(parsed)
    tagged = tagged_quotes(document, find_quotes(document), tag_article(parsed))
    assert tagged  # the tagger still proposes attributions in this article
    assert not any(q.start <= narration < q.end for q in tagged)
    assert not any(q.start <= narration < q.end for q in example_extractions[parsed.article.id].quotes)

GOLD = {  # (content, cue, source) as they appear in the example texts
    "002_6d97062325c34ccb": [("he plans to meet with Lavrov", "said", "Secretary of State John Kerry")],
    "003_cd5996b88a391c0c": [("Russian and Syrian actions such as bombing hospitals in Syria cried out for a war "
                              "crimes investigation", "said", "U.S. Secretary of State John Kerry")],
    "004_390c1e4a347e204a": [("the war-torn Syrian city could be destroyed within months", "warned", "he")],
}


def gold_record(article_id: str, text: str) -> dict:
    quotes = []
    for content, cue, source in GOLD[article_id]:
        start = text.index(content)
        cue_start = text.rindex(cue, 0, start)
        speaker_start = text.rindex(source, 0, cue_start)
        quotes.append({"start": start, "end": start + len(content), "kind": "indirect",
                       "speaker_start": speaker_start, "speaker_end": speaker_start + len(source),
                       "cue_text": cue, "cue_start": cue_start, "cue_end": cue_start + len(cue)})
    return {"id": article_id, "text": text, "quotes": quotes}


def test_training_runs_end_to_end_on_a_tiny_slice(example_parses, training_slice, tmp_path, capsys):
    parses = {p.article.id: p for p in example_parses}
    train, dev, cache = training_slice([gold_record(i, parses[i].article.text) for i in GOLD])
    out = tmp_path / "tagger.pt"

    status = train_tagger.main([str(train), str(dev), "--parse-cache", str(cache),
                                "--out", str(out), "--epochs", "1", "--hidden", "8"])

    assert status == 0
    printed = capsys.readouterr().out
    assert "== dev, pipeline with this tagger" in printed and "content spans, overlap 0.3" in printed
    model = TaggerModel.load(out)
    tagging = tag_article(parses[next(iter(GOLD))], model)
    assert model.config == {"hidden": 8, "encoder": WIDTH}  # it reads the pretrained encoder
    assert [len(p) for p in tagging.probabilities] == [len(s.forms) for s in tagging.sentences]


def test_training_on_dev_fits_its_fitted_part_and_reports_on_its_validation_part(
        example_parses, training_slice, tmp_path, capsys):
    """--fit-dev: the dev articles outside the validation part (quotes/gold_parts.py) join the
    training articles, and the figures are the validation part's alone."""
    parses = {p.article.id: p for p in example_parses}
    records = {i: gold_record(i, parses[i].article.text) for i in GOLD}
    _, _, cache = training_slice(list(records.values()))
    validation = [i for i in GOLD if in_validation_part(i)]
    fitted = [i for i in GOLD if not in_validation_part(i)]
    assert validation and len(fitted) >= 2  # the example ids give both parts
    train, dev = tmp_path / "train.jsonl", tmp_path / "dev.jsonl"
    train.write_text(json.dumps(records[fitted[0]]) + "\n", encoding="utf-8")
    dev.write_text("".join(json.dumps(records[i]) + "\n" for i in fitted[1:] + validation), encoding="utf-8")

    status = train_tagger.main([str(train), str(dev), "--fit-dev", "--parse-cache", str(cache),
                                "--out", str(tmp_path / "tagger.pt"), "--epochs", "1", "--hidden", "8"])

    assert status == 0
    printed = capsys.readouterr().out
    # two training articles (a tiny set holds out its last one) and the validation part as dev
    assert "train 1 articles" in printed and f"holdout 1, dev {len(validation)}" in printed
    assert f"articles: {len(validation)}" in printed


def test_gold_tags_mark_each_part_begin_and_inside(example_parses):
    parsed = next(p for p in example_parses if p.article.id.startswith("004"))
    record = gold_record(parsed.article.id, parsed.article.text)
    gold = train_tagger.GoldQuote
    quotes = [gold(q["start"], q["end"], q["kind"], (q["speaker_start"], q["speaker_end"]), True,
                   (q["cue_start"], q["cue_end"])) for q in record["quotes"]]
    words = ArticleWords.of(parsed)
    tags = train_tagger.gold_tags(words, quotes)
    content = [words.words[i].text for i, row in enumerate(tags) if row[0]]
    assert content == "the war - torn Syrian city could be destroyed within months".split()
    assert [row[0] for row in tags if row[0]] == [train_tagger.BEGIN] + [train_tagger.INSIDE] * (len(content) - 1)
    assert [words.words[i].text for i, row in enumerate(tags) if row[1]] == ["warned"]
    assert [words.words[i].text for i, row in enumerate(tags) if row[2]] == ["he"]
