"""Quote finding: quote-mark pairing on synthetic strings, then the real pipeline on the examples."""

import pytest

from quotes.quotemarks import quoted_spans


def quoted(text: str) -> list[str]:
    return [text[s.start:s.end] for s in quoted_spans(text)]


@pytest.mark.parametrize("text, expected", [
    ('He said "the war is over" today.', ['"the war is over"']),
    ("He said “the war is over” today.", ["“the war is over”"]),
    ("He said ``the war is over'' today.", ["``the war is over''"]),
    ("''That wasn't good,'' he complained.", ["''That wasn't good,''"]),
    ("He said «the war is over» today.", ["«the war is over»"]),
    ("Appeals to ‘Bad Angels Of Our Nature.’", ["‘Bad Angels Of Our Nature.’"]),
    ("He called it 'a crime' at once.", ["'a crime'"]),
    ('"The war," he said, "is over."', ['"The war,"', '"is over."']),
])
def test_every_mark_style(text, expected):
    assert quoted(text) == expected


def test_apostrophes_are_not_quotes():
    assert quoted("Russia's army and the rebels' forces met at Assad’s palace.") == []


def test_quote_inside_quote_is_one_span():
    text = "“He said ‘never’ to us,” she said."
    assert quoted(text) == ["“He said ‘never’ to us,”"]


def test_unclosed_quote_stops_at_paragraph_end():
    text = "“This goes on and on\nNext paragraph without marks.\nAnd another."
    spans = quoted_spans(text)
    assert [text[s.start:s.end] for s in spans] == ["“This goes on and on"]
    assert not spans[0].closed and not spans[0].continues


def test_multi_paragraph_quote_continues():
    text = "“First part of the speech.\n\n“Second part,” he said."
    spans = quoted_spans(text)
    assert [text[s.start:s.end] for s in spans] == ["“First part of the speech.", "“Second part,”"]
    assert spans[0].continues and spans[1].closed


@pytest.mark.parametrize("text", ['"', "“", "”", "''", "``", "‘", "'", '" " "', "”back“ to front",
                                  'a "b\n"c" d "e', "«««", "‘’’‘", "\n\n\"\n"])
def test_broken_marks_never_crash_or_cross_paragraphs(text):
    for span in quoted_spans(text):
        assert 0 <= span.start < span.end <= len(text)
        assert "\n" not in text[span.start:span.end]
