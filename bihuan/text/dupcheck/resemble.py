"""How closely short texts resemble each other: a problem registered again, a year later, in
other words ("理论学习不够系统" → "理论学习系统性不强").

    earlier = ShortTexts([description, …])
    earlier.resembling(new_description, threshold=0.6)   # [(index, similarity), …]
    resemblance(a, b)                                    # 0.0 … 1.0

Texts are reduced to their content characters (no punctuation or spacing; lower-cased;
the common 提法 of boilerplate.json left out) and compared as sets of character bigrams with
Dice's coefficient. Passages are too long a unit for a sentence or two: bigrams let a reworded
statement of the same problem score high, while two different problems of one category share
only the odd word. The bigrams of all texts are held as one sorted array, so that one text is
scored against thousands in a few vectorised steps, not a set intersection each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from bihuan.text.dupcheck.keyed import default_phrases

__all__ = ["MIN_BIGRAMS", "ShortTexts", "resemblance"]

# A text of fewer distinct bigrams ("作风不实") is too short to tell one problem from another.
MIN_BIGRAMS = 6
# Anything but content characters, and the NUL that separates texts.
_NOT_CONTENT = re.compile(r"[^\w\0]+|_+")
_CHAR_BITS = 21  # every code point fits
_CODE = np.uint64((1 << (2 * _CHAR_BITS)) - 1)


def _bigrams(texts: Sequence[str], phrases: re.Pattern[str]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct bigrams of each text as (text number, bigram code) pairs, sorted by text."""
    if not texts:
        return np.zeros(0, np.uint64), np.zeros(0, np.uint64)
    # Texts joined by NUL (taken out of each first): no bigram or phrase spans two of them.
    joined = "\0".join(text.replace("\0", "") for text in texts)
    joined = phrases.sub("", _NOT_CONTENT.sub("", joined).lower())
    chars = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    first, second = chars[:-1], chars[1:]
    number = np.cumsum(chars == 0)[:-1].astype(np.uint64)
    within = (first != 0) & (second != 0)
    codes = (first[within] << np.uint64(_CHAR_BITS)) | second[within]
    pairs = np.sort((number[within] << np.uint64(2 * _CHAR_BITS)) | codes)
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    return pairs >> np.uint64(2 * _CHAR_BITS), pairs & _CODE


class ShortTexts:
    """Short texts by number (their order), to find those resembling another text."""

    def __init__(self, texts: Sequence[str], *, phrases: re.Pattern[str] | None = None) -> None:
        self._phrases = phrases or default_phrases()
        self._count = len(texts)
        self._numbers, self._codes = _bigrams(texts, self._phrases)
        self._sizes = np.bincount(self._numbers.astype(np.intp), minlength=self._count)

    def __len__(self) -> int:
        return self._count

    def resembling(
        self,
        text: str,
        *,
        threshold: float,
        among: np.ndarray | None = None,
        limit: int = 3,
    ) -> list[tuple[int, float]]:
        """The numbers of the texts resembling `text` at least `threshold`, most resembling
        first (ties: the lower number first), at most `limit`, with the resemblance. `among`,
        a boolean array of one entry per text, leaves the others out. A text too short to tell
        (under MIN_BIGRAMS distinct bigrams) resembles nothing and nothing resembles it."""
        _, query = _bigrams([text], self._phrases)
        if len(query) < MIN_BIGRAMS or not self._count:
            return []
        hits = self._numbers[np.isin(self._codes, query)].astype(np.intp)
        shared = np.bincount(hits, minlength=self._count)
        scores = 2 * shared / (self._sizes + len(query))
        chosen = (scores >= threshold) & (self._sizes >= MIN_BIGRAMS)
        if among is not None:
            chosen &= among
        numbers = np.flatnonzero(chosen)
        best = numbers[np.argsort(-scores[numbers], kind="stable")][:limit]
        return [(int(n), float(scores[n])) for n in best]


def resemblance(a: str, b: str) -> float:
    """Dice's coefficient of the two texts' bigram sets (0.0 when either is too short)."""
    found = ShortTexts([b]).resembling(a, threshold=0.0)
    return found[0][1] if found else 0.0
