"""Rule tests: the finder and speaker resolution on short hand-written parses (CoNLL-U), no
stanza models loaded. The tests that read ``rule_quotes`` test the rules alone, which
retraining cannot break or fix; those that read ``extract_parsed`` test the whole extraction,
which the learned tagger and scorer take part in.

Columns: ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC (MISC: SpaceAfter=No, NER=B-PER).
"""

import pytest

from quotes.document import Document
from quotes.finder import find_quotes
from quotes.pipeline import extract_parsed, rule_quotes

LAVROV_SAID = """
1	Lavrov	Lavrov	PROPN	NNP	_	2	nsubj	_	NER=B-PER
2	said	say	VERB	VBD	_	0	root	_	_
3	the	the	DET	DT	_	4	det	_	_
4	talks	talk	NOUN	NNS	_	5	nsubj	_	_
5	failed	fail	VERB	VBD	_	2	ccomp	_	SpaceAfter=No
6	.	.	PUNCT	.	_	2	punct	_	_
"""
LAVROV_MET_KERRY = """
1	Sergei	Sergei	PROPN	NNP	_	3	nsubj	_	NER=B-PER
2	Lavrov	Lavrov	PROPN	NNP	_	1	flat	_	NER=I-PER
3	met	meet	VERB	VBD	_	0	root	_	_
4	Kerry	Kerry	PROPN	NNP	_	3	obj	_	NER=B-PER|SpaceAfter=No
5	.	.	PUNCT	.	_	3	punct	_	_
"""


def test_a_speech_verb_reports_the_rest_of_its_clause(conllu, only_quote):
    quote = only_quote(extract_parsed(conllu(LAVROV_SAID)).quotes)
    assert (quote.text, quote.kind, quote.cue.text, quote.cue_type) == (
        "the talks failed", "indirect", "said", "speech")
    assert (quote.speaker.mention.text, quote.speaker.name, quote.speaker.type) == ("Lavrov", "Lavrov", "person")


def test_a_stance_verb_is_a_stance_cue_with_less_confidence(conllu, only_quote):
    believes = LAVROV_SAID.replace("said\tsay\tVERB\tVBD", "believes\tbelieve\tVERB\tVBZ")
    said = only_quote(rule_quotes(conllu(LAVROV_SAID)))
    believed = only_quote(rule_quotes(conllu(believes)))
    assert believed.text == "the talks failed" and believed.cue_type == "stance"
    assert believed.confidence < said.confidence


def test_remembering_and_envisioning_are_stance_not_speech(conllu, only_quote):
    """Beliefs and memories are attributions, never speech: `quotes extract --speech-only`
    leaves them out."""
    for form, lemma in (("remembers", "remember"), ("envisions", "envision")):
        parse = LAVROV_SAID.replace("said\tsay\tVERB\tVBD", f"{form}\t{lemma}\tVERB\tVBZ")
        quote = only_quote(extract_parsed(conllu(parse)).quotes)
        assert (quote.text, quote.cue.text, quote.cue_type) == ("the talks failed", form, "stance")


def test_a_quote_before_its_cue_is_direct_with_its_marks(conllu, only_quote):
    quote = only_quote(extract_parsed(conllu("""
1	“	“	PUNCT	``	_	4	punct	_	SpaceAfter=No
2	We	we	PRON	PRP	_	4	nsubj	_	_
3	will	will	AUX	MD	_	4	aux	_	_
4	win	win	VERB	VB	_	8	ccomp	_	SpaceAfter=No
5	,	,	PUNCT	,	_	4	punct	_	SpaceAfter=No
6	”	”	PUNCT	''	_	4	punct	_	_
7	Trump	Trump	PROPN	NNP	_	8	nsubj	_	NER=B-PER
8	said	say	VERB	VBD	_	0	root	_	SpaceAfter=No
9	.	.	PUNCT	.	_	8	punct	_	_
""")).quotes)
    assert (quote.text, quote.kind, quote.speaker.mention.text) == ("“We will win,”", "direct", "Trump")


