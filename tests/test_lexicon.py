"""The lexicon: validated when loaded, consistent in itself, and the one source of word lists."""

import ast
import re
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from quotes import models
from quotes.lexicon import CueVerb, Lexicon, cue_is_speech, lemma_guess, lexicon

PACKAGE = Path(__file__).parent.parent / "quotes"
WORD = re.compile(r"^[a-z][a-z'’-]*$")


def vocabulary() -> set[str]:
    """Every lowercase word the lexicon holds: data keys, values and list entries, but not its
    field names ("articles", "roles") nor the names of the project's own record fields
    ("outlet", "source"), which are identifiers wherever a module lists them."""
    words: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, str) and WORD.match(value):
            words.add(value)
    walk(lexicon())
    fields = {name for model in vars(models).values()
              if isinstance(model, type) and issubclass(model, BaseModel) for name in model.model_fields}
    return words - fields - {"speech", "stance", "action", "always", "first", "mention", "generic", "name",
                             "joins", "prefix", "article"}


def literal_words(node: ast.AST) -> list[str]:
    """The strings a set, list, tuple or dict literal (keys) or a ``"a b c".split()`` holds."""
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        items = node.elts
    elif isinstance(node, ast.Dict) and all(isinstance(value, ast.Constant) for value in node.values):
        items = [key for key in node.keys if key is not None]  # a table of words; not a record built of values
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split"
          and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)):
        return node.func.value.value.split()
    else:
        return []
    return [item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def word_lists(source: str) -> list[tuple[int, list[str]]]:
    """Literal collections of five or more lowercase words, at least two of them language
    the lexicon holds (so lists of column names or dependency labels do not count)."""
    known = vocabulary()
    found = []
    for node in ast.walk(ast.parse(source)):
        words = [w for w in literal_words(node) if WORD.match(w)]
        if len(words) >= 5 and len(set(words) & known) >= 2:
            found.append((node.lineno, words))
    return found


def test_no_module_defines_its_own_word_list():
    offenders = {str(path.relative_to(PACKAGE)): lists for path in PACKAGE.rglob("*.py")
                 if "lexicon" not in path.parts and (lists := word_lists(path.read_text(encoding="utf-8")))}
    assert offenders == {}


def test_the_word_list_check_finds_a_list_of_verbs():
    source = 'VERBS = frozenset("say tell claim insist whisper".split())\nTITLES = {"mr", "mrs", "dr", "sen", "gov"}\n'
    assert sorted(line for line, _ in word_lists(source)) == [1, 2]
    assert word_lists('COLUMNS = ["id", "start", "end", "text", "kind"]') == []


def test_every_listed_form_leads_back_to_its_verb():
    """The finder reads an ``always_verb`` form as its lemma via ``lemma_guess``: a form the
    suffix rules cannot undo must be listed as irregular too."""
    for lemma, verb in lexicon().cues.verbs.items():
        for form in verb.irregular + verb.always_verb + verb.not_in_names:
            assert lemma_guess(form) == lemma, (form, lemma)


def test_regular_forms_are_found_from_the_lemma():
    assert lemma_guess("criticizes") == "criticize"
    assert lemma_guess("slammed") == "slam"
    assert lemma_guess("accused") == "accuse"
    assert lemma_guess("told") == "tell"
    assert lemma_guess("table") == "table"  # not a cue verb: left as it is


def test_speech_cues_are_told_from_stance_cues():
    assert cue_is_speech("has told")
    assert cue_is_speech("according to")
    assert cue_is_speech("in a statement")
    assert cue_is_speech(":")
    assert not cue_is_speech("believes")
    assert not cue_is_speech("backed")


def test_an_unknown_property_is_refused():
    with pytest.raises(ValidationError):
        CueVerb(kind="speech", adressee="always")
    with pytest.raises(ValidationError):
        CueVerb(kind="gossip")


def test_entries_compared_with_lowercased_text_must_be_lowercase():
    data = lexicon().model_dump()
    data["language"]["calendar"]["days"] = ["Monday"]
    with pytest.raises(ValidationError, match="not lowercase"):
        Lexicon.model_validate(data)


def test_a_dateline_pattern_must_compile():
    data = lexicon().model_dump()
    data["language"]["datelines"]["lead"] = "(unclosed"
    with pytest.raises(ValidationError):
        Lexicon.model_validate(data)


def test_the_lexicon_is_loaded_once():
    assert lexicon() is lexicon()
