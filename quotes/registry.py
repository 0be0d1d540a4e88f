"""The cross-article speaker registry: one speaker per person or organisation, whatever the article.

speakers.py names each quote's speaker inside its own article ("Sergei Lavrov", "Sergey Lavrov",
"Lavrov"); this module decides which of those names are the same speaker across the whole
database. ``rebuild_speakers`` recomputes everything from all quotes in sorted order, so the
result never depends on the order articles were ingested, and re-applies the hand corrections
stored in ``speaker_merges`` so they survive re-ingestion.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from rapidfuzz import fuzz

from .db import count_facets, ensure_db_shape, write_transaction
from .lexicon import lexicon
from .models import content_hash

NAMES = lexicon().names
GRAMMAR = lexicon().language.grammar
# Spelling variants that differ by more than fuzzy matching should accept.
VARIANTS = NAMES.spelling()
# Adjective -> country, so "Russian Defense Ministry" matches "Russia's Defense Ministry"
# and a leading "Russian"/"US" in a role is read as the organisation the person speaks for.
PLACES = NAMES.places
PLACE_KEYS = set(PLACES) | set(PLACES.values()) | set(NAMES.organisation_places["keys"])
PHRASES = NAMES.place_phrases

PARTICLES = set(NAMES.particles_for("prefix"))
ARABIC_ARTICLES = set(NAMES.particles_for("article"))
DROPPED = set(NAMES.dropped)
STOPWORDS = set(GRAMMAR.name_stopwords)
DETERMINERS = set(GRAMMAR.source_determiners)

# Words that end an organisation's name: "Russian Foreign Ministry spokeswoman".
ORG_HEADS = set(NAMES.organisation_heads_for("name"))
# Titles that say "speaks for" even before a bare name: "spokesman for Failaq al-Rahman"
# ("head of State", "Chief of Staff" stay whole titles).
SPOKES_TITLES = set(NAMES.spokes_titles)
TYPE_PRIORITY = ["person", "organization", "group", "unnamed"]


@dataclass(frozen=True)
class NameRecord:
    """One quote's speaker as its article names it."""

    name: str
    type: str = "person"
    role: str | None = None
    article_id: str | None = None


class UnknownSpeaker(ValueError):
    """A name given to ``merge_speakers`` that matches no speaker."""


# ---- names ------------------------------------------------------------------------------

