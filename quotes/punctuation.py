"""Attach punctuation the way Universal Dependencies defines it, after the parser.

UD fixes where a punctuation mark hangs once the rest of the tree is known
(https://universaldependencies.org/u/dep/punct.html): it has no dependents, paired marks
(brackets, quotation marks) hang from the head of what they enclose, and any other mark hangs
from the highest node of the neighbouring phrase that keeps the tree projective. The
treebanks our parser learnt from follow that rule (it moves 2 of the 16,241 words of GUM's dev
trees, and 0.1% of the training treebanks'), but a parser guesses each mark's head like any
other word's, and about one mark in five was wrong. Recomputing the marks from the parser's other arcs fixes many of
those: GUM dev UAS 84.63 -> 84.91, GUM test 84.72 -> 84.96 (the model card).

The procedure is the one udapi's ``ud.FixPunct`` implements; udapi is GPL-3.0 and this
package is Apache-2.0, so it is written here rather than imported.

Trees are lists of heads, ``heads[i - 1]`` the head of word ``i`` (1-based, 0 = the root).
"""

from __future__ import annotations

PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’", '"': '"', "'": "'"}
SENTENCE_FINAL = frozenset({".", "?", "!"})


class Tree:
    """A dependency tree: heads, and each word's lineage (itself and its ancestors), so that
    "does A dominate B" is one set lookup. Only leaves are re-hung (``rehang``), which changes
    no other word's lineage."""

    def __init__(self, heads: list[int]) -> None:
        self.heads = [0, *heads]  # self.heads[0] is the root's place holder
        self.lineage = [frozenset({0})] + [self._walk_up(word) for word in range(1, len(self.heads))]

    def __len__(self) -> int:
        return len(self.heads) - 1

    def _walk_up(self, word: int) -> frozenset[int]:
        chain = {0}
        while word != 0 and word not in chain:  # the second test only guards against a cycle
            chain.add(word)
            word = self.heads[word]
        return frozenset(chain)

    def rehang(self, leaf: int, head: int) -> None:
        self.heads[leaf] = head
        self.lineage[leaf] = self.lineage[head] | {leaf}

    def dominates(self, ancestor: int, node: int) -> bool:
        """Whether ``node`` is ``ancestor`` or lies beneath it (the root dominates all)."""
        return ancestor in self.lineage[node]

    def span(self, node: int, leaving_out: int | None = None) -> tuple[int, int]:
        """First and last word of ``node``'s subtree, not counting the word ``leaving_out``."""
        members = [w for w in range(1, len(self) + 1) if w != leaving_out and node in self.lineage[w]]
        return min(members), max(members)

    def projective_under(self, mark: int, head: int) -> bool:
        """Whether hanging the dependent-less ``mark`` from ``head`` crosses no arc and leaves
        it in no arc's gap (an arc already non-projective over ``head`` does not count)."""
        low, high = sorted((mark, head))
        if not all(head in self.lineage[w] for w in range(low + 1, high)):
            return False
        for word in range(1, len(self) + 1):
            parent = self.heads[word]
            if word == mark or parent == 0:
                continue
            start, end = sorted((parent, word))
            if start < mark < end and parent not in self.lineage[head] and not start < head < end:
                return False
        return True


def attach_punctuation(forms: list[str], upos: list[str], heads: list[int]) -> list[int]:
    """The heads with every punctuation mark (UPOS PUNCT) attached as UD prescribes.

    Where the tree leaves a choice (a comma between two clauses could close the first or open
    the second), the parser's head is kept if it is one of the acceptable ones. A tree whose
    root is a punctuation mark is returned as it is: there is no phrase to hang marks from."""
    marks = {i for i, tag in enumerate(upos, 1) if tag == "PUNCT"}
    if any(heads[m - 1] == 0 for m in marks):
        return list(heads)
    heads = list(heads)
    for i in range(len(heads)):  # punctuation has no dependents
        while heads[i] in marks:
            heads[i] = heads[heads[i] - 1]
    tree = Tree(heads)
    openers, closers = attach_pairs(tree, forms, marks)
    for mark in sorted(marks - openers - closers):
        attach_mark(tree, mark, forms[mark - 1], marks, openers, closers)
    return tree.heads[1:]


