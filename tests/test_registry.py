"""The cross-article speaker registry: name matching, roles, order independence, hand merges."""

import random
from pathlib import Path

import pytest
import sqlite_utils

from quotes import db as storage
from quotes.models import Article, Extraction, Quote, SpeakerRef
from quotes.registry import (
    NameRecord,
    UnknownSpeaker,
    canonical_key,
    cluster_names,
    list_speakers,
    merge_speakers,
    rebuild_speakers,
    split_role,
)

EXAMPLES = Path(__file__).parent.parent / "examples"
MANIFEST = Path(__file__).parent.parent / "quotes" / "stanza_models" / "manifest.json"


@pytest.mark.parametrize("a, b", [
    ("Sergei Lavrov", "Sergey Lavrov"),
    ("Bashar al-Assad", "Bashar Assad"),
    ("de Mistura", "De Mistura"),
    ("António Guterres", "Antonio Guterres"),
    ("Russian Defense Ministry", "Russia's Defence Ministry"),
    ("the Russian Defense Ministry", "Russian Defense Ministry"),
    ("U.S. Secretary of State", "US Secretary of State"),
    ("Muhammad Ali", "Mohammed Ali"),
    ("Abdel Aziz", "Abdul Aziz"),
    ("Jean-Marc Ayrault", "Jean Marc Ayrault"),
    ("Ahmed al-Jarba", "Ahmed el-Jarba"),
])
def test_canonical_key_equates_variants(a, b):
    assert canonical_key(a) == canonical_key(b)


@pytest.mark.parametrize("a, b", [
    ("Sergei Lavrov", "Sergei Ryabkov"),
    ("John Smith", "Mary Smith"),
    ("Laura Smith-Spark", "Laura Smith"),
])
def test_canonical_key_keeps_different_names_apart(a, b):
    assert canonical_key(a) != canonical_key(b)


def test_canonical_key_keeps_the_surname_last():
    assert canonical_key("Staffan de Mistura").split()[-1] == canonical_key("de Mistura")
    assert canonical_key("Bashar al-Assad").split()[-1] == canonical_key("Assad")


def example_records() -> list[NameRecord]:
    """Speaker name forms as the five example articles give them."""
    return [
        NameRecord("Sergei Lavrov", role="Russian Foreign Minister", article_id="001"),
        NameRecord("Sergei Lavrov", role="Russian Foreign Minister", article_id="002"),
        NameRecord("Sergei Lavrov", role="Foreign Minister", article_id="003"),
        NameRecord("Sergey Lavrov", role="Foreign Minister", article_id="004"),
        NameRecord("Lavrov", article_id="001"),
        NameRecord("Sergei Ryabkov", role="Russian Deputy Foreign Minister", article_id="003"),
        NameRecord("Sergei Rudskoy", role="Russian Lieutenant General", article_id="001"),
        NameRecord("Bashar al-Assad", role="Syrian President", article_id="002"),
        NameRecord("Bashar Assad", role="President", article_id="000"),
        NameRecord("Assad", article_id="001"),
        NameRecord("Staffan de Mistura", role="UN Special Envoy for Syria", article_id="004"),
        NameRecord("de Mistura", article_id="003"),
        NameRecord("De Mistura", article_id="004"),
        NameRecord("Jean-Marc Ayrault", role="French Foreign Minister", article_id="003"),
        NameRecord("Ayrault", article_id="004"),
        NameRecord("John Kerry", role="US Secretary of State", article_id="004"),
        NameRecord("Kerry", article_id="002"),
        NameRecord("Russian Defense Ministry", "organization", article_id="000"),
        NameRecord("the Russian Defense Ministry", "organization", article_id="000"),
        NameRecord("a Syrian military source", "unnamed", article_id="003"),
        NameRecord("Administration officials", "group", article_id="002"),
    ]


def test_cluster_names_merges_the_example_forms():
    mapping = cluster_names(example_records())
    assert {f for f, c in mapping.items() if c == "Sergei Lavrov"} == {
        "Sergei Lavrov", "Sergey Lavrov", "Lavrov"}
    assert {f for f, c in mapping.items() if c == "Bashar al-Assad"} == {
        "Bashar al-Assad", "Bashar Assad", "Assad"}
    assert {f for f, c in mapping.items() if c == "Staffan de Mistura"} == {
        "Staffan de Mistura", "de Mistura", "De Mistura"}
    assert mapping["Ayrault"] == "Jean-Marc Ayrault"
    assert mapping["Kerry"] == "John Kerry"
    assert mapping["the Russian Defense Ministry"] == "Russian Defense Ministry"
    assert mapping["Sergei Ryabkov"] == "Sergei Ryabkov"
    assert mapping["Sergei Rudskoy"] == "Sergei Rudskoy"
    assert mapping["a Syrian military source"] == "a Syrian military source"


