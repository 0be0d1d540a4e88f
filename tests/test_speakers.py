"""Speaker resolution: pure helpers, then mentions located in the real example articles and
resolved over the real shipped stanza parse, then the whole pipeline end to end."""

import pytest

from quotes.models import Article, Quote, Span, SpeakerRef
from quotes.nlp import parse_articles
from quotes.speakers import (
    CREDITS,
    ArticleIndex,
    clean_name,
    contains,
    merge_spans,
    name_keys,
    resolve_speakers,
)


@pytest.mark.parametrize("name, keys", [
    ("Sergei Lavrov", ("sergei", "lavrov")),
    ("Bashar al-Assad", ("bashar", "assad")),
    ("Assad’s", ("assad",)),
    ("De Mistura", ("de", "mistura")),
])
def test_name_keys(name, keys):
    assert name_keys(name) == keys


def test_partial_names_match_contiguously():
    assert contains(("staffan", "de", "mistura"), ("de", "mistura"))
    assert not contains(("staffan", "de", "mistura"), ("staffan", "mistura"))


def test_clean_name_drops_article_and_possessive():
    assert clean_name("the Kremlin's") == "Kremlin"
    assert clean_name("Russia’s") == "Russia"
    assert clean_name("Interfax") == "Interfax"


@pytest.mark.parametrize("line, credits", [
    ("By Jack Stubbs and John Davison", True),
    ("By Laura Smith-Spark", True),
    ("(Additonal reporting by Arshad Mohammed in Washington; Writing by Giles Elgood)", True),
    ("By Tuesday, the army had taken the hill, Lavrov said.", False),
    ("The town was hit by shelling, residents said.", False),
])
def test_byline_and_credits_lines(line, credits):
    assert bool(CREDITS.search(line)) == credits


def test_merge_spans():
    assert merge_spans([(5, 9), (0, 3), (2, 4), (9, 12)]) == [(0, 4), (5, 12)]


@pytest.fixture(scope="session")
def parsed(example_parses):
    """The real parse of every example, by file-name prefix ("000" ... "004")."""
    return {p.article.id[:3]: p for p in example_parses}


def quote_at(parsed_article, mention: str, context: str | None = None, said: str | None = None) -> Quote:
    """A quote whose speaker mention is ``mention`` found inside ``context`` in the real text."""
    text = parsed_article.article.text
    context = context or mention
    start = text.index(context) + context.index(mention)
    said = said or context
    quote_start = text.index(said)
    return Quote(article_id=parsed_article.article.id, start=quote_start,
                 end=quote_start + len(said), text=said, kind="direct", confidence=0.5,
                 speaker=SpeakerRef(mention=Span(start=start, end=start + len(mention), text=mention),
                                    name=mention, type="unnamed"))


def resolve_last(parsed_article, *quotes: Quote) -> SpeakerRef:
    resolved = resolve_speakers(parsed_article, list(quotes))
    assert [q.speaker.mention for q in resolved] == [q.speaker.mention for q in quotes]
    return resolved[-1].speaker