@cache
def canonical_key(name: str) -> str:
    """The form of a name used for matching: accents, case, particles and spelling variants gone.

    "Bashar al-Assad" and "Bashar Assad" -> "bashar assad"; "Sergey Lavrov" -> "sergei lavrov";
    "Russia's Defence Ministry" and "Russian Defense Ministry" -> "russia defense ministry".
    Hyphens join the last word ("Smith-Spark" stays one surname) and split the others
    ("Jean-Marc" -> "jean marc").
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’`]s\b", "", text.replace(".", ""))
    for phrase, short in PHRASES.items():
        text = re.sub(rf"\b{phrase}\b", short, text)
    words = [re.sub(r"^(?:al|el)-", "", word) for word in text.split()]
    tokens = []
    for position, word in enumerate(words):
        parts = [word.replace("-", "")] if position == len(words) - 1 else word.split("-")
        tokens += [re.sub(r"\W", "", part) for part in parts]
    tokens = [t for t in tokens if t and t not in DROPPED]
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    kept = [t for i, t in enumerate(tokens)
            if i == len(tokens) - 1 or not (t in PARTICLES or (i > 0 and t in ARABIC_ARTICLES))]
    return " ".join(_spelling(t) for t in kept)


def _spelling(token: str) -> str:
    """One spelling per variant: Sergey/Sergei, Muhammad/Mohammed, Russian/Russia."""
    token = VARIANTS.get(token, token)
    return PLACES.get(token, token)


def organization_key(name: str) -> str:
    """Word order and little words do not matter: "Ministry of Defense of Russia"."""
    return " ".join(sorted(set(canonical_key(name).split()) - STOPWORDS))


def description_key(name: str) -> str:
    """Unnamed sources and groups: "a Syrian military source" = "Syrian military sources"."""
    words = [w for w in canonical_key(name).split() if w not in DETERMINERS]
    return " ".join(w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 3 else w
                     for w in words)


def _given_names_compatible(a: list[str], b: list[str]) -> bool:
    """First names that may belong to one person: equal, fuzzy-equal or a transliteration."""
    if not a or not b:
        return True
    first_a, first_b = a[0], b[0]
    if len(first_a) == 1 or len(first_b) == 1:
        same_first = first_a[0] == first_b[0]
    else:
        same_first = (fuzz.ratio(first_a, first_b) >= 85
                      or _skeleton(first_a) == _skeleton(first_b))
    middle_a, middle_b = a[1:], b[1:]
    if middle_a and middle_b:
        return same_first and [w[0] for w in middle_a] == [w[0] for w in middle_b]
    return same_first


def _skeleton(word: str) -> tuple[str, str, str]:
    """First letter, consonants, last letter: Ahmed/Ahmad, Hussein/Husain, Maria != Mario."""
    consonants = re.sub(r"[aeiouy]", "", re.sub(r"(.)\1", r"\1", word))
    last = "i" if word[-1] == "y" else word[-1]
    return word[0], consonants, last


def _role_words(role: str) -> set[str]:
    title, _ = split_role(role)
    return set(canonical_key(title).split()) - STOPWORDS - {"deputy", "special", "senior", "former"}


def _roles_conflict(roles_a: set[str], roles_b: set[str]) -> bool:
    """Two stated roles sharing no word ("President" vs "Foreign Minister") mean two people."""
    if not roles_a or not roles_b:
        return False
    words_a = set().union(*map(_role_words, roles_a))
    words_b = set().union(*map(_role_words, roles_b))
    return not (words_a & words_b)


# ---- clustering -------------------------------------------------------------------------

def form_types(names: list[NameRecord]) -> dict[str, str]:
    """Each name form's type: the one most of its quotes gave it (ties: person first)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for record in names:
        counts[_form(record.name)][record.type] += 1
    return {form: min(types, key=lambda t: (-types[t], _type_rank(t)))
            for form, types in counts.items()}


def cluster_names(names: list[NameRecord]) -> dict[str, str]:
    """Map every name form to its speaker's canonical name.

    Pure and deterministic: the same records in any order give the same mapping. Forms of
    different types never share a speaker.
    """
    types = form_types(names)
    counts = Counter(_form(r.name) for r in names)
    roles: dict[str, set[str]] = defaultdict(set)
    for record in names:
        if record.role:
            roles[_form(record.name)].add(record.role)
    by_type: dict[str, set[str]] = defaultdict(set)
    for form, type_ in types.items():
        by_type[type_].add(form)
    mapping = {}
    for type_, forms in sorted(by_type.items()):
        clusters: Iterable[list[str]]
        if type_ == "person":
            clusters = _cluster_people(forms, roles)
        else:
            key = organization_key if type_ == "organization" else description_key
            clusters = _group_by(forms, key).values()
        for cluster in clusters:
            canonical = _canonical_form(cluster, counts)
            mapping.update(dict.fromkeys(cluster, canonical))
    return mapping


def _cluster_people(forms: set[str], form_roles: dict[str, set[str]]) -> list[list[str]]:
    """Full names join when surname, first names and roles agree; partial names
    (surname only, initial) join the single full name they fit, or stay on their own."""
    by_key = _group_by(forms, canonical_key)
    roles = {key: set().union(*(form_roles[f] for f in key_forms))
             for key, key_forms in by_key.items()}
    by_surname: dict[str, list[list[str]]] = defaultdict(list)
    for key in sorted(k for k in by_key if _is_full_name(k)):
        same_surname = by_surname[_surname(key)]
        home = next((c for c in same_surname
                     if all(_same_person(key, other, roles) for other in c)), None)
        if home is None:
            same_surname.append([key])
        else:
            home.append(key)
    alone = []
    for key in sorted(k for k in by_key if not _is_full_name(k)):
        fits = [c for c in by_surname.get(_surname(key), []) if _fits(key, c[0])]
        if len(fits) == 1 and not any(_roles_conflict(roles[key], roles[o]) for o in fits[0]):
            fits[0].append(key)
        else:
            alone.append([key])
    clusters = [c for surname in sorted(by_surname) for c in by_surname[surname]] + alone
    return [sorted(f for key in cluster for f in by_key[key]) for cluster in clusters]