def test_canonical_name_is_the_most_frequent_full_form():
    records = [NameRecord("Bashar Assad"), NameRecord("Bashar Assad"), NameRecord("Bashar al-Assad"),
               NameRecord("Assad"), NameRecord("Assad"), NameRecord("Assad")]
    assert set(cluster_names(records).values()) == {"Bashar Assad"}
    tie = [NameRecord("Bashar Assad"), NameRecord("Bashar al-Assad")]
    assert set(cluster_names(tie).values()) == {"Bashar al-Assad"}


def test_a_bare_title_is_a_speaker_of_its_own():
    """"Ms" alone (a parse that cut the name off) normalizes to nothing: it must not crash the
    clustering nor join anyone."""
    records = [NameRecord("Ms", article_id="1"), NameRecord("Mary Smith", article_id="1"),
               NameRecord("Smith", article_id="2")]
    mapping = cluster_names(records)
    assert mapping["Ms"] == "Ms" and mapping["Smith"] == "Mary Smith"


def test_people_sharing_a_surname_stay_apart():
    records = [NameRecord("John Smith", article_id="1"), NameRecord("Mary Smith", article_id="2"),
               NameRecord("Smith", article_id="3")]
    mapping = cluster_names(records)
    assert len(set(mapping.values())) == 3
    assert mapping["Smith"] == "Smith"


def test_fuzzy_first_names_merge_unless_roles_conflict():
    same = [NameRecord("Staffan de Mistura", role="UN envoy"), NameRecord("Stafan de Mistura", role="envoy")]
    assert len(set(cluster_names(same).values())) == 1
    different = [NameRecord("Jon Smith", role="Senator"), NameRecord("John Smith", role="football coach")]
    assert len(set(cluster_names(different).values())) == 2
    assert len(set(cluster_names([NameRecord("Maria Zakharova"), NameRecord("Mario Zakharova")]).values())) == 2


def test_surname_only_form_takes_the_single_matching_person_unless_roles_conflict():
    records = [NameRecord("Angela Merkel", role="German Chancellor"), NameRecord("Merkel", role="Chancellor")]
    assert cluster_names(records)["Merkel"] == "Angela Merkel"
    records = [NameRecord("Angela Merkel", role="German Chancellor"), NameRecord("Merkel", role="goalkeeper")]
    assert cluster_names(records)["Merkel"] == "Merkel"


def test_unnamed_and_groups_never_merge_with_people():
    records = [NameRecord("Administration officials", "group"), NameRecord("an administration official", "unnamed"),
               NameRecord("administration officials", "unnamed"), NameRecord("Official", "person")]
    mapping = cluster_names(records)
    assert mapping["administration officials"] == mapping["an administration official"]
    assert mapping["Administration officials"] == "Administration officials"
    assert mapping["Official"] == "Official"


def test_cluster_names_does_not_depend_on_order():
    records = example_records() + [NameRecord("John Smith"), NameRecord("Mary Smith"), NameRecord("Smith"),
                                   NameRecord("J. Smith"), NameRecord("J. Kerry")]
    expected = cluster_names(records)
    for seed in range(5):
        shuffled = list(records)
        random.Random(seed).shuffle(shuffled)
        assert cluster_names(shuffled) == expected
    assert (expected["J. Smith"], expected["Smith"]) == ("John Smith", "Smith")
    assert expected["J. Kerry"] == "John Kerry"


