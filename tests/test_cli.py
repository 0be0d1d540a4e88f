"""The `quotes` command line: extract's stable JSON Lines schema and every command's --help."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from quotes.cli import cli

EXTRACT_KEYS = {"article_id", "start", "end", "text", "kind", "cue", "cue_type", "speaker", "confidence"}


@pytest.fixture(scope="module")
def extracted_003(examples_dir):
    path = examples_dir / "003_cd5996b88a391c0c.txt"
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    return path.read_text(encoding="utf-8"), [json.loads(line) for line in result.output.splitlines()]


def test_extract_schema_and_offsets(extracted_003):
    text, rows = extracted_003
    assert rows
    for row in rows:
        assert set(row) == EXTRACT_KEYS
        assert row["article_id"] == "003_cd5996b88a391c0c"
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
    gold.write_text(json.dumps({"id": "ghouta", "text": text}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(gold)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
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