@pytest.mark.parametrize("article, mention, context, name, kind, role", [
    ("003", "Lavrov", "their weapons, Lavrov said", "Sergei Lavrov", "person", "Foreign Minister"),
    ("003", "Russia’s Deputy Foreign Minister Gennady Gatilov", None, "Gennady Gatilov", "person",
     "Russia’s Deputy Foreign Minister"),
    ("003", "Russian Foreign Ministry spokeswoman Maria Zakharova", None, "Maria Zakharova", "person",
     "Russian Foreign Ministry spokeswoman"),
    ("003", "U.S. Secretary of State John Kerry", None, "John Kerry", "person", "U.S. Secretary of State"),
    ("003", "de Mistura", "de Mistura said on Thursday", "Staffan de Mistura", "person", "U.N. Syria envoy"),
    ("003", "Ammar al-Selmo, head of the civil defence rescue organisation in Aleppo", None,
     "Ammar al-Selmo", "person", "head of the civil defence rescue organisation in Aleppo"),
    ("003", "A Syrian military source", None, "Syrian military source", "unnamed", None),
    ("003", "rebels", "but rebels said later", "rebels", "group", None),
    ("000", "Wael Alwan, the spokesman for Failaq al-Rahman", None, "Wael Alwan", "person",
     "spokesman for Failaq al-Rahman"),
    ("000", "Alwan", "Alwan, who is based", "Wael Alwan", "person", "spokesman for Failaq al-Rahman"),
    ("000", "Interfax news agency", None, "Interfax", "organization", None),
    ("000", "The United Nations", None, "United Nations", "organization", None),
    ("000", "United Nations Secretary General António Guterres", None, "António Guterres", "person",
     "United Nations Secretary General"),
    ("000", "the Russian Defense Ministry", "the Russian Defense Ministry said in",
     "Russian Defense Ministry", "organization", None),
    ("000", "Russian officials", None, "Russian officials", "unnamed", None),
    ("000", "Syria's state news agency", None, "Syria's state news agency", "organization", None),
    ("000", "who", "Alwan, who is based", "Wael Alwan", "person", "spokesman for Failaq al-Rahman"),
    ("000", "he", "which he called", "Wael Alwan", "person", "spokesman for Failaq al-Rahman"),
    ("001", "Russia", "Russia said Thursday it was prepared", "Russia", "organization", None),
    ("001", "the Syrian Observatory for Human Rights monitoring group", None,
     "Syrian Observatory for Human Rights", "organization", None),
    ("001", "Putin", "Putin dismissed", "Vladimir Putin", "person", "Russian President"),
    ("002", "Rycroft", "Rycroft said, “would", "Matthew Rycroft", "person", "Britain’s U.N. Ambassador"),
    ("002", "one person close to the opposition who spoke on the condition of anonymity", None,
     "one person close to the opposition", "unnamed", None),
    ("002", "the officials", "Those discussions, the officials said", "administration officials",
     "unnamed", None),
    ("004", "Lavrov", "Lavrov said Russia was", "Sergey Lavrov", "person", "Foreign Minister"),
    ("004", "the UN special envoy", "the UN special envoy’s plan", "Staffan de Mistura", "person",
     "UN Special Envoy for Syria"),
])
def test_mentions_resolve_in_their_article(parsed, article, mention, context, name, kind, role):
    speaker = resolve_last(parsed[article], quote_at(parsed[article], mention, context))
    assert (speaker.name, speaker.type, speaker.role) == (name, kind, role)


@pytest.mark.parametrize("mention, context, name, role", [
    ("Russian Deputy", "Russian Deputy Foreign Minister Sergei Ryabkov", "Sergei Ryabkov",
     "Russian Deputy Foreign Minister"),
    ("U.S. Secretary of State", "U.S. Secretary of State John Kerry said", "John Kerry",
     "U.S. Secretary of State"),
])
def test_mention_cut_inside_a_title_names_the_person_after_it(parsed, mention, context, name, role):
    """A title is never a name: a mention that stops at one names whoever the title goes on to."""
    speaker = resolve_last(parsed["003"], quote_at(parsed["003"], mention, context))
    assert (speaker.name, speaker.type, speaker.role) == (name, "person", role)


def test_sentence_initial_description_keeps_proper_words_capitalized(parsed):
    speaker = resolve_last(parsed["003"], quote_at(parsed["003"], "Syrian state TV"))
    assert speaker.name == "Syrian state TV"


def test_pronoun_after_a_quote_is_its_speaker(parsed):
    article = parsed["002"]
    kerry = quote_at(article, "Kerry", "Meanwhile, Kerry told",
                     said="“not aware of any specific refusal”")
    he = quote_at(article, "he", "Berlin, he said", said="the two would meet Thursday")
    speaker = resolve_last(article, kerry, he)
    assert (speaker.name, speaker.type, speaker.role) == ("John Kerry", "person", "Secretary of State")


