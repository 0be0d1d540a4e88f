"""Speakers' names and roles, one construction at a time, on sentences written for these tests.

Each article goes through the real shipped stanza pipeline and the public ``quotes.pipeline``
API (nlp -> finder -> speakers), so the tests hold whatever the modules inside look like.
"""

import pytest
import sqlite_utils

from quotes.models import Article, Extraction, SpeakerRef
from quotes.pipeline import extract
from quotes.registry import list_speakers

ARTICLES = {
    "appositive": (
        "Helen Marsh, ex-chief economic adviser to the Treasury, said the plan would fail.\n"
        "Peter Dawson has campaigned in the town for a decade.\n"
        "Mr Dawson, a prospective Labour MP, said the vote would be close."),
    "its_chairman": (
        "Northfield Foods reported a loss for the year.\n"
        "The results were disappointing, said its chairman, Sir Richard Vale."),
    "who_heads": (
        "Laura Chen, who heads the Refugee Council, said families were still waiting for news."),
    "stated_once": (
        "Foreign Minister Ivan Petrov arrived in Geneva on Monday for the talks.\n"
        "The meeting lasted six hours.\n"
        "Petrov said the two sides had made progress.\n"
        "He said a second round would follow in March."),
    "title_only": (
        "Prime Minister Alan Brook visited the car plant on Tuesday.\n"
        "Workers had feared for their jobs for months.\n"
        "The prime minister said the plant would stay open."),
    "split": (
        "Home Office spokesman James Reed said the rules would change in April.\n"
        "The Home Office said the change would cost nothing."),
    "peerage": (
        "Lord Fenwick said the bill was badly drafted.\n"
        "Baroness Kemp said she would vote against it."),
    "party_before_name": (
        "Lib Dem spokeswoman Sarah Teale said the tax was unfair.\n"
        "In 2003 the party said it would scrap the tax."),
    "whole_title": (
        "Trade and Industry Secretary Jane Fell said exports had risen."),
    "not_a_name": (
        "The Syrian Observatory for Human Rights said 30 people were killed.\n"
        "More than 300 people have died this month, according to an Observatory toll.\n"
        "Syrian state TV meanwhile reported that shelling had stopped."),
    "pronoun_agreement": (
        "A spokeswoman for the museum said the gallery would reopen in May.\n"
        "John Hart, the chief executive, has run the museum since 2010.\n"
        "She added: \"We are delighted to welcome visitors back.\""),
}


@pytest.fixture(scope="module")
def extracted():
    """Every test article's quotes, by article id."""
    articles = [Article(id=key, text=text) for key, text in ARTICLES.items()]
    return {e.article.id: e.quotes for e in extract(articles)}


def speaker(extracted, article: str, said: str) -> SpeakerRef:
    """The speaker of the quote in ``article`` that contains the words ``said``."""
    text = ARTICLES[article]
    start = text.index(said)
    quotes = [q for q in extracted[article] if q.start <= start < q.end]
    assert quotes, f"no quote found around {said!r} in {[q.text for q in extracted[article]]}"
    return quotes[0].speaker


def who(ref: SpeakerRef | None) -> tuple:
    return (ref.name, ref.type, ref.role) if ref else None


def test_a_role_after_the_name(extracted):
    assert who(speaker(extracted, "appositive", "the plan would fail")) == (
        "Helen Marsh", "person", "ex-chief economic adviser to the Treasury")


def test_a_role_after_an_honorific_and_surname(extracted):
    assert who(speaker(extracted, "appositive", "the vote would be close")) == (
        "Peter Dawson", "person", "prospective Labour MP")


def test_its_chairman_before_the_name(extracted):
    """"said its chairman, Sir Richard Vale": the title before the comma is his role; "Sir" is
    neither name nor role."""
    assert who(speaker(extracted, "its_chairman", "The results were disappointing")) == (
        "Richard Vale", "person", "chairman")


def test_who_heads(extracted):
    assert who(speaker(extracted, "who_heads", "families were still waiting")) == (
        "Laura Chen", "person", "head of the Refugee Council")


def test_a_role_stated_once_carries_to_the_surname_and_the_pronoun(extracted):
    expected = ("Ivan Petrov", "person", "Foreign Minister")
    assert who(speaker(extracted, "stated_once", "the two sides had made progress")) == expected
    assert who(speaker(extracted, "stated_once", "a second round would follow")) == expected