def _is_full_name(key: str) -> bool:
    """A first name (not just an initial) and a surname."""
    words = key.split()
    return len(words) > 1 and len(words[0]) > 1


def _same_person(a: str, b: str, roles: dict[str, set[str]]) -> bool:
    *given_a, _ = a.split()
    *given_b, _ = b.split()
    return _given_names_compatible(given_a, given_b) and not _roles_conflict(roles[a], roles[b])


def _surname(key: str) -> str:
    """The last word of a name key; "" for a key made only of titles ("Ms" -> "")."""
    return key.rsplit(" ", 1)[-1]


def _fits(partial: str, full: str) -> bool:
    """A surname alone ("lavrov") or with an initial ("s lavrov") could be "sergei lavrov"."""
    if not partial:  # a bare title ("Ms") fits no one
        return False
    *given_p, surname_p = partial.split()
    *given_f, surname_f = full.split()
    return surname_p == surname_f and _given_names_compatible(given_p, given_f)


def _canonical_form(forms: list[str], counts: Counter) -> str:
    """Most frequent full form (not "the ..."); ties go to the longest, then alphabetical."""
    def rank(form: str):
        return (not _is_full_name(canonical_key(form)), form.casefold().startswith("the "),
                -counts[form], -len(form), form)
    return min(forms, key=rank)


def _group_by(forms, key) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for form in sorted(forms):
        groups[key(form)].append(form)
    return groups


def _form(name: str) -> str:
    return " ".join(name.split())


def _type_rank(type_: str) -> int:
    return TYPE_PRIORITY.index(type_) if type_ in TYPE_PRIORITY else len(TYPE_PRIORITY)


# ---- roles ------------------------------------------------------------------------------

def split_role(role: str) -> tuple[str, str | None]:
    """A stated role as (title, organisation it names, if any).

    "spokeswoman for the Russian Foreign Ministry" -> ("spokeswoman", "Russian Foreign Ministry");
    "Russian Foreign Ministry spokeswoman" -> ("spokeswoman", "Russian Foreign Ministry");
    "Russian Foreign Minister" -> ("Foreign Minister", "Russian"); "Secretary of State" -> as is.
    """
    text = " ".join(role.split(",")[0].split()).strip(" .;:")
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
    words = text.split()
    for i, word in enumerate(words[1:-1], start=1):
        if word.lower() in {"for", "of", "at", "with"}:
            title, org = " ".join(words[:i]), " ".join(words[i + 1:])
            if org.lower().startswith("the ") or _is_org(org) or words[i - 1].lower() in SPOKES_TITLES:
                return title, re.sub(r"^the\s+", "", org, flags=re.I)
    for i in range(len(words) - 2, -1, -1):
        if words[i].lower() in ORG_HEADS:
            return " ".join(words[i + 1:]), " ".join(words[:i + 1])
    if len(words) > 1 and canonical_key(words[0]) in PLACE_KEYS:
        return " ".join(words[1:]), re.sub(r"['’]s$", "", words[0])
    return text, None


def _is_org(text: str) -> bool:
    words = text.split()
    return bool(words) and words[-1].lower() in ORG_HEADS


def _role_rows(records: list[tuple[str, NameRecord, str | None]]) -> list[dict]:
    """One row per speaker, article and title: "US Secretary of State" and "Secretary of
    State" in one article count once (the fuller phrasing is kept)."""
    best: dict[tuple, dict] = {}
    for speaker_id, record, published in records:
        if not record.role:
            continue
        title, organization = split_role(record.role)
        row = {"speaker_id": speaker_id, "article_id": record.article_id, "role": _form(record.role),
               "title": title, "organization": organization, "published": published}
        slot = (speaker_id, record.article_id, canonical_key(title))
        current = best.get(slot)
        if current is None or _role_rank(row) < _role_rank(current):
            best[slot] = row
    return [best[slot] for slot in sorted(best, key=lambda s: tuple(x or "" for x in s))]