def test_another_speaker_for_a_quote_leaves_the_next_pronoun_alone(parsed):
    """A quote's alternative speaker (for the scorer to choose between) resolves where the quote
    stands, but "he" after it still reads the quote's own speaker."""
    article = parsed["002"]
    kerry = quote_at(article, "Kerry", "Meanwhile, Kerry told", said="“not aware of any specific refusal”")
    he = quote_at(article, "he", "Berlin, he said", said="the two would meet Thursday")
    lavrov = quote_at(article, "Lavrov", "Lavrov charged", said="“not aware of any specific refusal”")
    alone = resolve_speakers(article, [kerry, he])
    with_alternative = resolve_speakers(article, [kerry, he], [lavrov])
    assert with_alternative[:2] == alone
    assert [q.speaker.name for q in with_alternative] == ["John Kerry", "John Kerry", "Sergei Lavrov"]


def test_it_after_an_organization_quote(parsed):
    article = parsed["000"]
    ministry = quote_at(article, "the Russian Defense Ministry", "the Russian Defense Ministry said in",
                        said="\"The Russian Reconciliation Center")
    it = quote_at(article, "it", "it added", said="be provided, and the entire route will be guarded,")
    speaker = resolve_last(article, ministry, it)
    assert (speaker.name, speaker.type) == ("Russian Defense Ministry", "organization")


def test_pronoun_skips_a_speaker_two_paragraphs_back(parsed):
    """Putin spoke two paragraphs earlier; "he" is Assad, the subject just before."""
    article = parsed["001"]
    putin = quote_at(article, "Putin", "Putin dismissed", said="\"political rhetoric\"")
    he = quote_at(article, "he", "he said in an excerpt", said="\"I look positively to this relationship,\"")
    assert resolve_last(article, putin, he).name == "Bashar al-Assad"


def test_pronoun_without_quote_before_is_latest_subject(parsed):
    article = parsed["002"]
    he = quote_at(article, "he", "he said from inside", said="“Morale has hit rock bottom,”")
    speaker = resolve_last(article, he)
    assert (speaker.name, speaker.role) == ("Mahmoud Raslan", "local media activist")


def test_continuation_copies_the_resolved_speaker(parsed):
    article = parsed["003"]
    kerry = quote_at(article, "Kerry", "Kerry told reporters", said="“Last night, the (Syrian) regime")
    more = quote_at(article, "Kerry", said="“These are acts that beg")
    more.speaker = SpeakerRef(mention=None, name="Kerry", type="person")
    speaker = resolve_last(article, kerry, more)
    assert (speaker.mention, speaker.name, speaker.role) == (None, "John Kerry", "U.S. Secretary of State")


def test_byline_and_credits_names_are_never_speakers(parsed):
    index = ArticleIndex(parsed["003"], [])
    names = {o.full for o in index.occurrences}
    assert {"Sergei Lavrov", "Angela Merkel"} <= names
    assert not names & {"Jack Stubbs", "John Davison", "Arshad Mohammed", "Giles Elgood"}
    assert index.expand(name_keys("Stubbs"), 0) is None


def test_quotes_without_speaker_pass_through(parsed):
    article = parsed["003"]
    quote = quote_at(article, "Kerry", "Kerry told reporters")
    quote.speaker = None
    assert resolve_speakers(article, [quote]) == [quote]


def test_end_to_end_direct_quotes_of_003(example_extractions):
    [extraction] = [e for e in example_extractions.values() if e.article.id.startswith("003")]
    expected = {
        "Russia has a lot of influence": "Angela Merkel",
        "Last night, the (Syrian) regime": "John Kerry",
        "These are acts that beg": "John Kerry",
        "It is very dangerous to play": "Maria Zakharova",
        "would help to find a way forward": "Sergei Ryabkov",
        "Instead of that, in New York": "Sergei Ryabkov",
    }
    found = {phrase: [q.speaker.name if q.speaker else None for q in extraction.quotes
                      if phrase in q.text and q.kind in ("direct", "mixed")] for phrase in expected}
    assert found == {phrase: [name] for phrase, name in expected.items()}


SYNTHETIC = """By Jane Reporter
WASHINGTON (Reuters) - President Barack Obama met German Foreign Minister Frank-Walter Steinmeier on Monday.
"We agreed on the next steps," Mr. Obama told reporters after the meeting.
Hillary Clinton, the former secretary of state, said she would visit Berlin. "It is time," she said.
The minister said Germany was ready to help. "We will do our part," Steinmeier added.
The German foreign ministry said in a statement that talks would continue. "Progress was made," the ministry said.
(Reporting by Jane Reporter; Editing by Tom Editor)"""


