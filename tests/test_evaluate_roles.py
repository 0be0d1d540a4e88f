"""Role coverage, role precision and name accuracy on a small hand-made role gold file."""

import json

import pytest

from quotes.evaluate import evaluate, format_report, main
from quotes.evaluate_roles import GoldRole, RoleGoldError, Share, name_key, role_right
from quotes.models import Quote, Span, SpeakerRef

TEXT = ('"The budget is sound," said Jane Okafor, the finance minister. '
        'Rep. Tom Hale said taxes must fall. A poll showed voters were tired.')


def fragment_span(fragment):
    start = TEXT.index(fragment)
    return start, start + len(fragment)


def gold_files(tmp_path):
    quotes = [('"The budget is sound,"', "Jane Okafor"), ("taxes must fall", "Rep. Tom Hale"),
              ("voters were tired", "A poll")]
    record = {"id": "a1", "text": TEXT, "quotes": [
        {"start": s, "end": e, "kind": "direct", "speaker_start": TEXT.index(who),
         "speaker_end": TEXT.index(who) + len(who), "cue_text": "said"}
        for (s, e), who in ((fragment_span(q), who) for q, who in quotes)]}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(record) + "\n" + json.dumps({**record, "id": "not-annotated"}) + "\n")
    speakers = [
        {"type": "person", "name": "Jane Okafor",
         "roles": [{"title": "minister", "organization": None, "modifiers": "finance"}]},
        {"type": "person", "name": "Tom Hale", "roles": [{"title": "Representative"}]},
        {"type": "unnamed", "name": None, "roles": []}]
    roles = tmp_path / "roles.jsonl"
    roles.write_text("".join(
        json.dumps({"article_id": "a1", "start": s, "end": e, "speaker": speaker}) + "\n"
        for (s, e), speaker in zip((fragment_span(q) for q, _ in quotes), speakers, strict=True)))
    return gold, roles


def predicted(fragment, name, role):
    start, end = fragment_span(fragment)
    speaker = SpeakerRef(mention=Span(start=0, end=1, text='"'), name=name, type="person", role=role)
    return Quote(article_id="a1", start=start, end=end, text=TEXT[start:end], kind="direct",
                 speaker=speaker, confidence=0.9)


def predict(articles):
    """Okafor right with a right role; Hale named "Rep. Hale" with no role; a role for the poll."""
    return [[predicted('"The budget is sound,"', "Jane Okafor", "finance minister"),
             predicted("taxes must fall", "Tom Hale", None),
             predicted("voters were tired", "a poll", "pollster")] for _ in articles]


def test_role_figures(tmp_path):
    gold, roles = gold_files(tmp_path)
    report = evaluate(gold, predict, roles_path=roles)
    assert report.articles == 1  # only the annotated article
    score = report.roles
    assert score.coverage == Share(part=1, whole=2)
    assert score.precision == Share(part=1, whole=2)  # the poll has no role
    assert score.name_accuracy == Share(part=2, whole=2)
    assert "role coverage" in format_report(report)


def test_roles_option_on_the_command_line(tmp_path, capsys):
    gold, roles = gold_files(tmp_path)
    assert main([str(gold), "--roles", str(roles), "--role-misses"], predict=predict) == 0
    out = capsys.readouterr().out
    assert "role precision (matched quotes given a role): 0.500 (1/2)" in out
    assert "role 'pollster'" in out


def test_bad_role_file_is_one_line_error(tmp_path, capsys):
    gold, _ = gold_files(tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"article_id": "a1"}\n')
    with pytest.raises(RoleGoldError, match="bad.jsonl: line 1"):
        evaluate(gold, predict, roles_path=bad)
    assert main([str(gold), "--roles", str(bad)], predict=predict) == 1


@pytest.mark.parametrize("predicted_role, right", [
    ("Trade and Industry Secretary", True),
    ("the Trade and Industry Secretary", True),
    ("Industry Secretary", False),  # part of the title
    ("Lord", False),  # a peerage is not a role
    ("former Trade and Industry Secretary", False),  # a word the article did not state
])
def test_a_role_needs_the_whole_title_and_nothing_unstated(predicted_role, right):
    gold = (GoldRole("Trade and Industry Secretary", None),)
    assert role_right(predicted_role, gold) is right


def test_organisation_and_modifiers_may_come_with_the_title():
    gold = (GoldRole("spokesman", "Home Office"), GoldRole("Representative", None, "Republican Ohio"))
    assert role_right("Home Office spokesman", gold)
    assert role_right("spokesman for the Home Office", gold)
    assert role_right("Republican Rep.", gold)
    assert role_right("GOP Rep.", gold)
    assert not role_right("spokesman for the Treasury", gold)


def test_names_compare_without_honorifics_initials_or_the():
    assert name_key("Donald J. Trump") == name_key("Donald Trump")
    assert name_key("the F.B.I.") == name_key("FBI")
    assert name_key("Lord Butler") == name_key("Butler")
    assert name_key("José Andrés") == name_key("Jose Andres")
    assert name_key("Mr. Clarke") != name_key("Tom Clarke")
