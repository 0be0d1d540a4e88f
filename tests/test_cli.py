"""The `quotes` command line: extract's stable JSON Lines schema and every command's --help."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from quotes.articles import file_id
from quotes.cli import cli

EXTRACT_KEYS = {"article_id", "start", "end", "text", "kind", "cue", "cue_type", "speaker", "confidence"}


@pytest.fixture(scope="module")
def extracted_003(examples_dir):
    path = examples_dir / "003_cd5996b88a391c0c.txt"
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    return path, [json.loads(line) for line in result.output.splitlines()]


def test_extract_schema_and_offsets(extracted_003):
    path, rows = extracted_003
    text = path.read_text(encoding="utf-8")
    assert rows
    for row in rows:
        assert set(row) == EXTRACT_KEYS
        assert row["article_id"] == file_id(path) == "003_cd5996b88a391c0c"
        assert text[row["start"]:row["end"]] == row["text"]
        assert row["kind"] in {"direct", "mixed", "indirect"}
        assert row["cue_type"] in {"speech", "stance"}
        assert 0.0 <= row["confidence"] <= 1.0
        if row["cue"]:
            assert text[row["cue"]["start"]:row["cue"]["end"]] == row["cue"]["text"]
        if row["speaker"] and row["speaker"]["mention"]:
            mention = row["speaker"]["mention"]
            assert text[mention["start"]:mention["end"]] == mention["text"]


@pytest.mark.parametrize("surname", ["Kerry", "Merkel", "Zakharova", "Ryabkov"])
def test_extract_direct_quotes_have_their_speakers(extracted_003, surname):
    _, rows = extracted_003
    direct_speakers = {row["speaker"]["name"] for row in rows
                       if row["kind"] == "direct" and row["speaker"]}
    assert any(name.endswith(surname) and " " in name for name in direct_speakers), direct_speakers


def test_extract_filters_by_confidence_and_cue_type(extracted_003, examples_dir):
    """--min-confidence and --speech-only print exactly the quotes that pass both filters."""
    _, rows = extracted_003
    path = examples_dir / "003_cd5996b88a391c0c.txt"
    result = CliRunner().invoke(cli, ["extract", "--min-confidence", "0.5", "--speech-only", str(path)])
    assert result.exit_code == 0, result.output
    filtered = [json.loads(line) for line in result.output.splitlines()]
    expected = [row for row in rows if row["confidence"] >= 0.5 and row["cue_type"] == "speech"]
    assert filtered == expected
    assert 0 < len(filtered) < len(rows)


def test_extract_jsonl_keeps_record_ids_and_offsets(tmp_path, examples_dir):
    text = (examples_dir / "000_e5c23b516e2a48fa.txt").read_text(encoding="utf-8")
    gold = tmp_path / "in.jsonl"
    gold.write_text(json.dumps({"id": "ghouta", "text": text}) + "\n"
                    + json.dumps({"id": "ghouta", "text": "“Another text,” he said."}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(gold)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if not line.startswith("{")]
    assert errors == [f"error: {gold}:2: id 'ghouta' was already given to a different text ({gold}:1); skipped"]
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert rows and {row["article_id"] for row in rows} == {"ghouta"}
    assert all(text[row["start"]:row["end"]] == row["text"] for row in rows)


@pytest.mark.parametrize("command", [[], ["ingest"], ["extract"], ["serve"], ["eval"], ["speakers"],
                                     ["speakers", "merge"]])
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


@pytest.mark.parametrize("command", [["ingest", "{article}"], ["speakers"], ["speakers", "merge", "a", "b"]])
def test_a_file_that_is_no_database_is_one_line_and_left_alone(tmp_path, examples_dir, command):
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("my notes, not SQLite\n")
    article = str(examples_dir / "003_cd5996b88a391c0c.txt")
    args = [article if arg == "{article}" else arg for arg in command]
    args[1:1] = ["--db", str(not_a_database)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"Error: {not_a_database}: file is not a database"]
    assert not_a_database.read_text() == "my notes, not SQLite\n"


def test_the_cli_and_the_database_load_without_torch_or_stanza():
    """Commands that only read or serve the database start in a fraction of a second: the NLP
    stack (torch, stanza) is imported when a pipeline is wanted, not at import."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, quotes.cli, quotes.db, quotes.publish; "
                               "print(sorted({'torch', 'stanza'} & set(sys.modules)))"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


@pytest.mark.parametrize("command", [["speakers", "--db", "{db}"], ["speakers", "--db", "{db}", "merge", "a", "b"],
                                     ["speakers", "merge", "--db", "{db}", "a", "b"],
                                     ["serve", "--db", "{db}"]])
def test_a_missing_database_is_refused_and_not_created(tmp_path, command):
    """Only ingest creates a database: a typo elsewhere must not leave an empty file that
    answers 'no speakers'."""
    missing = tmp_path / "typo.db"
    result = CliRunner().invoke(cli, [str(missing) if arg == "{db}" else arg for arg in command])
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"Error: {missing}: no such database (create it with `quotes ingest`)"]
    assert not missing.exists()


def test_speakers_merge_takes_db_after_the_subcommand(tmp_path, example_db):
    """README: every command that touches a database takes --db, `speakers merge` included."""
    import sqlite3

    from quotes.db import open_db
    from quotes.registry import list_speakers

    path = tmp_path / "quotes.db"
    with sqlite3.connect(example_db) as source, sqlite3.connect(path) as copy:
        source.backup(copy)  # the example database is in WAL mode: a file copy may miss pages
    keep, other = [row for row in list_speakers(open_db(path)) if row["type"] == "person"][:2]
    result = CliRunner().invoke(cli, ["speakers", "merge", "--db", str(path), keep["id"], other["id"]])
    assert result.exit_code == 0, result.output
    [kept] = [row for row in list_speakers(open_db(path)) if row["id"] == keep["id"]]
    assert other["name"] in kept["aliases"]
    assert other["id"] not in [row["id"] for row in list_speakers(open_db(path))]


def test_eval_scores_one_part_of_a_gold_file(tmp_path, examples_dir):
    """`quotes eval --part`: the validation part is one article in three by a hash of its id
    (example 002 is in it, 003 is not); an empty part is a one-line error."""
    records = []
    for name, fragment in (("002_6d97062325c34ccb", "Those who refuse to leave of their own accord"),
                           ("003_cd5996b88a391c0c", "Russia has a lot of influence on Assad")):
        text = (examples_dir / f"{name}.txt").read_text(encoding="utf-8")
        start = text.index(fragment)
        records.append({"id": name, "text": text, "quotes": [
            {"start": start, "end": start + len(fragment), "kind": "direct", "cue_text": "said"}]})
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    for part in ("validation", "fitted"):
        result = CliRunner().invoke(cli, ["eval", str(gold), "--part", part])
        assert result.exit_code == 0, result.output
        assert "articles: 1" in result.output and "quote span, overlap 0.3" in result.output
    only = tmp_path / "only.jsonl"
    only.write_text(json.dumps(records[0]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(only), "--part", "fitted"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"Error: {only}: no gold records in its fitted part"]