@pytest.mark.parametrize("role, title, organization", [
    ("spokeswoman for the Russian Foreign Ministry", "spokeswoman", "Russian Foreign Ministry"),
    ("Russian Foreign Ministry spokeswoman", "spokeswoman", "Russian Foreign Ministry"),
    ("Russian Foreign Minister", "Foreign Minister", "Russian"),
    ("U.S. Secretary of State", "Secretary of State", "U.S."),
    ("Secretary of State", "Secretary of State", None),
    ("the spokesman for Failaq al-Rahman, one of the main rebel groups in eastern Ghouta",
     "spokesman", "Failaq al-Rahman"),
    ("head of the civil defence rescue organisation in Aleppo", "head",
     "civil defence rescue organisation in Aleppo"),
    ("Russia's Deputy Foreign Minister", "Deputy Foreign Minister", "Russia"),
    ("UN Syria envoy", "Syria envoy", "UN"),
    ("German Chancellor", "Chancellor", "German"),
    ("local media activist", "local media activist", None),
    ("Chief of Staff", "Chief of Staff", None),
    ("leader of Hezbollah", "leader", "Hezbollah"),
])
def test_split_role(role, title, organization):
    assert split_role(role) == (title, organization)


# ---- database --------------------------------------------------------------------------------

def article(name: str, published: str) -> Article:
    """An example article, read as plain text, with a publication date."""
    return Article(id=name[:3], text=(EXAMPLES / name).read_text(), published=published)


def quote(article: Article, text: str, name: str, type_: str = "person", role: str | None = None) -> Quote:
    start = article.text.index(text)
    return Quote(article_id=article.id, start=start, end=start + len(text), text=text, kind="direct",
                 speaker=SpeakerRef(name=name, type=type_, role=role), confidence=0.9)


def example_extractions_by_hand() -> list[Extraction]:
    """Quotes and speakers of the examples as speakers.py should resolve them."""
    a0 = article("000_e5c23b516e2a48fa.txt", "2018-03-06")
    a1 = article("001_7bc8ab39567d527b.txt", "2016-10-13")
    a2 = article("002_6d97062325c34ccb.txt", "2016-12-06")
    a3 = article("003_cd5996b88a391c0c.txt", "2016-10-07")
    a4 = article("004_390c1e4a347e204a.txt", "2016-10-07")
    return [
        Extraction(article=a0, quotes=[
            quote(a0, "The Russian Reconciliation Center guarantees", "Russian Defense Ministry", "organization"),
            quote(a0, "insisting on military escalation", "Wael Alwan", role="the spokesman for Failaq al-Rahman"),
            quote(a0, "the Syrian army would continue the push", "Bashar Assad", role="President"),
        ]),
        Extraction(article=a1, quotes=[
            quote(a1, "launch a serious dialogue", "Sergei Lavrov", role="Russian Foreign Minister"),
            quote(a1, "I look positively to this relationship", "Bashar al-Assad", role="President"),
            quote(a1, "We are ready to ensure the safe withdrawal", "Sergei Rudskoy",
                  role="Russian Lieutenant General"),
        ]),
        Extraction(article=a2, quotes=[
            quote(a2, "Those who refuse to leave", "Sergei Lavrov", role="Russian Foreign Minister"),
            quote(a2, "Serious conversations with our partners", "Sergei Lavrov"),
            quote(a2, "not aware of any specific refusal", "John Kerry", role="Secretary of State"),
            quote(a2, "Morale has hit rock bottom", "Mahmoud Raslan", role="local media activist"),
        ]),
        Extraction(article=a3, quotes=[
            quote(a3, "Russia has a lot of influence on Assad", "Angela Merkel", role="German Chancellor"),
            quote(a3, "Last night, the (Syrian) regime", "John Kerry", role="U.S. Secretary of State"),
            quote(a3, "It is very dangerous to play", "Maria Zakharova",
                  role="Russian Foreign Ministry spokeswoman"),
            quote(a3, "would help to find a way forward", "Sergei Ryabkov",
                  role="Russian Deputy Foreign Minister"),
            quote(a3, "Russia would support an eye-catching proposal", "Sergei Lavrov", role="Foreign Minister"),
            quote(a3, "the army had captured several important positions", "a Syrian military source", "unnamed"),
            quote(a3, "to completely storm eastern Aleppo", "de Mistura"),
        ]),
        Extraction(article=a4, quotes=[
            quote(a4, "I heard his statement concerning only Nusra", "Sergey Lavrov", role="Foreign Minister"),
            quote(a4, "ready to work on this text", "Lavrov"),
            quote(a4, "owe the world more than an explanation", "John Kerry", role="US Secretary of State"),
            quote(a4, "way beyond", "John Kerry", role="Secretary of State"),
            quote(a4, "If you did decide to leave", "Staffan de Mistura", role="UN Special Envoy for Syria"),
            quote(a4, "Look me in the eyes", "De Mistura"),
        ]),
    ]