def attach_pairs(tree: Tree, forms: list[str], marks: set[int]) -> tuple[set[int], set[int]]:
    """Hang each bracket or quotation pair from the first and last head inside it; return the
    opening and closing marks so handled."""
    openers: set[int] = set()
    closers: set[int] = set()
    for opener in sorted(marks):
        closing = PAIRS.get(forms[opener - 1])
        if closing is None or opener in closers:
            continue
        closer = matching_mark(forms, marks, opener, closing)
        if closer is None:
            continue
        inside = inner_heads(tree, opener, closer, marks)
        if not inside:
            continue
        tree.rehang(opener, inside[0])
        tree.rehang(closer, inside[-1])
        openers.add(opener)
        closers.add(closer)
    return openers, closers


def matching_mark(forms: list[str], marks: set[int], opener: int, closing: str) -> int | None:
    """The mark closing ``opener``, counting nested pairs of the same kind."""
    depth = 0
    for word in range(opener + 1, len(forms) + 1):
        if word not in marks:
            continue
        if forms[word - 1] == closing:
            if depth == 0:
                return word
            depth -= 1
        elif forms[word - 1] == forms[opener - 1]:
            depth += 1
    return None


def inner_heads(tree: Tree, opener: int, closer: int, marks: set[int]) -> list[int]:
    """Words between the pair that an arc links to the outside (in word order): the heads of
    what the pair encloses. Marks count only when nothing else does ("[...]")."""
    inside = range(opener + 1, closer)
    heads = set()
    for word in range(1, len(tree) + 1):
        parent = tree.heads[word]
        if word in inside and parent not in inside:
            heads.add(word)
        elif parent in inside and word not in inside and word not in (opener, closer):
            heads.add(parent)
    return sorted(heads - marks) or sorted(heads)


def attach_mark(tree: Tree, mark: int, form: str, marks: set[int], openers: set[int],
                closers: set[int]) -> None:
    """Hang one unpaired mark from the lower of the highest acceptable nodes on its left and
    right, unless the parser's head is already an acceptable one. A full stop, question or
    exclamation mark closes what is on its left, so it always takes the highest node there:
    the root, for the one ending a sentence."""
    head = tree.heads[mark]
    if form not in SENTENCE_FINAL and closes_a_pair_of_its_own(tree, mark, marks):
        return
    left = climb(tree, neighbour(mark, -1, marks, openers, closers, len(tree)), mark, -1)
    right = [] if form in SENTENCE_FINAL else climb(
        tree, neighbour(mark, +1, marks, openers, closers, len(tree)), mark, +1)
    left = [node for node in left if tree.projective_under(mark, node)]
    right = [node for node in right if tree.projective_under(mark, node)]
    if not left and not right:
        return
    if left and right and left[-1] != right[-1] and tree.dominates(right[-1], left[-1]):
        chosen, acceptable = left[-1], left
    elif left and right and left[-1] != right[-1] and tree.dominates(left[-1], right[-1]):
        chosen, acceptable = right[-1], right
    else:
        chosen, acceptable = (left or right)[-1], left + right
    if head not in acceptable or form in SENTENCE_FINAL:
        tree.rehang(mark, chosen)


def closes_a_pair_of_its_own(tree: Tree, mark: int, marks: set[int]) -> bool:
    """Commas and dashes can bracket a phrase too (", who ... ,"): keep the mark if it and
    another mark are the two ends of its head's subtree, both hanging from that head."""
    head = tree.heads[mark]
    first, last = tree.span(head)
    if mark not in (first, last) or not all(tree.dominates(head, w) for w in range(first, last + 1)):
        return False
    return {first, last} <= marks and tree.heads[first] == head and tree.heads[last] == head


def neighbour(mark: int, step: int, marks: set[int], openers: set[int], closers: set[int],
              length: int) -> int | None:
    """The nearest word that is no punctuation in direction ``step``; None past an opening
    (going left) or closing (going right) mark of a pair, or past the sentence's edge."""
    word = mark + step
    while 1 <= word <= length and word in marks:
        if word in (openers if step < 0 else closers):
            return None
        word += step
    return word if 1 <= word <= length else None


def climb(tree: Tree, start: int | None, mark: int, step: int) -> list[int]:
    """``start`` and its ancestors on the same side of ``mark`` (``step`` -1: left, +1:
    right), up to the first whose subtree reaches past the mark: the nodes it could hang from."""
    if start is None:
        return []
    path = [start]
    while True:
        node = path[-1]
        parent = tree.heads[node]
        low, high = tree.span(node, leaving_out=mark)
        reaches_past = high > mark if step < 0 else low < mark
        if parent == 0 or (parent - mark) * step <= 0 or reaches_past:
            return path
        path.append(parent)
