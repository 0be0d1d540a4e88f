"""Where contents start after a cue: "urged Russia to use its influence" reports that Russia should
act, so the object belongs to the content; an object before a reported clause stays the addressee;
an infinitive "to" is content, a preposition before a gerund ("talked about ...") is the cue's."""

from quotes.pipeline import rule_quotes


def test_the_object_of_a_directive_opens_its_content(conllu, only_quote):
    quote = only_quote(rule_quotes(conllu("""
1	Merkel	Merkel	PROPN	NNP	_	2	nsubj	_	NER=B-PER
2	urged	urge	VERB	VBD	_	0	root	_	_
3	Russia	Russia	PROPN	NNP	_	2	obj	_	NER=B-LOC
4	to	to	PART	TO	_	5	mark	_	_
5	use	use	VERB	VB	_	2	xcomp	_	_
6	its	its	PRON	PRP$	_	7	nmod:poss	_	_
7	influence	influence	NOUN	NN	_	5	obj	_	SpaceAfter=No
8	.	.	PUNCT	.	_	2	punct	_	_
""")))
    assert quote.text == "Russia to use its influence" and quote.speaker.mention.text == "Merkel"


def test_whom_a_question_is_asked_stays_out_of_it(conllu, only_quote):
    quote = only_quote(rule_quotes(conllu("""
1	Clinton	Clinton	PROPN	NNP	_	2	nsubj	_	NER=B-PER
2	asked	ask	VERB	VBD	_	0	root	_	_
3	him	he	PRON	PRP	_	2	obj	_	_
4	whether	whether	SCONJ	IN	_	7	mark	_	_
5	he	he	PRON	PRP	_	7	nsubj	_	_
6	would	would	AUX	MD	_	7	aux	_	_
7	run	run	VERB	VB	_	2	ccomp	_	SpaceAfter=No
8	.	.	PUNCT	.	_	2	punct	_	_
""")))
    assert quote.text == "whether he would run" and quote.speaker.mention.text == "Clinton"


def test_an_infinitive_stays_in_the_content_when_its_verb_is_tagged_a_noun(conllu, only_quote):
    quote = only_quote(rule_quotes(conllu("""
1	Kendall	Kendall	PROPN	NNP	_	2	nsubj	_	NER=B-PER
2	declined	decline	VERB	VBD	_	0	root	_	_
3	to	to	PART	TO	_	4	case	_	_
4	comment	comment	NOUN	NN	_	2	xcomp	_	SpaceAfter=No
5	.	.	PUNCT	.	_	2	punct	_	_
""")))
    assert quote.text == "to comment"


def test_the_preposition_before_a_gerund_belongs_to_the_cue(conllu, only_quote):
    quote = only_quote(rule_quotes(conllu("""
1	Clinton	Clinton	PROPN	NNP	_	2	nsubj	_	NER=B-PER
2	talked	talk	VERB	VBD	_	0	root	_	_
3	about	about	SCONJ	IN	_	4	mark	_	_
4	bringing	bring	VERB	VBG	_	2	advcl	_	_
5	communities	community	NOUN	NNS	_	4	obj	_	_
6	together	together	ADV	RB	_	4	advmod	_	SpaceAfter=No
7	.	.	PUNCT	.	_	2	punct	_	_
""")))
    assert quote.text == "bringing communities together"
