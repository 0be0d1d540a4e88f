"""The error tables of bench/ (speaker_errors.py, boundary_errors.py, recall_errors.py) class real
pipeline output against hand-written gold for an example article, read through a parse cache as
on PolNeAR."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import boundary_errors  # noqa: E402
import recall_errors  # noqa: E402
import speaker_errors  # noqa: E402
from eval_quotes import cache_folder  # noqa: E402

from quotes.pipeline import extract_parsed  # noqa: E402

ARTICLE = "003_cd5996b88a391c0c"


def quote_with(quotes, fragment):
    return next(q for q in quotes if fragment in q.text)


def record(start, end, speaker, cue):
    """One PolNeAR-style gold quote; ``speaker`` and ``cue`` are (start, end) spans."""
    return {"start": start, "end": end, "kind": "indirect", "speaker_start": speaker[0],
            "speaker_end": speaker[1], "cue_start": cue[0], "cue_end": cue[1], "cue_text": "said"}


@pytest.fixture
def gold_file(example_parses, tmp_path):
    """Gold for four of the rules' quotes: one right, one nested, one with another mention of
    its sentence as source, one whose source the rules do not find; and the parse cache."""
    parsed = next(p for p in example_parses if p.article.id == ARTICLE)
    text = parsed.article.text
    quotes = extract_parsed(parsed).quotes
    right = quote_with(quotes, "there was no basis in international law")
    # "Russia said [the call for an investigation was ...]", attributed by the rules to Tass.
    outer = quote_with(quotes, "Russia said the call for an investigation")
    inner_cue = text.index("said", outer.start)
    content = text.index("the call for an investigation", outer.start)
    urged = quote_with(quotes, "to use its influence with the Syrian government")
    addressee = text.index("Russia", urged.cue.end)
    sourceless = quote_with(quotes, "to be trapped in eastern Aleppo")
    assert sourceless.speaker is None or sourceless.speaker.mention is None
    people = text.rindex("people", 0, sourceless.start)
    quotes_gold = [
        record(right.start, right.end, (right.speaker.mention.start, right.speaker.mention.end),
               (right.cue.start, right.cue.end)),
        record(content, outer.end, (outer.start, outer.start + len("Russia")), (inner_cue, inner_cue + 4)),
        record(urged.start, urged.end, (addressee, addressee + len("Russia")), (urged.cue.start, urged.cue.end)),
        record(sourceless.start, sourceless.end, (people, people + len("people")),
               (sourceless.cue.start, sourceless.cue.end)),
    ]
    folder = cache_folder(tmp_path / "parse")
    folder.mkdir(parents=True)
    (folder / f"{parsed.article.content_hash}.json").write_text(parsed.model_dump_json())
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": ARTICLE, "text": text, "quotes": quotes_gold}) + "\n", encoding="utf-8")
    return path, folder


def test_wrong_speakers_are_classed_by_cause(gold_file, capsys):
    path, folder = gold_file
    speaker_errors.main([str(path), "--cache-folder", str(folder), "--examples", "1"])
    printed = capsys.readouterr().out
    assert "with an annotated source 4, speaker wrong 3" in printed
    assert "1  33.3%  nested: annotated cue inside the quote (the outer was kept)" in printed
    assert "1  33.3%  no source found" in printed
    assert "another mention" in printed.split("cue is the annotated one")[1]


def test_boundary_errors_and_the_trailing_clause_simulation_run(gold_file, capsys):
    path, folder = gold_file
    boundary_errors.main([str(path), "--cache-folder", str(folder)])
    printed = capsys.readouterr().out
    assert "matched quotes 4: exact 3, boundary wrong 1" in printed
    assert "indirect starts early ok" in printed
    assert "cutting indirect contents before a trailing clause" in printed


def test_missed_quotes_are_classed_by_cause(gold_file, tmp_path, capsys):
    """A quote the pipeline finds is no miss; a span no candidate touches (the article's first
    words, with a cue of their own) is "no candidate", broken down by its cue."""
    path, folder = gold_file
    found = json.loads(path.read_text(encoding="utf-8"))
    text = found["text"]
    first_word = text.split()[0]
    untouched = record(0, len(first_word), (0, 0), (0, len(first_word)))
    untouched["speaker_start"] = untouched["speaker_end"] = None
    found["quotes"] = found["quotes"][:1] + [untouched]
    missed = tmp_path / "missed.jsonl"
    missed.write_text(json.dumps(found) + "\n", encoding="utf-8")
    recall_errors.main([str(missed), "--cache-folder", str(folder), "--examples", "1"])
    printed = capsys.readouterr().out
    assert "annotated indirect quotes 2, missed at 0.3 overlap 1 (recall 0.500)" in printed
    assert "1 100.0%  no candidate" in printed
    assert "no source annotated" in printed
