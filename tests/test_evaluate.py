"""The evaluation harness on a small hand-made gold file (real JSONL under tmp_path)."""

import json

import pytest

from quotes.evaluate import GoldError, evaluate, format_report, load_gold, main, match
from quotes.gold_parts import in_validation_part
from quotes.models import Quote, Span, SpeakerRef

TEXT = ('"The war is over," Lavrov said. Kerry said Russia must stop. '
        'The sky was blue, officials believe.')


def gold_quote(fragment, speaker, cue, kind):
    start = TEXT.index(fragment)
    s = TEXT.index(speaker)
    c = TEXT.index(cue)
    return {"start": start, "end": start + len(fragment), "text": fragment, "kind": kind,
            "speaker_start": s, "speaker_end": s + len(speaker), "speaker_text": speaker,
            "cue_start": c, "cue_end": c + len(cue), "cue_text": cue}


@pytest.fixture
def gold_path(tmp_path):
    record = {"id": "a1", "text": TEXT, "quotes": [
        gold_quote('"The war is over,"', "Lavrov", "said", "direct"),
        gold_quote("Russia must stop", "Kerry", "said Russia", "indirect"),
        gold_quote("The sky was blue", "officials", "believe", "indirect")]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps({**record, "id": "a2"}) + "\n")
    return path


def quote(fragment, speaker=None, cue_type="speech", confidence=0.9, cut=0, cue=None):
    start = TEXT.index(fragment)
    cue_span = Span(start=TEXT.index(cue), end=TEXT.index(cue) + len(cue), text=cue) if cue else None
    ref = None
    if speaker:
        s = TEXT.index(speaker)
        ref = SpeakerRef(mention=Span(start=s, end=s + len(speaker), text=speaker),
                         name=speaker, type="person")
    return Quote(article_id="a1", start=start, end=start + len(fragment) - cut,
                 text=TEXT[start:start + len(fragment) - cut], kind="direct",
                 cue=cue_span, cue_type=cue_type, speaker=ref, confidence=confidence)


def predict(articles):
    """Exact direct quote, a truncated indirect one with the wrong speaker and no cue, one
    false alarm."""
    return [[quote('"The war is over,"', "Lavrov", cue="said"),
             quote("Russia must stop", "Lavrov", cut=10),
             quote("The sky was blue, officials", "officials", cue_type="stance", confidence=0.3, cue="believe")]
            for _ in articles]


def test_scores(gold_path):
    report = evaluate(gold_path, predict)
    assert report.articles == 2
    loose, strict, exact = (report.spans[k] for k in ("overlap 0.3", "overlap 0.8", "exact"))
    # "Russia" covers 6/16 of its gold span (>= 0.3, < 0.8); the stance quote covers all of its gold.
    assert (loose.matched_gold, loose.gold, loose.predicted) == (6, 6, 6)
    assert strict.matched_gold == 4
    # Exact ignores the quote marks and comma but not the extra ", officials".
    assert exact.matched_gold == 2
    assert report.speaker_accuracy == pytest.approx(4 / 6)
    assert (report.cue_right, report.cue_total) == (4, 6)  # the indirect quote has no cue
    assert report.end_to_end.matched_gold == 4
    assert report.kind_recall == {"direct": [2, 2], "indirect": [4, 4]}
    # Speech-cue figures leave out the gold "believe" and the predicted stance quote.
    assert (report.speech.gold, report.speech.predicted, report.speech.matched_pred) == (4, 4, 4)
    assert report.confidence[0.8] == [4, 2, 4]
    assert "overlap 0.3" in format_report(report)


def test_matching_is_one_to_one():
    assert match([(0, 10)], [(0, 10), (0, 9)], 0.3) == {0: 0}
    assert match([(0, 10), (0, 9)], [(0, 10)], 0.3) == {0: 0}
    assert match([(0, 10)], [(8, 20)], 0.3) == {}


def test_limit_and_cli(gold_path, capsys):
    assert evaluate(gold_path, predict, limit=1).articles == 1
    assert main([str(gold_path), "--limit", "1"], predict=predict) == 0
    assert "articles: 1" in capsys.readouterr().out


def test_bad_gold_file_is_one_line_error(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    with pytest.raises(GoldError, match="bad.jsonl: line 1"):
        evaluate(bad, predict)
    assert main([str(bad)], predict=predict) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "bad.jsonl" in err and err.count("\n") == 1


def test_parts_split_a_file_the_same_way_every_time(tmp_path, capsys):
    """The validation part and the fitted part (quotes/gold_parts.py) are disjoint, cover the
    file, hold about one article in three and two in three, and are the same on every read."""
    ids = [f"article-{n}" for n in range(60)]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": TEXT, "quotes": []}) + "\n" for i in ids))
    validation = [a.id for a, _ in load_gold(path, part="validation")]
    fitted = [a.id for a, _ in load_gold(path, part="fitted")]
    assert sorted(validation + fitted) == sorted(ids) and not set(validation) & set(fitted)
    assert 10 <= len(validation) <= 30
    assert validation == [a.id for a, _ in load_gold(path, part="validation")]
    assert validation == [i for i in ids if in_validation_part(i)]
    assert evaluate(path, predict, part="validation").articles == len(validation)
    assert main([str(path), "--part", "fitted"], predict=predict) == 0
    assert f"articles: {len(fitted)}" in capsys.readouterr().out


def test_an_empty_part_is_one_line_error(tmp_path):
    only = next(f"article-{n}" for n in range(100) if not in_validation_part(f"article-{n}"))
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": only, "text": TEXT, "quotes": []}) + "\n")
    with pytest.raises(GoldError, match="gold.jsonl: no gold records in its validation part"):
        load_gold(path, part="validation")