def test_the_addressee_is_not_what_was_told(conllu, only_quote):
    quote = only_quote(extract_parsed(conllu("""
1	Trump	Trump	PROPN	NNP	_	2	nsubj	_	NER=B-PER
2	told	tell	VERB	VBD	_	0	root	_	_
3	reporters	reporter	NOUN	NNS	_	2	obj	_	_
4	that	that	SCONJ	IN	_	7	mark	_	_
5	he	he	PRON	PRP	_	7	nsubj	_	_
6	would	would	AUX	MD	_	7	aux	_	_
7	run	run	VERB	VB	_	2	ccomp	_	SpaceAfter=No
8	.	.	PUNCT	.	_	2	punct	_	_
""")).quotes)
    assert quote.text == "that he would run" and quote.speaker.mention.text == "Trump"


def test_the_content_stops_where_the_writer_takes_over(conllu, only_quote):
    quote = only_quote(extract_parsed(conllu("""
1	Lavrov	Lavrov	PROPN	NNP	_	2	nsubj	_	NER=B-PER
2	said	say	VERB	VBD	_	0	root	_	_
3	the	the	DET	DT	_	4	det	_	_
4	talks	talk	NOUN	NNS	_	5	nsubj	_	_
5	failed	fail	VERB	VBD	_	2	ccomp	_	SpaceAfter=No
6	,	,	PUNCT	,	_	9	punct	_	_
7	while	while	SCONJ	IN	_	9	mark	_	_
8	Kerry	Kerry	PROPN	NNP	_	9	nsubj	_	NER=B-PER
9	smiled	smile	VERB	VBD	_	2	advcl	_	SpaceAfter=No
10	.	.	PUNCT	.	_	2	punct	_	_
""")).quotes)
    assert quote.text == "the talks failed"


def test_according_to_names_the_source_and_the_rest_is_the_content(conllu, only_quote):
    quote = only_quote(extract_parsed(conllu("""
1	According	accord	VERB	VBG	_	4	case	_	_
2	to	to	ADP	IN	_	1	fixed	_	_
3	the	the	DET	DT	_	4	det	_	_
4	ministry	ministry	NOUN	NN	_	8	obl	_	SpaceAfter=No
5	,	,	PUNCT	,	_	8	punct	_	_
6	20	20	NUM	CD	_	7	nummod	_	_
7	people	people	NOUN	NNS	_	8	nsubj	_	_
8	died	die	VERB	VBD	_	0	root	_	SpaceAfter=No
9	.	.	PUNCT	.	_	8	punct	_	_
""")).quotes)
    assert (quote.text, quote.cue.text, quote.speaker.mention.text) == (
        "20 people died", "According to", "the ministry")
    assert quote.speaker.type == "organization"


def test_a_reporting_verb_tagged_as_a_noun_is_repaired_once_for_every_stage(conllu, only_quote):
    parsed = conllu("""
1	Viguerie	Viguerie	PROPN	NNP	_	2	compound	_	NER=B-PER
2	notes	note	NOUN	NNS	_	0	root	_	_
3	that	that	SCONJ	IN	_	6	mark	_	_
4	the	the	DET	DT	_	5	det	_	_
5	party	party	NOUN	NN	_	6	nsubj	_	_
6	lost	lose	VERB	VBD	_	2	acl	_	SpaceAfter=No
7	.	.	PUNCT	.	_	2	punct	_	_
""")
    notes = Document.of(parsed).sentences[0].words[1]
    assert (notes.upos, notes.lemma) == ("VERB", "note")
    quote = only_quote(extract_parsed(parsed).quotes)
    assert quote.text.endswith("the party lost") and quote.speaker.name == "Viguerie"


def test_a_verb_lemmatized_as_its_own_form_is_read_as_its_cue(conllu):
    """"warning" tagged VERB with the lemma "warning": its own attribution, not the end of
    "called for"'s content."""
    parsed = conllu("""
1	Kerry	Kerry	PROPN	NNP	_	2	nsubj	_	NER=B-PER
2	called	call	VERB	VBD	_	0	root	_	_
3	for	for	ADP	IN	_	4	case	_	_
4	talks	talk	NOUN	NNS	_	2	obl	_	SpaceAfter=No
5	,	,	PUNCT	,	_	6	punct	_	_
6	warning	warning	VERB	VBG	_	2	advcl	_	_
7	that	that	SCONJ	IN	_	11	mark	_	_
8	the	the	DET	DT	_	9	det	_	_
9	war	war	NOUN	NN	_	11	nsubj	_	_
10	would	would	AUX	MD	_	11	aux	_	_
11	spread	spread	VERB	VB	_	6	ccomp	_	SpaceAfter=No
12	.	.	PUNCT	.	_	2	punct	_	_
""")
    assert Document.of(parsed).sentences[0].words[5].lemma == "warn"
    found = {(q.text, q.cue.text, q.speaker.mention.text) for q in find_quotes(Document.of(parsed))}
    assert found == {("talks", "called", "Kerry"), ("that the war would spread", "warning", "Kerry")}


