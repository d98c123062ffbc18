"""MinHash signatures of keyed texts: character 5-gram shingles, 128 permutations.

A document is indexed by the signature of all its shingles; a text being checked is looked up
window by window (200 shingles, every 100), so that a source that holds only one passage of a
long material is still found: that passage's window is mostly contained in the source.

The shingles are hashed with CRC-32 (stable across processes, unlike `hash`) and fed to
datasketch's "affine32" scheme. Windows need the permuted value of every shingle, so that step
is computed here as the scheme documents it (MurmurHash3's 32-bit finalizer, then a·h + b
mod 2³², with the MinHash's own a and b); a test holds it equal to `MinHash.update_batch`.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash

from bihuan.text.dupcheck.keyed import Keyed

__all__ = ["SCHEME", "Query", "Signature", "minhash_of", "query_of", "signature_of"]

SHINGLE = 5
NUM_PERM = 128
SEED = 1
WINDOW = 200
STRIDE = WINDOW // 2
# Stored with every signature: a change of any parameter above makes old signatures stale.
SCHEME = f"k{SHINGLE}-p{NUM_PERM}-s{SEED}-crc32-affine32"
_ROWS = 4096  # shingles permuted at a time, to bound the memory a long text takes


@dataclass(frozen=True)
class Signature:
    """A document's MinHash as bytes (NUM_PERM little-endian uint32) and its number of distinct
    shingles. `size` 0 means the text is too short to index."""

    data: bytes
    size: int


@dataclass(frozen=True)
class Query:
    """The windows of a text to look up: (MinHash, distinct shingles) each."""

    windows: tuple[tuple[MinHash, int], ...]


def _identity(value):
    return value


@cache
def _permutations() -> np.ndarray:
    return MinHash(num_perm=NUM_PERM, seed=SEED).permutations


def _minhash(values: np.ndarray | None = None) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        hashfunc=_identity,  # the shingles arrive hashed
        permutations=_permutations(),
        scheme="affine32",
        hashvalues=values,
    )


def shingle_hashes(text: Keyed) -> np.ndarray:
    """CRC-32 of each character 5-gram of the keyed text, in text order (uint32)."""
    key = text.text
    return np.fromiter(
        (zlib.crc32(key[i : i + SHINGLE].encode()) for i in range(len(key) - SHINGLE + 1)),
        dtype=np.uint32,
        count=max(len(key) - SHINGLE + 1, 0),
    )


def _permuted(hashes: np.ndarray) -> np.ndarray:
    """Each hash under each of the NUM_PERM permutations: shape (len(hashes), NUM_PERM)."""
    h = hashes.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    a, b = _permutations()
    return h[:, None] * a + b


def _minimum(hashes: np.ndarray) -> np.ndarray:
    return np.min(
        [_permuted(hashes[i : i + _ROWS]).min(axis=0) for i in range(0, len(hashes), _ROWS)],
        axis=0,
    )


def signature_of(text: Keyed) -> Signature:
    hashes = np.unique(shingle_hashes(text))
    if not len(hashes):
        return Signature(b"", 0)
    return Signature(_minimum(hashes).astype("<u4").tobytes(), len(hashes))


def minhash_of(signature: Signature) -> MinHash:
    return _minhash(np.frombuffer(signature.data, dtype="<u4"))


def query_of(text: Keyed) -> Query:
    """The text's windows; a text shorter than a window is one window."""
    hashes = shingle_hashes(text)
    if not len(hashes):
        return Query(())
    # Minima of half-windows, then of each two neighbours: every shingle is permuted once.
    halves = [_permuted(hashes[i : i + STRIDE]).min(axis=0) for i in range(0, len(hashes), STRIDE)]
    windows = []
    for k in range(max(len(halves) - 1, 1)):
        values = halves[k] if len(halves) == 1 else np.minimum(halves[k], halves[k + 1])
        size = len(np.unique(hashes[k * STRIDE : k * STRIDE + WINDOW]))
        windows.append((_minhash(values), size))
    return Query(tuple(windows))
