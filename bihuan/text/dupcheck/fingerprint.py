"""Fingerprints of keyed texts: the winnowed hashes of their character 5-grams.

    fingerprints_of(keyed(clean_text))    # sorted distinct uint32, about one 5-gram in twenty

Every 5-gram of the content characters is hashed, and of every WINDOW consecutive hashes the
smallest is kept (winnowing, as plagiarism checkers since MOSS do). Two texts that share a
passage of at least WINDOW + SHINGLE − 1 = 44 content characters share a fingerprint, whatever
surrounds the passage in either and wherever it stands: which is what a containment index needs,
a short material copied whole out of a long source being found like a long one.

The hash is a polynomial of the code points taken modulo 2³² and mixed with MurmurHash3's
finalizer: the same on every machine and in every process, and computed for a whole text in a
few array operations. The window minima come from van Herk and Gil-Werman's block prefix and
suffix minima, linear in the text's length.
"""

from __future__ import annotations

import numpy as np

from bihuan.text.dupcheck.keyed import Keyed

__all__ = ["SCHEME", "SHINGLE", "WINDOW", "fingerprints_from_bytes", "fingerprints_of"]

SHINGLE = 5
WINDOW = 40
# Stored with the fingerprints: a change of any parameter above makes stored ones stale.
SCHEME = f"winnow-k{SHINGLE}-w{WINDOW}-fnvpoly-fmix32"

_BASE = np.uint32(0x01000193)
_NONE = np.zeros(0, dtype=np.uint32)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def shingle_hashes(codes: np.ndarray) -> np.ndarray:
    """The hash of each 5-gram of `codes` (code points, uint32), in text order."""
    n = len(codes) - SHINGLE + 1
    if n <= 0:
        return _NONE
    h = codes[:n].copy()
    for j in range(1, SHINGLE):
        h *= _BASE  # uint32 arrays wrap around: arithmetic modulo 2³²
        h += codes[j : j + n]
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def _window_minima(h: np.ndarray) -> np.ndarray:
    """The smallest of every WINDOW consecutive values of `h` (of all, when fewer)."""
    n = len(h)
    if n <= WINDOW:
        return h.min(keepdims=True)
    padded = np.full(-(-n // WINDOW) * WINDOW, np.iinfo(np.uint32).max, dtype=np.uint32)
    padded[:n] = h
    blocks = padded.reshape(-1, WINDOW)
    prefix = np.minimum.accumulate(blocks, axis=1).ravel()
    suffix = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(suffix[: n - WINDOW + 1], prefix[WINDOW - 1 : n])


def distinct(values: np.ndarray) -> np.ndarray:
    """`values` sorted, each once (numpy's own unique hashes, slower on these arrays)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def fingerprints_of(text: Keyed | str) -> np.ndarray:
    """The text's fingerprints, sorted, each once (uint32); none for a text of fewer than
    SHINGLE content characters. A str is taken as keyed text already."""
    key = text.text if isinstance(text, Keyed) else text
    hashes = shingle_hashes(_codes(key))
    if not len(hashes):
        return _NONE
    return distinct(_window_minima(hashes))


def fingerprints_from_bytes(data: bytes) -> np.ndarray:
    """Fingerprints as stored (little-endian uint32) back into an array."""
    return np.frombuffer(data, dtype="<u4").astype(np.uint32, copy=False)