def _role_rank(row: dict):
    return (row["organization"] is None, -len(row["role"]), row["role"])


def canonical_roles(rows: list[dict]) -> list[dict]:
    """One spelling per role of a speaker across articles: "U.S. Secretary of State", "US
    Secretary of State" and "Secretary of State" are one role, written the way that names the
    organisation, stated in most articles (then the longest). The article's own phrasing stays
    in ``quotes.role``."""
    forms: dict[tuple, Counter] = defaultdict(Counter)
    for row in rows:
        forms[(row["speaker_id"], canonical_key(row["title"]))][(row["role"], row["title"], row["organization"])] += 1

    def rank(form: tuple, count: int):
        role, _, organization = form
        return (organization is None, -count, -len(role), role)

    chosen = {slot: min(counts.items(), key=lambda item: rank(*item))[0] for slot, counts in forms.items()}
    return [{**row, **dict(zip(("role", "title", "organization"),
                               chosen[(row["speaker_id"], canonical_key(row["title"]))], strict=True))} for row in rows]


def _current_role(rows: list[dict]) -> str | None:
    """The latest stated role; on the same date, the one stated most often."""
    if not rows:
        return None
    frequency = Counter(canonical_key(r["title"]) for r in rows)
    latest = max(rows, key=lambda r: (r["published"] or "", frequency[canonical_key(r["title"])],
                                      len(r["role"]), r["role"]))
    return latest["role"]


def _affiliation_rows(role_rows: list[dict], speakers: dict[str, dict],
                      organizations: dict[str, str]) -> list[dict]:
    """Who spoke for which organisation, per article. A bare country ("Russian Foreign
    Minister") counts only when that country is itself a speaker."""
    rows: dict[tuple[str, str, str], dict] = {}
    for row in role_rows:
        if speakers[row["speaker_id"]]["type"] != "person" or not row["organization"]:
            continue
        key = organization_key(row["organization"])
        organization_id = organizations.get(key)
        if organization_id is None and key in PLACE_KEYS:
            continue
        slot = (row["speaker_id"], organization_id or key, row["article_id"])
        rows.setdefault(slot, {"speaker_id": row["speaker_id"], "organization_id": organization_id,
                               "organization": row["organization"], "article_id": row["article_id"]})
    return [rows[slot] for slot in sorted(rows)]


# ---- database ---------------------------------------------------------------------------

def speaker_id(name: str, type_: str) -> str:
    """Stable id: the same canonical name and type always get the same id."""
    return content_hash(f"{type_}\n{canonical_key(name)}")[:16]


def rebuild_speakers(db) -> None:
    """Recompute speakers, aliases, roles, affiliations and quotes.speaker_id (and the
    registry name readers see, quotes.speaker) from all quotes, then the counts behind
    whole-archive facets.

    Speakers are upserted and only changed quotes rewritten, so a rebuild that changes
    little touches little (every quote update also rewrites its full-text index row).
    """
    ensure_db_shape(db)
    with write_transaction(db):  # read and write under one lock: no ingest saves in between
        write_speakers(db)
    count_facets(db)  # speaker names may have changed, and new articles came in


