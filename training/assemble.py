"""Copy the best trained stanza models into the package and write the manifest.

Only the best-dev model files are shipped (no optimizer checkpoints). The pretrain is
shipped once and shared by pos, depparse and ner.

Usage: python training/assemble.py WORK_DIR
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "quotes" / "stanza_models"

# processor -> model file written by training/train.sh under WORK_DIR (the parser's second
# stage, on predicted tags, works in WORK_DIR/predicted: see train_all.sh)
SOURCES = {
    "tokenize": "models/tokenize/en_quotes_nocharlm_tokenizer.pt",
    "mwt": "models/mwt/en_quotes_mwt_expander.pt",
    "lemma": "models/lemma/en_quotes_nocharlm_lemmatizer.pt",
    "pos": "models/pos/en_quotes_nocharlm_tagger.pt",
    "depparse": "predicted/models/depparse/en_quotes_nocharlm_parser.pt",
    "ner": "models/ner/en_quotes_ner.pt",
}


def find_model(work: Path, relative: str) -> Path:
    """The model file, tolerating stanza's naming variants (e.g. a pretrain tag in the name)."""
    exact = work / relative
    if exact.exists():
        return exact
    folder = exact.parent
    candidates = sorted(p for p in folder.glob("*.pt") if "checkpoint" not in p.name)
    if not candidates:
        raise SystemExit(f"{folder}: no trained model found")
    return candidates[0]


def main() -> None:
    work = Path(sys.argv[1])
    TARGET.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for processor, relative in SOURCES.items():
        source = find_model(work, relative)
        name = f"en_quotes_{processor}.pt"
        shutil.copyfile(source, TARGET / name)
        manifest[processor] = name
    shutil.copyfile(work / "pretrain" / "en_quotes.pt", TARGET / "en_quotes_pretrain.pt")
    manifest["pretrain"] = "en_quotes_pretrain.pt"
    # stanza.Pipeline insists on a resources.json; an empty one plus explicit model paths
    # (quotes/nlp.py) makes it load exactly these files and never look for downloads.
    (TARGET / "resources.json").write_text("{}\n", encoding="utf-8")
    (TARGET / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    for name in sorted(manifest.values()):
        print(f"{(TARGET / name).stat().st_size / 1e6:7.1f} MB  {name}")


if __name__ == "__main__":
    main()