def test_the_object_of_a_cue_in_a_participle_clause_is_its_content(conllu, only_quote):
    quote = only_quote(extract_parsed(conllu("""
1	Trump	Trump	PROPN	NNP	_	2	nsubj	_	NER=B-PER
2	left	leave	VERB	VBD	_	0	root	_	SpaceAfter=No
3	,	,	PUNCT	,	_	4	punct	_	_
4	citing	cite	VERB	VBG	_	2	advcl	_	_
5	a	a	DET	DT	_	7	det	_	_
6	scheduling	scheduling	NOUN	NN	_	7	compound	_	_
7	conflict	conflict	NOUN	NN	_	4	obj	_	SpaceAfter=No
8	.	.	PUNCT	.	_	2	punct	_	_
""")).quotes)
    assert (quote.text, quote.cue.text, quote.speaker.mention.text) == ("a scheduling conflict", "citing", "Trump")


def test_an_owned_nominal_cue_reports_what_it_is_on(conllu, only_quote):
    """"Trump's attacks on Curiel": Curiel is what Trump attacked; "the new attacks on ..." are
    no one's. The rules' quotes: whether a one-sentence article's bare name is kept is the
    scorer's call (0.31-0.43 by the training run, around its keep threshold)."""
    owned = """
1	Trump	Trump	PROPN	NNP	_	3	nmod:poss	_	NER=B-PER|SpaceAfter=No
2	's	's	PART	POS	_	1	case	_	_
3	attacks	attack	NOUN	NNS	_	7	nsubj	_	_
4	on	on	ADP	IN	_	5	case	_	_
5	Curiel	Curiel	PROPN	NNP	_	3	nmod	_	NER=B-PER
6	were	be	AUX	VBD	_	7	cop	_	_
7	unusual	unusual	ADJ	JJ	_	0	root	_	SpaceAfter=No
8	.	.	PUNCT	.	_	7	punct	_	_
"""
    quote = only_quote(rule_quotes(conllu(owned)))
    assert (quote.text, quote.cue.text, quote.speaker.mention.text) == ("Curiel", "attacks", "Trump")
    nobody = owned.replace("Trump\tTrump\tPROPN\tNNP\t_\t3\tnmod:poss\t_\tNER=B-PER|SpaceAfter=No",
                           "The\tthe\tDET\tDT\t_\t3\tdet\t_\t_").replace(
        "'s\t's\tPART\tPOS\t_\t1\tcase", "new\tnew\tADJ\tJJ\t_\t3\tamod")
    assert rule_quotes(conllu(nobody)) == []


def test_a_relative_clause_without_relative_word_reports_the_noun_it_modifies(conllu, only_quote):
    quote = only_quote(extract_parsed(conllu("""
1	Sanders	Sanders	PROPN	NNP	_	2	nsubj	_	NER=B-PER
2	took	take	VERB	VBD	_	0	root	_	_
3	back	back	ADP	RP	_	2	compound:prt	_	_
4	everything	everything	PRON	NN	_	2	obj	_	_
5	he	he	PRON	PRP	_	6	nsubj	_	_
6	said	say	VERB	VBD	_	4	acl:relcl	_	SpaceAfter=No
7	.	.	PUNCT	.	_	2	punct	_	_
""")).quotes)
    assert (quote.text, quote.cue.text, quote.speaker.mention.text) == ("everything", "said", "he")