def write_speakers(db) -> None:
    """Read every quote and write the registry from it (``rebuild_speakers`` runs this under
    the write lock, so the quotes it reads are the ones there when it writes)."""
    quotes = list(db.query(
        "select q.id, q.article_id, q.speaker_name, q.speaker_type, q.role, q.speaker_id, "
        "q.speaker, q.mention_text, a.published "
        "from quotes q left join articles a on a.id = q.article_id "
        "where trim(coalesce(q.speaker_name, '')) != '' order by q.id"))
    records = [NameRecord(_form(q["speaker_name"]), q["speaker_type"] or "person", q["role"],
                          q["article_id"]) for q in quotes]
    assigned = _attach_in_article(records, _speakers_by_form(db, records))
    ids = [speaker_id(name, type_) for name, type_ in assigned]
    speakers = {id_: {"id": id_, "name": name, "type": type_}
                for id_, (name, type_) in sorted(zip(ids, assigned, strict=True))}
    dated = [(i, r, q["published"]) for i, r, q in zip(ids, records, quotes, strict=True)]
    role_rows = canonical_roles(_role_rows(dated))
    _add_counts(speakers, ids, records, role_rows)
    aliases = sorted({(i, r.name) for i, r in zip(ids, records, strict=True)}
                     | {(i, form) for i, r, q in zip(ids, records, quotes, strict=True)
                        if (form := mention_name_form(q["mention_text"], r))})
    organizations = {organization_key(alias): id_ for id_, alias in aliases
                     if speakers[id_]["type"] == "organization"}
    for table in ("affiliations", "roles", "aliases"):
        db.execute(f"delete from {table}")
    db["speakers"].upsert_all(speakers.values(), pk="id")
    db.conn.executemany("update quotes set speaker_id = ?, speaker = ? where id = ?", [
        (i, speakers[i]["name"], q["id"]) for i, q in zip(ids, quotes, strict=True)
        if (q["speaker_id"], q["speaker"]) != (i, speakers[i]["name"])])
    db.execute("update quotes set speaker_id = null, speaker = speaker_name "
               "where trim(coalesce(speaker_name, '')) = '' and speaker_id is not null")
    stale = [(row[0],) for row in db.execute("select id from speakers") if row[0] not in speakers]
    db.conn.executemany("delete from speakers where id = ?", stale)
    db["aliases"].insert_all([{"speaker_id": i, "alias": a} for i, a in aliases])
    db["roles"].insert_all(role_rows)
    db["affiliations"].insert_all(_affiliation_rows(role_rows, speakers, organizations), alter=True)
    count_months(db)


def count_months(db) -> None:
    """Quotes per speaker and month, for charts over time: summed once per rebuild, so the
    chart reads a few hundred rows instead of grouping every quote of the top speakers."""
    db.execute("delete from speaker_months")
    db.execute("""
        insert into speaker_months (speaker_id, month, quotes)
        select speaker_id, substr(published, 1, 7), count(*) from quotes
        where speaker_id is not null and published is not null
        group by speaker_id, substr(published, 1, 7)
    """)


def mention_name_form(mention: str | None, record: NameRecord) -> str | None:
    """The name part of a person's mention, as an alias: "Foreign Minister Lavrov" -> "Lavrov".

    The longest run of capitalised words at the end of the mention whose words all occur in
    the resolved name; pronouns and titles are never aliases.
    """
    if not mention or record.type != "person":
        return None
    name_words = set(canonical_key(record.name).split())
    words = mention.replace("’s", "").replace("'s", "").split()
    form: list[str] = []
    for word in reversed(words):
        capitalised = word[:1].isupper() or word.split("-")[-1][:1].isupper()
        particle = word.lower() in PARTICLES  # "de" in "Staffan de Mistura"
        if not (particle or capitalised and set(canonical_key(word).split()) <= name_words):
            break
        form.insert(0, word)
    while form and form[0].endswith(".") and not canonical_key(form[0]):  # "Mr. Lavrov"
        form.pop(0)
    if not set(canonical_key(" ".join(form)).split()) & name_words:
        return None  # a bare particle

    return " ".join(form) or None


def _speakers_by_form(db, records: list[NameRecord]) -> dict[str, tuple[str, str]]:
    """Name form -> (canonical name, type): clustering plus the stored hand merges."""
    return _apply_merges(_merges(db), cluster_names(records), form_types(records))


def _add_counts(speakers: dict[str, dict], ids: list[str], records: list[NameRecord],
                role_rows: list[dict]) -> None:
    quote_counts = Counter(ids)
    articles = defaultdict(set)
    for id_, record in zip(ids, records, strict=True):
        articles[id_].add(record.article_id)
    roles = defaultdict(list)
    for row in role_rows:
        roles[row["speaker_id"]].append(row)
    for id_, speaker in speakers.items():
        speaker.update(current_role=_current_role(roles[id_]), quote_count=quote_counts[id_],
                       article_count=len(articles[id_]))


