"""Shared passages of two keyed texts: seed and extend on 6-character seeds, then joining.

Every run of at least SEED identical characters is found wherever it is in either text (a copy
with its paragraphs reordered is still found), each character of the material is given to the
longest run that covers it, and runs that follow each other in both texts with a small gap are
joined into one passage: a changed word, or a masked or common phrase (which keyed text leaves
out) on either side, does not cut a copied passage in two. A passage counts when at least
MIN_PASSAGE of its characters are identical, as in the checkers that count 13 characters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from bihuan.text.dupcheck.fingerprint import distinct
from bihuan.text.dupcheck.keyed import Keyed

__all__ = ["MIN_PASSAGE", "Passage", "align", "seeds_of"]

SEED = 6
MIN_PASSAGE = 13
SMALL_GAP = 3  # characters changed inside a copied passage
MASKED_GAP = 16  # the word a mask or a common phrase stands for, on the other side
# A seed repeated this often in the material is filler (a slogan chanted throughout).
MAX_REPEATS = 24


@dataclass(frozen=True)
class Passage:
    """A shared passage as keyed-text offsets: material[start:end] and
    source[source_start:source_end]; `matched` of its characters are identical."""

    start: int
    end: int
    source_start: int
    source_end: int
    matched: int


def _gram_hashes(text: str) -> np.ndarray:
    """A hash of each SEED-gram of `text` (uint64, in text order), to find at once the few
    places of a source where a seed of the material may stand."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - SEED + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = codes[:n].copy()
    for k in range(1, SEED):
        h *= np.uint64(0x100000001B3)  # uint64 arrays wrap around: modulo 2⁶⁴
        h += codes[k : k + n]
    return h


def _among(values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Which of `values` are in `known` (sorted, distinct)."""
    if not len(known):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(known, values), len(known) - 1)
    return known[at] == values


@dataclass(frozen=True)
class Seeds:
    """Where each SEED-gram stands in the material, and the grams' hashes (sorted)."""

    at: dict[str, list[int]]
    hashes: np.ndarray


def seeds_of(material: Keyed) -> Seeds:
    """The material's seeds (built once, used for every source)."""
    seeds: defaultdict[str, list[int]] = defaultdict(list)
    text = material.text
    for i in range(len(text) - SEED + 1):
        seeds[text[i : i + SEED]].append(i)
    kept = {gram: at for gram, at in seeds.items() if len(at) <= MAX_REPEATS}
    return Seeds(kept, distinct(_gram_hashes(text)))


def _extend(a: str, i: int, b: str, j: int) -> int:
    """The length of the identical run at a[i:] and b[j:], known to be at least SEED."""
    n, limit, step = SEED, min(len(a) - i, len(b) - j), 32
    while n < limit:
        step = min(step, limit - n)
        if a[i + n : i + n + step] == b[j + n : j + n + step]:
            n += step
            step *= 2
        elif step == 1:
            break
        else:
            step //= 2
    return n


def _runs(a: str, b: str, seeds: Seeds) -> list[tuple[int, int, int]]:
    """Maximal identical runs (i, j, length) of at least SEED characters."""
    runs = []
    reached: dict[int, int] = {}  # diagonal i - j → where its last run ends in b
    # Only where a hash matches can a seed stand; the gram itself decides.
    for j in np.flatnonzero(_among(_gram_hashes(b), seeds.hashes)).tolist():
        for i in seeds.at.get(b[j : j + SEED], ()):
            if reached.get(i - j, -1) > j:
                continue
            n = _extend(a, i, b, j)
            runs.append((i, j, n))
            reached[i - j] = j + n
    return runs


def _pieces(
    run: tuple[int, int, int], material: Keyed, source: Keyed
) -> list[tuple[int, int, int]]:
    """A run cut at the paragraph starts of either text, without a first or last piece too
    short to be a seed: "…空间就小了。\n第" matches "…空间就小了。\n第四" only by chance."""
    i, j, n = run
    cuts = sorted(
        {k - i for k in material.breaks if i < k < i + n}
        | {k - j for k in source.breaks if j < k < j + n}
    )
    if not cuts:
        return [run]
    bounds = [0, *cuts, n]
    pieces = [(i + a, j + a, b - a) for a, b in pairwise(bounds)]
    if pieces[0][2] < SEED:
        pieces = pieces[1:]
    if pieces and pieces[-1][2] < SEED:
        pieces = pieces[:-1]
    return pieces


def _exclusive(runs: list[tuple[int, int, int]], size: int) -> list[tuple[int, int, int]]:
    """Each material character for the longest run covering it; pieces under SEED go."""
    taken = bytearray(size)
    kept = []
    for i, j, n in sorted(runs, key=lambda run: (-run[2], run[0], run[1])):
        start = i
        while start < i + n:
            free = taken.find(0, start, i + n)
            if free < 0:
                break
            busy = taken.find(1, free, i + n)
            end = i + n if busy < 0 else busy
            if end - free >= SEED:
                kept.append((free, j + free - i, end - free))
                taken[free:end] = b"\x01" * (end - free)
            start = end
    return sorted(kept)


def _ignored_between(marks: frozenset[int], start: int, end: int) -> bool:
    return bool(marks) and any(k in marks for k in range(start, end + 1))


def _joins(p: Passage, i: int, j: int, material: Keyed, source: Keyed) -> bool:
    gap, source_gap = i - p.end, j - p.source_end
    if gap < 0 or source_gap < 0:
        return False
    if gap <= SMALL_GAP and source_gap <= SMALL_GAP:
        return True
    if gap <= SMALL_GAP and source_gap <= MASKED_GAP:
        return _ignored_between(material.ignored, p.end, i)
    if source_gap <= SMALL_GAP and gap <= MASKED_GAP:
        return _ignored_between(source.ignored, p.source_end, j)
    return False


def align(material: Keyed, source: Keyed, *, seeds: Seeds | None = None) -> tuple[Passage, ...]:
    """The passages of `material` found in `source`, in material order, not overlapping in the
    material. `seeds` is `seeds_of(material)`, given when checking against many sources."""
    found = _runs(material.text, source.text, seeds or seeds_of(material))
    pieces = [piece for run in found for piece in _pieces(run, material, source)]
    runs = _exclusive(pieces, len(material))
    passages: list[Passage] = []
    for i, j, n in runs:
        last = passages[-1] if passages else None
        if last and _joins(last, i, j, material, source):
            passages[-1] = Passage(last.start, i + n, last.source_start, j + n, last.matched + n)
        else:
            passages.append(Passage(i, i + n, j, j + n, n))
    return tuple(p for p in passages if p.matched >= MIN_PASSAGE)