def test_a_title_only_mention_is_the_person_named_with_that_title(extracted):
    assert who(speaker(extracted, "title_only", "the plant would stay open")) == (
        "Alan Brook", "person", "Prime Minister")


def test_peerages_are_neither_names_nor_roles(extracted):
    fenwick = speaker(extracted, "peerage", "the bill was badly drafted")
    kemp = speaker(extracted, "peerage", "she would vote against it")
    assert (fenwick.name, fenwick.role) == ("Fenwick", None)
    assert (kemp.name, kemp.role) == ("Kemp", None)


def test_a_party_before_the_name_is_part_of_the_role(extracted):
    assert who(speaker(extracted, "party_before_name", "the tax was unfair")) == (
        "Sarah Teale", "person", "Lib Dem spokeswoman")


def test_a_date_before_the_mention_is_not_part_of_it(extracted):
    party = speaker(extracted, "party_before_name", "it would scrap the tax")
    assert "2003" not in party.name and party.type == "organization"


def test_a_title_with_and_is_kept_whole(extracted):
    assert who(speaker(extracted, "whole_title", "exports had risen")) == (
        "Jane Fell", "person", "Trade and Industry Secretary")


def test_an_organisation_short_name_is_the_full_name_the_article_gave(extracted):
    toll = speaker(extracted, "not_a_name", "More than 300 people have died")
    assert (toll.name, toll.type) == ("Syrian Observatory for Human Rights", "organization")


def test_an_adverb_after_the_source_is_not_part_of_its_name(extracted):
    tv = speaker(extracted, "not_a_name", "shelling had stopped")
    assert (tv.name, tv.type) == ("Syrian state TV", "organization")


def test_a_pronoun_agrees_with_the_speaker_not_the_nearest_name(extracted):
    """"She added" after a spokeswoman's quote, with a man named in between, is the spokeswoman."""
    she = speaker(extracted, "pronoun_agreement", "We are delighted")
    first = speaker(extracted, "pronoun_agreement", "the gallery would reopen")
    assert (she.name, she.type, she.role) == (first.name, "unnamed", "spokeswoman for the museum")


def test_a_role_is_split_into_title_and_the_organisation_that_speaks(extracted, tmp_path, build_db):
    """"Home Office spokesman James Reed": title "spokesman", organisation "Home Office", and
    Reed is affiliated with the Home Office the article also quotes."""
    db = build_db(tmp_path / "split.db", [Extraction(article=Article(id="split", text=ARTICLES["split"]),
                                                     quotes=extracted["split"])])
    [role] = db.query("select r.title, r.organization from roles r join speakers s on s.id = r.speaker_id "
                      "where s.name = 'James Reed'")
    assert role == {"title": "spokesman", "organization": "Home Office"}
    [link] = db.query("select o.name from affiliations a join speakers s on s.id = a.speaker_id "
                      "join speakers o on o.id = a.organization_id where s.name = 'James Reed'")
    assert link == {"name": "Home Office"}


def test_a_mention_that_is_no_source_gives_no_speaker(example_extractions):
    """"the terms echo previous evacuation deals": the terms say nothing; the quote keeps its
    span with no speaker and a lower confidence."""
    extraction = next(e for e in example_extractions.values() if e.article.id.startswith("000"))
    start = extraction.article.text.index("the terms echo") + len("the terms echo ")
    [quote] = [q for q in extraction.quotes if q.start <= start < q.end]
    assert quote.speaker is None and quote.confidence < 0.5


def test_example_speakers_one_role_for_kerry_and_one_observatory(example_db):
    """The examples as a reader sees them: Kerry's three spellings of his office are one role,
    "the Observatory" and "an Observatory toll" are the Syrian Observatory for Human Rights,
    and no junk ("terms", "Observatory toll") is an unnamed speaker."""
    db = sqlite_utils.Database(example_db)
    speakers = {s["name"]: s for s in list_speakers(db)}
    assert speakers["John Kerry"]["roles"] == ["U.S. Secretary of State"]
    assert [n for n in speakers if "Observatory" in n] == ["Syrian Observatory for Human Rights"]
    assert speakers["Syrian Observatory for Human Rights"]["article_count"] == 3
    assert not {"terms", "Observatory toll", "Syrian state TV meanwhile"} & set(speakers)
