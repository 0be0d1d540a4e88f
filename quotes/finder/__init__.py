"""Find quotes in a parsed article: content span, kind, cue and the speaker *mention*.

Two sources of evidence meet here. Quotation marks (``marks.py``) give direct quotes; the
parse gives cues (``cues.py``: speech and stance verbs by lemma in ``verb_cues.py``,
"according to", "quoted X as saying", a colon after a name and the other kinds in
``phrase_cues.py``) with their speaker mention (``sources.py``) and content
(``contents.py``): the rest of the clause after "Lavrov said", the sentence before ",
Lavrov said", both sides of an interrupting ", he said,". ``assembly.py`` makes the quotes: a
content holding quoted text is a mixed quote; a quoted stretch outside every content goes to
the nearest cue of its sentence, to a cue ending the sentence before it ("Trump said:"), or
continues the previous speaker; ``overlaps.py`` keeps one quote where two cues claim the same
content.

The parse comes from small models that mislabel often (ccomp as conj, "says" as a noun), so
the rules lean on word order and word forms where labels are unreliable (``parse.py`` is the
finder's view of the parse, ``vocabulary.py`` the word sets it reads from the lexicon).
Which *person* a mention names (pronouns, surnames) is ``speakers.py``'s job.
"""

from ..lexicon import cue_is_speech, lemma_guess
from .assembly import asked_or, asks_its_subject, find_quotes, kind_of
from .contents import reports_topic
from .marks import QuotedSpan, quoted_spans
from .overlaps import nested, one_content_two_voices, overlap_share, said_beside
from .parse import Context, Cue, Tree
from .sources import mention_of, speaker_type

__all__ = ["Context", "Cue", "QuotedSpan", "Tree", "asked_or", "asks_its_subject", "cue_is_speech",
           "find_quotes", "kind_of", "lemma_guess", "mention_of", "nested", "one_content_two_voices",
           "overlap_share", "quoted_spans", "reports_topic", "said_beside", "speaker_type"]
