"""Score resolved speakers' names and roles against the hand-annotated role set.

The role set (``bench/roles_gold.jsonl``, guideline in ``docs/ROLE_ANNOTATION.md``) holds no
article text: one line per gold quote of a PolNeAR article, by ``article_id``, ``start`` and
``end``, with the speaker the article means (its canonical full name, its type and every role
the article states for it). It is read with the PolNeAR file it annotates. Three figures:

- role coverage: of the matched gold quotes whose speaker has a role in the article, the share
  the system gives a role;
- role precision: of the matched quotes the system gives a role, the share right;
- name accuracy: of the matched gold quotes whose speaker the article names (a person or an
  organisation), the share whose resolved name is the canonical name.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .lexicon import lexicon
from .models import Quote

SCORING = lexicon().roles.scoring  # the role set's own word lists (roles.toml, [scoring])
# Abbreviated titles written out, so "Rep." matches "Representative".
ABBREVIATIONS = SCORING.abbreviations
# Words that neither make nor break a role: "the spokesman for the ministry".
FUNCTION_WORDS = set(SCORING.function_words)
HONORIFICS = set(SCORING.honorifics)


class RoleGoldError(ValueError):
    """The role gold file cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class GoldRole:
    title: str | None
    organization: str | None
    modifiers: str | None = None  # other words the article states with it ("former", "Vermont")


@dataclass(frozen=True)
class GoldSpeaker:
    type: str
    name: str | None
    roles: tuple[GoldRole, ...]


@dataclass
class Share:
    """How many of the cases counted had what a figure measures (were right, were given a
    role): the shape of every figure the evaluation reports (``evaluate.Score`` uses it too)."""

    part: int = 0
    whole: int = 0

    @property
    def fraction(self) -> float:
        """0.0 where there was nothing to count, so an empty sample reads as a figure, not an error."""
        return self.part / self.whole if self.whole else 0.0

    def count(self, hit: bool) -> None:
        self.part += hit
        self.whole += 1

    def __str__(self) -> str:
        return f"{self.fraction:.3f} ({self.part}/{self.whole})"


@dataclass
class RoleScore:
    """Role coverage, role precision and name accuracy, and what each found wrong."""

    coverage: Share = field(default_factory=Share)  # of matched gold quotes whose speaker has a role: given one
    precision: Share = field(default_factory=Share)  # of matched quotes the system gave a role: right
    name_accuracy: Share = field(default_factory=Share)  # of those whose speaker the article names: named right
    misses: list[str] = field(default_factory=list)


RoleGold = dict[str, list[tuple[int, int, GoldSpeaker | None]]]


def load_role_gold(path: str | Path) -> RoleGold:
    """Article id -> [(start, end, speaker or None when the quote has no source)]."""
    gold: RoleGold = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise RoleGoldError(f"{path}: cannot read role gold file ({error})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            speaker = record["speaker"]
            gold.setdefault(record["article_id"], []).append(
                (record["start"], record["end"], speaker and GoldSpeaker(
                    speaker["type"], speaker.get("name"),
                    tuple(GoldRole(r.get("title"), r.get("organization"), r.get("modifiers"))
                          for r in speaker.get("roles", [])))))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise RoleGoldError(f"{path}: line {number}: not a role record ({error!r})") from None
    if not gold:
        raise RoleGoldError(f"{path}: no role records")
    return gold


def role_words(text: str | None) -> set[str]:
    """A role's comparable words: lowercased, no dots or possessives, abbreviations written out,
    function words and honorifics dropped ("Rep." -> {"representative"};
    "the Senate's leader" -> {"senate", "leader"})."""
    text = unicodedata.normalize("NFKD", text or "").casefold().replace("’", "'")
    words = re.split(r"[\s,;:/()\-–—]+", re.sub(r"'s\b", "", text).replace(".", ""))
    words = [ABBREVIATIONS.get(w.strip("'\""), w.strip("'\"")) for w in words]
    return {w for w in words if w and w not in FUNCTION_WORDS | HONORIFICS}


def role_right(predicted: str, gold: tuple[GoldRole, ...]) -> bool:
    """Right when, for one of the roles the article states, the prediction has the whole title
    and no word the article did not state with it (title, organisation or modifiers):
    "Industry Secretary" for "Trade and Industry Secretary" and "Lord" for a peer are wrong."""
    words = role_words(predicted)
    if not words:
        return False
    for role in gold:
        title = role_words(role.title)
        stated = title | role_words(role.organization) | role_words(role.modifiers)
        if title <= words <= stated:
            return True
    return False


def name_key(name: str | None) -> str:
    """A name as compared: no accents, case, dots, possessive, honorifics, middle initials or
    leading "the"; hyphens as spaces ("Donald J. Trump" = "Donald Trump", "the F.B.I." = "FBI")."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("’", "'")
    text = re.sub(r"'s?\b", "", text)
    words = [w.replace(".", "") for w in re.split(r"[\s\-]+", text)]
    words = [w for w in words if w and w not in HONORIFICS]
    if words and words[0] == "the":
        words = words[1:]
    if len(words) > 2:
        words = [words[0]] + [w for w in words[1:-1] if len(w) > 1] + [words[-1]]
    return " ".join(words)


def score_roles(score: RoleScore, article_id: str, gold: list[tuple[int, int, GoldSpeaker | None]],
                pred: list[Quote], matched: dict[int, int]) -> None:
    """Add one article's matched quotes (gold index -> prediction index) to the role score."""
    for g, p in sorted(matched.items()):
        start, _, speaker = gold[g]
        ref = pred[p].speaker
        role = ref.role if ref else None
        if speaker and speaker.roles:
            score.coverage.count(bool(role))
            if not role:
                score.misses.append(f"{article_id}@{start}: no role for {ref.name if ref else None!r}, "
                                    f"gold {[r.title for r in speaker.roles]}")
        if role:
            right = bool(speaker and role_right(role, speaker.roles))
            score.precision.count(right)
            if not right:
                score.misses.append(f"{article_id}@{start}: role {role!r}, gold "
                                    f"{[r.title for r in speaker.roles] if speaker else None}")
        if speaker and speaker.name and speaker.type in ("person", "organization"):
            right = ref is not None and name_key(ref.name) == name_key(speaker.name)
            score.name_accuracy.count(right)
            if not right:
                score.misses.append(f"{article_id}@{start}: name {ref.name if ref else None!r}, "
                                    f"gold {speaker.name!r}")


def format_role_score(score: RoleScore) -> str:
    return "\n".join([
        f"role coverage (matched gold quotes whose speaker has a role): {score.coverage}",
        f"role precision (matched quotes given a role): {score.precision}",
        f"name accuracy (matched gold quotes with a named speaker): {score.name_accuracy}"])