def _attach_in_article(records: list[NameRecord],
                       speaker_of: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """A surname (or initial) several people share goes to the one quoted in the same article."""
    people_in: dict[str | None, set[tuple[str, str]]] = defaultdict(set)
    for record in records:
        name, type_ = speaker_of[record.name]
        if type_ == "person" and _is_full_name(canonical_key(name)):
            people_in[record.article_id].add((name, type_))
    assigned = []
    for record in records:
        name, type_ = speaker = speaker_of[record.name]
        key = canonical_key(name)
        if type_ == "person" and not _is_full_name(key):
            fits = [p for p in people_in[record.article_id] if _fits(key, canonical_key(p[0]))]
            speaker = fits[0] if len(fits) == 1 else speaker
        assigned.append(speaker)
    return assigned


def _merges(db) -> list[tuple[str, str]]:
    """Hand corrections as (other, keep), oldest first."""
    return [(row["name"], row["into_name"]) for row in
            db.query("select name, into_name from speaker_merges order by created_at, name")]


def _apply_merges(merges: list[tuple[str, str]], mapping: dict[str, str],
                  types: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Name form -> (canonical name, type) after the hand merges."""
    speaker_of = {form: (canonical, types[canonical]) for form, canonical in mapping.items()}
    for other, keep in merges:
        source, target = _find(other, speaker_of), _find(keep, speaker_of)
        if source and target and source != target:
            speaker_of = {f: target if s == source else s for f, s in speaker_of.items()}
    return speaker_of


def _find(name: str, speaker_of: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """The speaker a name or id given by hand refers to: id, canonical name, alias, then key."""
    speakers = sorted(set(speaker_of.values()))
    for candidates in (
        [s for s in speakers if speaker_id(*s) == name],
        [s for s in speakers if s[0] == _form(name)],
        sorted({s for f, s in speaker_of.items() if f == _form(name)}),
        sorted({s for f, s in speaker_of.items() if canonical_key(f) == canonical_key(name)}),
    ):
        if len(candidates) == 1:
            return candidates[0]
    return None


def merge_speakers(db, keep: str, other: str) -> None:
    """Merge speaker ``other`` into ``keep`` (names, aliases or ids), stored so it survives rebuilds."""
    ensure_db_shape(db)
    quotes = db.query("select speaker_name, speaker_type from quotes "
                      "where trim(coalesce(speaker_name, '')) != ''")
    records = [NameRecord(_form(q["speaker_name"]), q["speaker_type"] or "person") for q in quotes]
    speaker_of = _speakers_by_form(db, records)
    found = {name: _find(name, speaker_of) for name in (keep, other)}
    for name, speaker in found.items():
        if speaker is None:
            raise UnknownSpeaker(f"no single speaker named {name!r}; `quotes speakers` lists them")
    if found[keep] == found[other]:
        raise UnknownSpeaker(f"{other!r} and {keep!r} are already one speaker")
    db["speaker_merges"].upsert(
        {"name": other, "into_name": keep,
         "created_at": datetime.now(UTC).isoformat(timespec="microseconds")}, pk="name")
    rebuild_speakers(db)


def list_speakers(db) -> list[dict]:
    """Every speaker with aliases, stated roles and counts, most quoted first."""
    if not db["speakers"].exists():
        return []
    aliases, roles, history = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in db.query("select speaker_id, alias from aliases order by alias"):
        aliases[row["speaker_id"]].append(row["alias"])
    for row in db.query("select speaker_id, role, title, organization, min(published) as first, "
                        "max(published) as last, count(distinct article_id) as articles "
                        "from roles group by speaker_id, role "
                        "order by max(coalesce(published, '')) desc, role"):
        roles[row["speaker_id"]].append(row["role"])
        history[row["speaker_id"]].append({k: v for k, v in row.items() if k != "speaker_id"})
    return [{"id": s["id"], "name": s["name"], "type": s["type"], "current_role": s["current_role"],
             "aliases": [a for a in aliases[s["id"]] if a != s["name"]], "roles": roles[s["id"]],
             "role_history": history[s["id"]],
             "quote_count": s["quote_count"], "article_count": s["article_count"]}
            for s in db.query("select * from speakers order by quote_count desc, name, id")]