def snapshot(db: sqlite_utils.Database) -> dict[str, list[tuple]]:
    """Every registry row, in primary-key order."""
    return {
        "speakers": list(db.execute("select * from speakers order by id").fetchall()),
        "aliases": list(db.execute("select * from aliases order by speaker_id, alias").fetchall()),
        "roles": list(db.execute("select * from roles order by id").fetchall()),
        "affiliations": list(db.execute("select * from affiliations order by 1, 2, 3, 4").fetchall()),
        "quotes": list(db.execute("select id, speaker_id from quotes order by id").fetchall()),
    }


def speaker(db: sqlite_utils.Database, name: str) -> dict:
    [row] = [s for s in list_speakers(db) if s["name"] == name]
    return row


def test_rebuild_merges_speakers_across_articles(tmp_path, build_db):
    db = build_db(tmp_path / "q.db", example_extractions_by_hand())
    lavrov = speaker(db, "Sergei Lavrov")
    assert lavrov["type"] == "person"
    assert lavrov["aliases"] == ["Lavrov", "Sergey Lavrov"]
    assert (lavrov["quote_count"], lavrov["article_count"]) == (6, 4)
    assert speaker(db, "Bashar al-Assad")["article_count"] == 2
    assert speaker(db, "Staffan de Mistura")["aliases"] == ["De Mistura", "de Mistura"]
    assert speaker(db, "Sergei Ryabkov")["quote_count"] == 1
    assert db.execute("select count(*) from quotes where speaker_id is null").fetchone() == (0,)
    names = [s["name"] for s in list_speakers(db)]
    assert len(names) == len(set(names)) == 12


def test_roles_count_once_per_article_in_one_spelling_and_current_role_is_latest(tmp_path, build_db):
    """"Secretary of State", "U.S. Secretary of State" and "US Secretary of State" are one role
    of Kerry's, written one way (the quotes keep each article's phrasing), with its dates."""
    db = build_db(tmp_path / "q.db", example_extractions_by_hand())
    kerry = speaker(db, "John Kerry")
    rows = list(db.query("select article_id, role, title, organization, published from roles "
                         "where speaker_id = ? order by article_id", [kerry["id"]]))
    canonical = {"role": "U.S. Secretary of State", "title": "Secretary of State", "organization": "U.S."}
    assert rows == [{"article_id": "002", **canonical, "published": "2016-12-06"},
                    {"article_id": "003", **canonical, "published": "2016-10-07"},
                    {"article_id": "004", **canonical, "published": "2016-10-07"}]
    assert kerry["current_role"] == "U.S. Secretary of State"
    assert kerry["roles"] == ["U.S. Secretary of State"]
    assert kerry["role_history"] == [{**canonical, "first": "2016-10-07", "last": "2016-12-06", "articles": 3}]
    assert speaker(db, "Sergei Lavrov")["current_role"] == "Russian Foreign Minister"


def test_affiliations_link_officials_to_their_organisation(tmp_path, build_db):
    db = build_db(tmp_path / "q.db", example_extractions_by_hand())
    rows = list(db.query(
        "select s.name, a.organization, o.name as org_speaker, a.article_id from affiliations a "
        "join speakers s on s.id = a.speaker_id left join speakers o on o.id = a.organization_id "
        "order by s.name"))
    assert rows == [
        {"name": "Maria Zakharova", "organization": "Russian Foreign Ministry", "org_speaker": None,
         "article_id": "003"},
        {"name": "Wael Alwan", "organization": "Failaq al-Rahman", "org_speaker": None, "article_id": "000"},
    ]
    extractions = example_extractions_by_hand()
    a3 = extractions[3].article
    extractions[3].quotes.append(quote(a3, "Russia said the call for an investigation", "Russian Foreign Ministry",
                                       "organization"))
    db = build_db(tmp_path / "q2.db", extractions)
    [row] = db.query("select o.name from affiliations a join speakers o on o.id = a.organization_id")
    assert row == {"name": "Russian Foreign Ministry"}


def test_rebuild_does_not_depend_on_ingest_order(tmp_path, build_db):
    extractions = example_extractions_by_hand()
    first = build_db(tmp_path / "a.db", extractions)
    second = build_db(tmp_path / "b.db", list(reversed(extractions)))
    shuffled = list(extractions)
    random.Random(3).shuffle(shuffled)
    third = build_db(tmp_path / "c.db", shuffled)
    assert snapshot(first) == snapshot(second) == snapshot(third)
    before = snapshot(first)
    rebuild_speakers(first)
    assert snapshot(first) == before