def test_what_a_passive_cue_takes_its_subject_for_is_a_fragment_of_its_own(conllu):
    parsed = conllu("""
1	Twitter	Twitter	PROPN	NNP	_	4	nsubj:pass	_	NER=B-ORG
2	is	be	AUX	VBZ	_	4	aux:pass	_	_
3	widely	widely	ADV	RB	_	4	advmod	_	_
4	seen	see	VERB	VBN	_	0	root	_	_
5	as	as	ADP	IN	_	7	case	_	_
6	a	a	DET	DT	_	7	det	_	_
7	site	site	NOUN	NN	_	4	obl	_	_
8	by	by	ADP	IN	_	9	case	_	_
9	investors	investor	NOUN	NNS	_	4	obl:agent	_	SpaceAfter=No
10	.	.	PUNCT	.	_	4	punct	_	_
""")
    found = {(q.text, q.cue.text, q.cue_type, q.speaker.mention.text) for q in find_quotes(Document.of(parsed))}
    assert found == {("Twitter", "seen", "stance", "investors"), ("a site", "seen", "stance", "investors")}


CLINTON_WAS_ASKED = """
1	Clinton	Clinton	PROPN	NNP	_	3	nsubj:pass	_	NER=S-PER
2	was	be	AUX	VBD	_	3	aux:pass	_	_
3	asked	ask	VERB	VBN	_	0	root	_	_
4	whether	whether	SCONJ	IN	_	7	mark	_	_
5	she	she	PRON	PRP	_	7	nsubj	_	_
6	would	would	AUX	MD	_	7	aux	_	_
7	run	run	VERB	VB	_	3	ccomp	_	SpaceAfter=No
8	.	.	PUNCT	.	_	3	punct	_	_
"""


def test_whom_a_passive_speech_verb_was_said_to_is_not_its_speaker(conllu, only_quote):
    """"Clinton was asked whether ...": she is asked, someone unnamed asks; a "by" phrase
    names the asker. A passive stance verb's subject holds the view ("is worried that")."""
    asked = only_quote(rule_quotes(conllu(CLINTON_WAS_ASKED)))
    assert (asked.text, asked.cue.text, asked.speaker) == ("whether she would run", "asked", None)
    worried = (CLINTON_WAS_ASKED.replace("asked\task\tVERB", "worried\tworry\tVERB")
               .replace("whether\twhether", "that\tthat"))
    holder = only_quote(rule_quotes(conllu(worried)))
    assert (holder.text, holder.cue.text, holder.speaker.mention.text) == ("that she would run", "worried", "Clinton")


OTHERWISE_SHE_SAID = """
1	Otherwise	otherwise	ADV	RB	_	7	advmod	_	SpaceAfter=No
2	,	,	PUNCT	,	_	4	punct	_	_
3	she	she	PRON	PRP	_	4	nsubj	_	_
4	said	say	VERB	VBD	_	7	parataxis	_	SpaceAfter=No
5	,	,	PUNCT	,	_	4	punct	_	_
6	countries	country	NOUN	NNS	_	7	nsubj	_	_
7	steal	steal	VERB	VBP	_	0	root	_	_
8	growth	growth	NOUN	NN	_	7	obj	_	SpaceAfter=No
9	.	.	PUNCT	.	_	7	punct	_	_
"""
INSTEAD_TRUMP_TOLD_CNN = """
1	Instead	instead	ADV	RB	_	10	advmod	_	SpaceAfter=No
2	,	,	PUNCT	,	_	4	punct	_	_
3	Trump	Trump	PROPN	NNP	_	4	nsubj	_	NER=S-PER
4	told	tell	VERB	VBD	_	10	parataxis	_	_
5	CNN	CNN	PROPN	NNP	_	4	obj	_	NER=S-ORG|SpaceAfter=No
6	,	,	PUNCT	,	_	4	punct	_	_
7	his	he	PRON	PRP$	_	8	nmod:poss	_	_
8	policy	policy	NOUN	NN	_	10	nsubj	_	_
9	would	would	AUX	MD	_	10	aux	_	_
10	change	change	VERB	VB	_	0	root	_	SpaceAfter=No
11	.	.	PUNCT	.	_	10	punct	_	_
"""


