"""Which extractor made an extraction: the package version, the model files, and the code and
words that decide what an article's extraction holds.

Stored with every article (``db.py``), so an upgrade that parses or finds quotes differently
re-extracts on the next ingest instead of leaving old extractions in place because the version
number stayed the same. Kept apart from storage and NLP: the database only stores the string,
and hashing needs no model loaded.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from . import __version__

PACKAGE_DIR = Path(__file__).parent
BUNDLED_DIR = PACKAGE_DIR / "stanza_models"
# The package's modules whose code does not decide what an article's extraction holds (the
# cross-article registry is rebuilt from the database on every write; the site's plugins only
# show it). Every other module and the lexicon do, a new module included, so forgetting to
# list one means a re-extraction too many, never stale quotes.
OUTSIDE_EXTRACTION = frozenset({"__init__.py", "__main__.py", "cli.py", "db.py", "distributed.py", "evaluate.py",
                                "evaluate_roles.py", "ingest.py", "processes.py", "publish.py", "registry.py",
                                "speedups.py", "version.py"})
OUTSIDE_FOLDERS = frozenset({"plugins", "templates", "static", "stanza_models", "site"})
# What a stanza analysis depends on besides the models: the parse cache of the benchmarks is
# keyed by these (nlp.py reads titles, months, marks and datelines from the lexicon).
NLP_SOURCES = ("nlp.py", "projective.py", "punctuation.py", "lexicon/names.toml", "lexicon/language.toml")


def models_fingerprint(models_dir: Path = BUNDLED_DIR) -> str:
    """Short hash of the shipped model files (those the manifest lists): retrained models
    mean different output; an edited model card does not."""
    manifest = models_dir / "manifest.json"
    if not manifest.exists():
        return "nomodels"
    digest = hashlib.sha256(manifest.read_bytes())
    for name in sorted(json.loads(manifest.read_text(encoding="utf-8")).values()):
        path = models_dir / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:12]


def extraction_sources(package_dir: Path = PACKAGE_DIR) -> tuple[str, ...]:
    """Paths (relative to the package) of the modules, lexicon files and the attribution
    scorer's weights: everything from reading an article to its speakers and confidences."""
    paths = [*package_dir.rglob("*.py"), *package_dir.glob("lexicon/*.toml"),
             *package_dir.glob("attribution_model/*.pt")]
    relative = (path.relative_to(package_dir) for path in paths)
    return tuple(sorted(path.as_posix() for path in relative
                        if path.as_posix() not in OUTSIDE_EXTRACTION and "__pycache__" not in path.parts
                        and not OUTSIDE_FOLDERS & set(path.parts)))


def code_fingerprint(sources: tuple[str, ...] | None = None, package_dir: Path = PACKAGE_DIR) -> str:
    """Short hash of ``sources`` (paths relative to ``package_dir``; by default the extraction's)."""
    digest = hashlib.sha256()
    for name in sources or extraction_sources(package_dir):
        digest.update(name.encode())
        digest.update((package_dir / name).read_bytes())
    return digest.hexdigest()[:8]


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """The version stored with every extraction.

    Computed on first use (hashing ~80 MB of models), not at import, so processes that only
    read the database or extract never pay for it."""
    return f"{__version__}+{models_fingerprint()}+{code_fingerprint()}"
