"""The containment index: which documents share passages with a text, without comparing the
text with every document.

    index = ContainmentIndex([(key, fingerprints_of(keyed(text))), …])
    index.candidates(fingerprints_of(keyed(material)), limit=20)

An inverted index from fingerprint to the documents holding it, as two arrays sorted by
fingerprint: one lookup is a binary search per fingerprint of the material, however many
documents there are. Documents rank by the fingerprints they share with the material, so a
source that holds one paragraph of it is found as surely as one that holds all of it: the index
measures containment, not similarity. A fingerprint held by more than COMMON_SHARE of the
documents (a phrase every such text repeats) ranks nobody and is passed over.

Documents added after the index was built or opened are kept apart, in memory, until `save`
writes everything as one generation of files; `open` maps such files into memory without
reading them, so a restarted process has its index at once and processes share its pages.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable
from pathlib import Path

import numpy as np

__all__ = ["COMMON_SHARE", "ContainmentIndex"]

# A fingerprint in more than this share of the documents (and more than COMMON_LEAST of them)
# tells none apart.
COMMON_SHARE = 0.01
COMMON_LEAST = 64
_FILES = ("hashes.npy", "owners.npy", "keys.json")


def _segment(parts: list[tuple[int, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(fingerprints, owners) of documents given as (number, fingerprints), by fingerprint."""
    if not parts:
        return np.zeros(0, np.uint32), np.zeros(0, np.uint32)
    hashes = np.concatenate([fingerprints for _, fingerprints in parts])
    owners = np.repeat(
        np.array([number for number, _ in parts], dtype=np.uint32),
        [len(fingerprints) for _, fingerprints in parts],
    )
    order = np.argsort(hashes, kind="stable")
    return hashes[order], owners[order]


def _merged(into: tuple[np.ndarray, np.ndarray], more: tuple[np.ndarray, np.ndarray]):
    """Two segments as one: the second slotted into the first, both sorted already, in time
    linear in their sizes rather than sorting them again."""
    at = np.searchsorted(into[0], more[0], side="right")
    return np.insert(into[0], at, more[0]), np.insert(into[1], at, more[1])


class ContainmentIndex:
    """Documents by key (any hashable; str, int or None when the index is saved) and their
    fingerprints (`fingerprints_of`)."""

    def __init__(self, entries: Iterable[tuple[Hashable, np.ndarray]] = ()) -> None:
        self._keys: list[Hashable] = []
        self._numbers: dict[Hashable, int] = {}
        self._alive = np.zeros(0, dtype=bool)
        self._hashes, self._owners = _segment([])
        # Documents added since: `_recent` (sorted) and those not yet slotted into it.
        self._recent = _segment([])
        self._unfolded: list[tuple[int, np.ndarray]] = []
        self._pending = 0
        base = [(self._number_for(key), fps) for key, fps in entries if len(fps)]
        self._hashes, self._owners = _segment(base)

    def __len__(self) -> int:
        return len(self._numbers)

    def __contains__(self, key: object) -> bool:
        return key in self._numbers

    def keys(self) -> list[Hashable]:
        """The keys indexed, in the order they were."""
        return [self._keys[n] for n in np.flatnonzero(self._alive[: len(self._keys)])]

    @property
    def pending(self) -> int:
        """Documents added since the index was built or opened, not yet in its files."""
        return self._pending

    def _number_for(self, key: Hashable) -> int:
        number = len(self._keys)
        self._keys.append(key)
        self._numbers[key] = number
        if number >= len(self._alive):
            grown = np.zeros(max(64, 2 * len(self._alive)), dtype=bool)
            grown[: len(self._alive)] = self._alive
            self._alive = grown
        self._alive[number] = True
        return number

    def add(self, key: Hashable, fingerprints: np.ndarray) -> None:
        """Index one document (a key already indexed is replaced); one without fingerprints
        (too short) is not indexed."""
        self.discard(key)
        if len(fingerprints):
            self._unfolded.append((self._number_for(key), fingerprints))
            self._pending += 1

    def discard(self, key: Hashable) -> None:
        number = self._numbers.pop(key, None)
        if number is not None:
            self._alive[number] = False

    def _segments(self):
        if self._unfolded:
            self._recent = _merged(self._recent, _segment(self._unfolded))
            self._unfolded = []
        return ((self._hashes, self._owners), self._recent)

    def candidates(self, fingerprints: np.ndarray, *, limit: int | None = None) -> list[Hashable]:
        """The keys of the documents sharing fingerprints with a text, those sharing the most
        first (of equals, the one indexed first); all of them unless `limit` is given."""
        segments = self._segments()
        spans = [
            (np.searchsorted(h, fingerprints, "left"), np.searchsorted(h, fingerprints, "right"))
            for h, _ in segments
        ]
        held = sum(high - low for low, high in spans)
        common = max(COMMON_LEAST, COMMON_SHARE * len(self))
        telling = held <= common
        found = []
        for (_, owners), (low, high) in zip(segments, spans, strict=True):
            starts, sizes = low[telling], (high - low)[telling]
            total = int(sizes.sum())
            if total:
                ends = np.cumsum(sizes)
                at = np.arange(total) - np.repeat(ends - sizes, sizes) + np.repeat(starts, sizes)
                found.append(owners[at])
        if not found:
            return []
        owners = np.sort(np.concatenate(found))
        owners = owners[self._alive[owners]]
        if not len(owners):
            return []
        starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
        numbers, shared = owners[starts], np.diff(np.append(starts, len(owners)))
        ranked = numbers[np.lexsort((numbers, -shared))][:limit]
        return [self._keys[number] for number in ranked]

    def save(self, directory: Path) -> None:
        """Write the whole index, documents added since included, as files in `directory`
        (which must not exist yet: the caller renames a finished directory into place)."""
        hashes, owners = _merged(*self._segments())
        alive = self._alive[owners]
        # Renumber the living documents 0…n−1, in the order they were indexed.
        numbers = np.flatnonzero(self._alive[: len(self._keys)])
        renumber = np.zeros(len(self._keys), dtype=np.uint32)
        renumber[numbers] = np.arange(len(numbers), dtype=np.uint32)
        directory.mkdir(parents=True)
        np.save(directory / "hashes.npy", hashes[alive])
        np.save(directory / "owners.npy", renumber[owners[alive]])
        keys = [self._keys[number] for number in numbers]
        (directory / "keys.json").write_text(json.dumps(keys), encoding="utf-8")

    @classmethod
    def open(cls, directory: Path) -> ContainmentIndex:
        """The index saved in `directory`, its arrays mapped into memory, not read."""
        index = cls()
        keys = json.loads((directory / "keys.json").read_text(encoding="utf-8"))
        for key in keys:
            index._number_for(key)
        index._hashes = np.load(directory / "hashes.npy", mmap_mode="r")
        index._owners = np.load(directory / "owners.npy", mmap_mode="r")
        return index

    @staticmethod
    def saved_in(directory: Path) -> bool:
        return all((directory / name).is_file() for name in _FILES)
