"""Danish text as citizens write it: case and æ/ø/å folding, Snowball stemming, compound splitting, synonyms.

Folding maps æ→ae, ø→oe, å→aa (and ä/ö/ü the same way) after stemming, so "ændre" and "aendre" meet.
"""

from __future__ import annotations

import html
import random
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("danish")
_TAG = re.compile(r"<[^>]{0,200}>")
_WORD = re.compile(r"[a-zæøåäöü0-9]+")
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "u", "é": "e"})
MIN_PART = 3  # compound parts shorter than this are too often accidental ("is", "to")

# Words that carry no meaning for finding a topic. Kept short: "ikke", "ny" and the like do matter here.
STOPWORDS = frozenset(
    """
    og i jeg det at en den til er som på de med han af for der var mig sig men et har om vi min havde
    hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev kunne ind når
    være dog noget ville jo deres efter ned skulle denne end dette mit også under have dig anden hende mine
    alt meget sit sine vor mod disse hvis din nogle hos blive mange ad bliver hendes været thi jer sådan hej
    hallo tak godt goddag kan må gerne lige bare altså øh hmm hvordan hvorfor hvem hvilken hvilke
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def clean(text: str) -> str:
    """Lower-case text with HTML tags and entities removed and Unicode normalised (NFC)."""
    text = html.unescape(_TAG.sub(" ", text))
    return unicodedata.normalize("NFC", text).lower()


def fold(word: str) -> str:
    return word.translate(_FOLD)


def words(text: str) -> list[str]:
    """The words of a text, lower case, unfolded (æøå kept), digits kept."""
    return _WORD.findall(clean(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball Danish stem of a word, then folded."""
    return fold(_STEMMER.stemWord(word))


@lru_cache(maxsize=200_000)
def _split_compound(word: str, vocabulary: frozenset[str]) -> tuple[str, ...]:
    return tuple(split_compound_uncached(word, vocabulary))


def split_compound(word: str, vocabulary: frozenset[str]) -> list[str]:
    """Cached split_compound_uncached (the vocabulary is a frozenset, whose hash Python computes once)."""
    return list(_split_compound(word, vocabulary))


def split_compound_uncached(word: str, vocabulary: frozenset[str]) -> list[str]:
    """Stems of the two parts of a Danish compound when both are known: 'lægeskift' → ['laeg', 'skift'].

    Tries every split point, with and without the linking -s-/-e- ("sundhed-s-kort"), and prefers the
    split with the longest second part. Returns [] when no split has both parts in the vocabulary.
    """
    best: list[str] = []
    best_right = 0
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        left, right = word[:i], word[i:]
        right_stem = stem(right)
        if right_stem not in vocabulary:
            continue
        for candidate in (left, left[:-1] if left[-1] in "se" and len(left) > MIN_PART else ""):
            if candidate and stem(candidate) in vocabulary and len(right) > best_right:
                best, best_right = [stem(candidate), right_stem], len(right)
    return best


def analyse(
    text: str,
    vocabulary: frozenset[str] = frozenset(),
    synonyms: dict[str, tuple[str, ...]] | None = None,
) -> list[str]:
    """Tokens for matching: stems of the words (stopwords out), compound parts, and synonym expansions.

    `synonyms` maps a folded stem to extra stems; `vocabulary` (folded stems) enables compound splitting.
    """
    tokens: list[str] = []
    for word in words(text):
        if word in STOPWORDS:
            continue
        token = stem(word)
        tokens.append(token)
        if vocabulary and token not in vocabulary and len(word) >= 2 * MIN_PART:
            tokens.extend(split_compound(word, vocabulary))
    if synonyms:
        tokens.extend(extra for token in list(tokens) for extra in synonyms.get(token, ()))
    return tokens


def folded_text(text: str) -> str:
    """The text as one folded string for character n-grams (typo tolerance)."""
    return " ".join(fold(word) for word in words(text) if word not in STOPWORDS)


def build_synonyms(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """From (word or phrase, expansion) pairs to a map of stem → expansion stems, both directions."""
    table: dict[str, set[str]] = {}
    for a, b in pairs:
        a_stems, b_stems = analyse(a), analyse(b)
        for x in a_stems:
            table.setdefault(x, set()).update(s for s in b_stems if s != x)
        for y in b_stems:
            table.setdefault(y, set()).update(s for s in a_stems if s != y)
    return {key: tuple(sorted(values)) for key, values in table.items() if values}


# How citizens without a Danish keyboard (or in a hurry) write æ, ø and å.
_KEYBOARD_FOLDS = (
    str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}),
    str.maketrans({"æ": "a", "ø": "o", "å": "a"}),
)


def misspell(text: str, rng: random.Random) -> str:
    """A plausible hurried spelling of `text`: æøå typed as ae/oe/aa or a/o (often), and in about a third of
    the longer words one dropped, swapped or doubled letter; punctuation dropped half the time.

    Used to show the classifier how questions look when typed on a phone, so a typo in the one word that
    matters does not lose the topic. `rng` makes it repeatable (the same training set every build).
    """
    text = text.lower()
    if rng.random() < 0.6:
        text = text.translate(rng.choice(_KEYBOARD_FOLDS))
    typed = []
    for word in text.split():
        if len(word) >= 5 and rng.random() < 0.3:
            i = rng.randrange(1, len(word) - 1)
            kind = rng.random()
            if kind < 0.4:
                word = word[:i] + word[i + 1 :]  # dropped
            elif kind < 0.7:
                word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped with the next
            else:
                word = word[:i] + word[i] + word[i:]  # doubled
        typed.append(word)
    text = " ".join(typed)
    return re.sub(r"[,.?!]", "", text) if rng.random() < 0.5 else text