@pytest.mark.parametrize("parse, expected", [
    (OTHERWISE_SHE_SAID, {("Otherwise", "said", "she"), ("countries steal growth", "said", "she")}),
    (INSTEAD_TRUMP_TOLD_CNN, {("Instead", "told", "Trump"), ("his policy would change", "told", "Trump")}),
])
def test_a_cue_set_off_by_commas_splits_the_content_however_short_its_first_part(conllu, parse, expected):
    """"Otherwise, she said, countries may ...": the cue interrupts what was said, and the one
    word before it is a fragment of it (PolNeAR marks "Otherwise", "Instead", "Now" as content
    too). The cue phrase runs to its comma with its addressee and adjuncts (", Trump told CNN,")."""
    quotes = rule_quotes(conllu(parse))
    assert {(q.text, q.cue.text, q.speaker.mention.text) for q in quotes} == expected


def test_a_pronoun_is_the_person_named_before(conllu, only_quote):
    said = LAVROV_SAID.replace("Lavrov\tLavrov\tPROPN\tNNP\t_\t2\tnsubj\t_\tNER=B-PER",
                               "He\the\tPRON\tPRP\t_\t2\tnsubj\t_\t_")
    quote = only_quote(rule_quotes(conllu(LAVROV_MET_KERRY + "\n" + said)))
    assert (quote.speaker.mention.text, quote.speaker.name, quote.speaker.type) == ("He", "Sergei Lavrov", "person")


def test_a_surname_is_the_full_name_met_before(conllu, only_quote):
    quote = only_quote(rule_quotes(conllu(LAVROV_MET_KERRY + "\n" + LAVROV_SAID)))
    assert (quote.speaker.mention.text, quote.speaker.name) == ("Lavrov", "Sergei Lavrov")


def test_a_cue_inside_quotation_marks_is_the_quoted_speaker_s(conllu):
    """Only the quote is found, not the "said" inside it."""
    quotes = find_quotes(conllu("""
1	“	“	PUNCT	``	_	3	punct	_	SpaceAfter=No
2	He	he	PRON	PRP	_	3	nsubj	_	_
3	said	say	VERB	VBD	_	7	ccomp	_	_
4	no	no	INTJ	UH	_	3	obj	_	SpaceAfter=No
5	,	,	PUNCT	,	_	3	punct	_	SpaceAfter=No
6	”	”	PUNCT	''	_	3	punct	_	_
7	Kerry	Kerry	PROPN	NNP	_	8	nsubj	_	NER=B-PER
8	recalled	recall	VERB	VBD	_	0	root	_	SpaceAfter=No
9	.	.	PUNCT	.	_	8	punct	_	_
""".replace("\t7\tccomp", "\t8\tccomp")))
    assert [(q.text, q.cue.text) for q in quotes] == [("“He said no,”", "recalled")]


ASKED_WHETHER = """\
# text = Asked whether Russia would leave, Lavrov said no.
1	Asked	ask	VERB	VBN	_	8	advcl	_	_
2	whether	whether	SCONJ	IN	_	5	mark	_	_
3	Russia	Russia	PROPN	NNP	_	5	nsubj	_	NER=S-LOC
4	would	would	AUX	MD	_	5	aux	_	_
5	leave	leave	VERB	VB	_	1	ccomp	_	SpaceAfter=No
6	,	,	PUNCT	,	_	8	punct	_	_
7	Lavrov	Lavrov	PROPN	NNP	_	8	nsubj	_	NER=S-PER
8	said	say	VERB	VBD	_	0	root	_	_
9	no	no	INTJ	UH	_	8	obj	_	SpaceAfter=No
10	.	.	PUNCT	.	_	8	punct	_	_
"""


def test_a_question_asked_is_a_question_cue_and_a_request_is_speech(conllu):
    """"Asked whether ..." reports a question (usually a reporter's), which `--speech-only`
    leaves out; "asked Russia to leave" is a request, still speech."""
    found = {(q.text, q.cue.text): q.cue_type for q in rule_quotes(conllu(ASKED_WHETHER))}
    assert found == {("whether Russia would leave", "Asked"): "question", ("no", "said"): "speech"}
    request = LAVROV_SAID.replace("said\tsay\tVERB\tVBD", "asked\task\tVERB\tVBD")
    assert [q.cue_type for q in rule_quotes(conllu(request))] == ["speech"]
