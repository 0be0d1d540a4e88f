"""Extraction versioning: what makes an ingest re-extract an article."""

import shutil
import subprocess
import sys
from pathlib import Path

from quotes.version import (
    BUNDLED_DIR,
    NLP_SOURCES,
    code_fingerprint,
    extraction_sources,
    extractor_version,
    models_fingerprint,
)

PACKAGE = Path(__file__).parent.parent / "quotes"


def test_models_fingerprint_follows_model_files_not_the_model_card(tmp_path):
    for path in BUNDLED_DIR.iterdir():
        if path.suffix in (".pt", ".json"):
            (tmp_path / path.name).symlink_to(path)
    before = models_fingerprint(tmp_path)
    (tmp_path / "README.md").write_text("an edited model card\n")
    assert models_fingerprint(tmp_path) == before
    (tmp_path / "en_quotes_ner.pt").unlink()
    (tmp_path / "en_quotes_ner.pt").write_bytes(b"retrained")
    assert models_fingerprint(tmp_path) != before


def copy_package(target: Path) -> None:
    """The package's code and lexicon, without the models."""
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("stanza_models", "__pycache__"))


def test_extractor_version_follows_the_extraction_code_and_the_lexicon(tmp_path):
    """An upgrade that parses or finds quotes differently re-extracts on the next ingest; an
    edit to code outside extraction (the CLI, the site) does not."""
    package = tmp_path / "quotes"
    copy_package(package)
    before = code_fingerprint(package_dir=package)
    assert before == code_fingerprint() and extractor_version().endswith(f"+{before}")
    sources = extraction_sources()
    assert {"nlp.py", "projective.py", "punctuation.py", "document.py", "lexicon/cues.toml"} <= set(sources)
    assert {"finder/assembly.py", "speakers/pronouns.py"} <= set(sources)
    assert not {"cli.py", "db.py", "publish.py", "registry.py"} & set(sources)
    with open(package / "cli.py", "a") as cli:
        cli.write("# the CLI changed\n")
    assert code_fingerprint(package_dir=package) == before
    for name in extraction_sources(package):
        source = (package / name).read_bytes()
        (package / name).write_bytes(source + b"# changed\n")
        assert code_fingerprint(package_dir=package) != before, name
        (package / name).write_bytes(source)
    (package / "sources.py").write_text("# a new module on the way to the quotes\n")
    assert code_fingerprint(package_dir=package) != before


def test_the_parse_cache_key_follows_what_the_parser_reads():
    assert set(NLP_SOURCES) <= set(extraction_sources())
    assert "lexicon/cues.toml" not in NLP_SOURCES  # a new cue verb needs no new parse


def test_storage_does_not_import_nlp():
    code = "import sys, quotes.db, quotes.version; print('quotes.nlp' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
