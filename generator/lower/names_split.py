"""Words of an operationId typed without separators (`Getorganizationspendlimit`,
`CreateanAPIkeyforaserviceaccount`), found with the operation's own text.

Case alone cannot split such an id: `APIkey` reads `AP`+`Ikey` by the camelCase rule, and a
lowercase run has no boundaries at all. The operation's summary, description, tags and path
usually spell the same words with spaces: those are the vocabulary. An all-caps run is kept
whole where the vocabulary has it (`API`, then `key`), a run too long to be one word is cut
into vocabulary words, the least unknown text first (`get` `organization` `spend` `limit`),
and articles are dropped. Without enough known words the id is left to the other sources
(summary, method and path) by returning None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from generator.lower.names import ascii_words

# No word of a name is this long: a longer run is several run together.
RUN_TOGETHER = 17
_LONGEST = 80  # a longer run is left whole (the cut takes time quadratic in its length)
_ARTICLES = frozenset({"a", "an", "the"})
_UNKNOWN_LETTER = 0.5  # the cost of a letter no vocabulary word covers (a known word costs 1)
_ACRONYM_BEFORE_LOWER = re.compile(r"[A-Z]{2}[a-z]")
_SUFFIXES = ("s", "es", "d", "ed", "ing")  # `creates` also gives `create`


def id_words(operation_id: str, texts: Iterable[object]) -> str | None:
    """The words of an operationId, read with the operation's texts (summary, description,
    tags, path) where case alone cannot split it; None where too little of it is known."""
    if not run_together(operation_id) and not _ACRONYM_BEFORE_LOWER.search(operation_id):
        return operation_id
    return spoken(operation_id, vocabulary(texts))


def run_together(operation_id: str) -> bool:
    """Whether an id holds a run of letters too long to be one word."""
    return any(len(word) >= RUN_TOGETHER for word in ascii_words(operation_id))


def vocabulary(texts: Iterable[object]) -> frozenset[str]:
    """Lowercase words of the operation's texts, with their stems (`creates` -> `create`)."""
    found: set[str] = set()
    for text in texts:
        if not isinstance(text, str):
            continue
        for word in ascii_words(text[:2000]):
            word = word.lower()
            if not 2 <= len(word) < RUN_TOGETHER:
                continue
            found.add(word)
            found.update(word[: -len(s)] for s in _SUFFIXES if word.endswith(s) and len(word) - len(s) >= 3)
    return frozenset(found)


def spoken(operation_id: str, known: frozenset[str]) -> str | None:
    """The id's words joined by spaces, or None where too little of it is known."""
    words = _acronyms_kept(ascii_words(operation_id), known)
    together = any(len(word) >= RUN_TOGETHER for word in words)  # then any word may be several
    result: list[str] = []
    unknown = total = 0
    for word in words:
        lowered = word.lower()
        total += len(lowered)
        if not together or lowered in known:
            result.append(lowered)
            continue
        if len(lowered) > _LONGEST:
            return None
        parts = _segment(lowered, known)
        unknown += sum(len(p) for p in parts if p not in known)
        result.extend(p for p in parts if p not in _ARTICLES)  # the id was a sentence
    if not result or unknown * 3 > total:
        return None
    return " ".join(result)


def _acronyms_kept(words: list[str], known: frozenset[str]) -> list[str]:
    """`AP` `Ikey...` -> `API` `key...` where the vocabulary knows `api` but not `ap`."""
    out: list[str] = []
    for word in words:
        previous = out[-1] if out else ""
        if (len(previous) >= 2 and previous.isupper() and len(word) > 1 and word[0].isupper()
                and word[1:].islower() and (previous + word[0]).lower() in known
                and previous.lower() not in known):
            out[-1] = previous + word[0]
            word = word[1:]
        out.append(word)
    return out


@lru_cache(maxsize=256)
def _segment(letters: str, known: frozenset[str]) -> tuple[str, ...]:
    """The cut of `letters` into words with the least cost: each vocabulary word 1, each
    unknown stretch 1 plus half its length (so a known word of 3+ letters is worth cutting
    out of an unknown stretch, and a whole unknown id costs more than a few known words)."""
    size = len(letters)
    # best[i]: (cost, pieces) of letters[:i]; an unknown stretch never follows another
    empty: tuple[str, ...] = ()
    best = [(0.0, empty, False)] + [(float("inf"), empty, False)] * size
    longest = max((len(w) for w in known), default=1)
    for end in range(1, size + 1):
        for start in range(max(0, end - longest), end):
            piece = letters[start:end]
            if piece in known and best[start][0] + 1 < best[end][0]:
                best[end] = (best[start][0] + 1, (*best[start][1], piece), False)
        for start in range(end):
            cost, pieces, after_unknown = best[start]
            if after_unknown:
                continue
            total = cost + 1 + _UNKNOWN_LETTER * (end - start)
            if total < best[end][0]:
                best[end] = (total, (*pieces, letters[start:end]), True)
    return best[size][1]