def test_people_sharing_a_surname_in_different_articles_stay_apart(tmp_path, build_db):
    extractions = example_extractions_by_hand()
    hafez = Article(id="hafez", text="\u201cWe will never give up the Golan,\u201d Hafez al-Assad said.\n"
                                     "\u201cNever,\u201d Assad said again.")
    extractions.append(Extraction(article=hafez, quotes=[
        quote(hafez, "We will never give up the Golan", "Hafez al-Assad", role="Syrian President"),
        quote(hafez, "Never", "Assad"),
    ]))
    db = build_db(tmp_path / "q.db", extractions)
    assert speaker(db, "Bashar al-Assad")["quote_count"] == 2
    assert speaker(db, "Hafez al-Assad")["quote_count"] == 2  # "Assad" in its own article
    assert "Assad" not in [s["name"] for s in list_speakers(db)]


def test_hand_merges_survive_rebuild_and_reingestion(tmp_path, build_db):
    extractions = example_extractions_by_hand()
    db = build_db(tmp_path / "q.db", extractions)
    merge_speakers(db, speaker(db, "Sergei Lavrov")["id"], "Sergei Ryabkov")
    lavrov = speaker(db, "Sergei Lavrov")
    assert lavrov["quote_count"] == 7
    assert "Sergei Ryabkov" in lavrov["aliases"]
    assert "Sergei Ryabkov" not in [s["name"] for s in list_speakers(db)]
    after_merge = snapshot(db)
    storage.save_extraction(db, extractions[3], "test-v2")  # re-extracted article
    rebuild_speakers(db)
    assert snapshot(db) == after_merge


def test_merge_rejects_unknown_names(tmp_path, build_db):
    db = build_db(tmp_path / "q.db", example_extractions_by_hand())
    with pytest.raises(UnknownSpeaker, match="Vladimir Putin"):
        merge_speakers(db, "Sergei Lavrov", "Vladimir Putin")
    with pytest.raises(UnknownSpeaker, match="already one speaker"):
        merge_speakers(db, "Sergei Lavrov", "Sergey Lavrov")
    assert db["speaker_merges"].count == 0


# ---- end to end, with the shipped models ------------------------------------------------------

@pytest.mark.skipif(not MANIFEST.exists(), reason="stanza models not shipped yet")
def test_example_articles_end_to_end(tmp_path, example_extractions, build_db):
    extractions = [example_extractions[key] for key in sorted(example_extractions)]
    db = build_db(tmp_path / "a.db", extractions)
    by_name = {s["name"]: s for s in list_speakers(db)}
    lavrov = by_name["Sergei Lavrov"]
    assert lavrov["article_count"] >= 3
    assert "Sergey Lavrov" in lavrov["aliases"]
    assert not [name for name in by_name if "lavrov" in name.casefold() and name != "Sergei Lavrov"]
    assert any("Secretary of State" in role for role in by_name["John Kerry"]["roles"])
    assert any("envoy" in role.casefold() for role in by_name["Staffan de Mistura"]["roles"])
    assert any("Chancellor" in role for role in by_name["Angela Merkel"]["roles"])
    assert [canonical_key(name) for name in by_name if "assad" in name.casefold()] == ["bashar assad"]
    reverse = build_db(tmp_path / "b.db", list(reversed(extractions)))
    assert snapshot(reverse) == snapshot(db)


def test_mention_name_forms_become_aliases_but_not_titles_or_pronouns():
    from quotes.registry import NameRecord, mention_name_form

    lavrov = NameRecord("Sergei Lavrov", "person")
    mistura = NameRecord("Staffan de Mistura", "person")
    assert mention_name_form("Foreign Minister Sergei Lavrov", lavrov) == "Sergei Lavrov"
    assert mention_name_form("Mr. Lavrov", lavrov) == "Lavrov"
    assert mention_name_form("U.N. Syria envoy Staffan de Mistura", mistura) == "Staffan de Mistura"
    assert mention_name_form("de Mistura", mistura) == "de Mistura"
    assert mention_name_form("he", lavrov) is None
    assert mention_name_form("the envoy", mistura) is None
    assert mention_name_form("Lavrov", NameRecord("Russian Foreign Ministry", "organization")) is None