def test_a_title_inside_a_name_stays_in_it():
    text = "“I have a dream,” Martin Luther King Jr. said in 1963."
    [parsed_article] = parse_articles([Article(id="king", text=text)])
    king = resolve_last(parsed_article, quote_at(parsed_article, "Martin Luther King Jr.", None, "“I have a dream,”"))
    assert (king.name, king.type) == ("Martin Luther King Jr.", "person")


def test_an_organisation_written_with_a_hyphen_keeps_both_parts():
    """The tokenizer makes "AFL-CIO" three words, and NER tags only "CIO"."""
    text = "The AFL-CIO said workers would strike."
    [parsed_article] = parse_articles([Article(id="afl", text=text)])
    union = resolve_last(parsed_article, quote_at(parsed_article, "The AFL-CIO", None, "workers would strike"))
    assert (union.name, union.type) == ("AFL-CIO", "organization")


def test_an_adjective_the_tagger_took_for_a_person_names_no_one():
    """"Republican presidential candidate Sen. Lindsey Graham": the shipped NER tags
    "Republican" as a person of its own; the speaker is Graham, the rest his role."""
    text = "Republican presidential candidate Sen. Lindsey Graham said the party was in trouble."
    [parsed_article] = parse_articles([Article(id="graham", text=text)])
    assert ("Republican", "PER") in [(e.text, e.type) for e in parsed_article.entities]
    graham = resolve_last(parsed_article, quote_at(parsed_article, text[:text.index(" said")], None,
                                                   "the party was in trouble"))
    assert (graham.name, graham.type) == ("Lindsey Graham", "person")
    assert graham.role.startswith("Republican presidential candidate")


def test_honorifics_pronouns_and_titles_on_a_fresh_article():
    """Beyond the examples: Mr., she, "the minister" and "the ministry" over a real parse."""
    article = Article(id="fresh", text=SYNTHETIC, body_start=SYNTHETIC.index("WASHINGTON"),
                      body_end=SYNTHETIC.index("(Reporting"))
    [parsed_article] = parse_articles([article])
    quotes = [quote_at(parsed_article, "Mr. Obama", "Mr. Obama told", '"We agreed on the next steps,"'),
              quote_at(parsed_article, "Hillary Clinton, the former secretary of state", None,
                       "would visit Berlin"),
              quote_at(parsed_article, "she", "she said.", '"It is time,"'),
              quote_at(parsed_article, "The minister", "The minister said", "Germany was ready to help"),
              quote_at(parsed_article, "the ministry", "the ministry said", '"Progress was made,"')]
    speakers = [(q.speaker.name, q.speaker.type, q.speaker.role)
                for q in resolve_speakers(parsed_article, quotes)]
    assert speakers == [
        ("Barack Obama", "person", "President"),
        ("Hillary Clinton", "person", "former secretary of state"),
        ("Hillary Clinton", "person", "former secretary of state"),
        ("Frank-Walter Steinmeier", "person", "German Foreign Minister"),
        ("German foreign ministry", "organization", None),
    ]
    names = {o.full for o in ArticleIndex(parsed_article, quotes).occurrences}
    assert "Jane Reporter" not in names and "Tom Editor" not in names


JOINT_SOURCES = [
    # two named organisations or places joined by "and": a group, not the last of them
    ("Moscow and Beijing said the resolution was one-sided.", "Moscow and Beijing", "group"),
    ("The Justice Department and the FBI said the inquiry was over.", "Justice Department and the FBI", "group"),
    ("The State Department said the talks would resume.", "State Department", "organization"),
]


@pytest.mark.parametrize("text, name, type_", JOINT_SOURCES)
def test_two_named_sources_joined_by_and_speak_together(example_articles, text, name, type_):
    from quotes.pipeline import extract_parsed

    article = example_articles[0].model_copy(update={"id": "joint", "text": text,
                                                      "body_start": 0, "body_end": None})
    [quote] = extract_parsed(parse_articles([article])[0]).quotes
    assert (quote.speaker.name, quote.speaker.type) == (name, type_)
