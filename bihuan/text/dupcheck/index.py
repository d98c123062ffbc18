"""The containment index: which documents hold most of some window of a text (MinHash LSH
Ensemble), without comparing the text with every document.

datasketch's ensemble is built once from a list; documents added later go into the partition
of their size (its upper bound raised if need be, which keeps every lookup correct), and the
whole ensemble is rebuilt when the index has doubled since it was built, so adding stays cheap
and the partitions stay close to optimal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from datasketch import MinHashLSHEnsemble

from bihuan.text.dupcheck.signature import NUM_PERM, Query, Signature, minhash_of

__all__ = ["THRESHOLD", "ContainmentIndex"]

# A window is a candidate's when about this share of its shingles is in the document.
THRESHOLD = 0.4
PARTITIONS = 4


def _bucket(size: int) -> int:
    """`size` rounded up to a step of about 10 %: the ensemble's partitioning costs the square
    of the number of distinct sizes, and a set taken as a little larger than it is can only
    make a lookup more lenient, never miss a document."""
    step = 1
    while step < size:
        step = max(step + 1, int(step * 1.1))
    return step


class ContainmentIndex:
    """Documents by key (any hashable) and signature; `candidates` looks up a query."""

    def __init__(self, entries: Iterable[tuple[object, Signature]] = ()) -> None:
        self._signatures: dict[object, Signature] = {
            key: signature for key, signature in entries if signature.size
        }
        self._ensemble = self._build()
        self._built = len(self._signatures)

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, key: object) -> bool:
        return key in self._signatures

    def _build(self) -> MinHashLSHEnsemble:
        ensemble = MinHashLSHEnsemble(
            threshold=THRESHOLD, num_perm=NUM_PERM, num_part=PARTITIONS, m=4
        )
        if self._signatures:
            ensemble.index(
                [(key, minhash_of(s), _bucket(s.size)) for key, s in self._signatures.items()]
            )
        return ensemble

    def add(self, key: object, signature: Signature) -> None:
        """Index one document (a key already indexed is replaced); a size-0 one is ignored."""
        if not signature.size:
            return
        self.discard(key)
        self._signatures[key] = signature
        if len(self._signatures) >= 2 * self._built + 64:
            self._ensemble = self._build()
            self._built = len(self._signatures)
            return
        ensemble, size = self._ensemble, _bucket(signature.size)
        filled = [i for i, upper in enumerate(ensemble.uppers) if upper is not None]
        if not filled:
            ensemble.lowers[0] = ensemble.uppers[0] = size
            filled = [0]
        part = next((i for i in filled if size <= ensemble.uppers[i]), filled[-1])
        ensemble.uppers[part] = max(ensemble.uppers[part], size)
        ensemble.lowers[part] = min(ensemble.lowers[part], size)
        minhash = minhash_of(signature)
        for lsh in ensemble.indexes[part].values():
            lsh.insert(key, minhash)

    def discard(self, key: object) -> None:
        if self._signatures.pop(key, None) is None:
            return
        for partition in self._ensemble.indexes:
            for lsh in partition.values():
                if key in lsh:
                    lsh.remove(key)

    def candidates(self, query: Query, *, limit: int | None = None) -> list[object]:
        """The keys of documents that contain most of one of the query's windows (about
        THRESHOLD of its shingles), those hit by the most windows first; all of them unless
        `limit` is given."""
        hits: Counter[object] = Counter()
        for minhash, size in query.windows:
            hits.update(set(self._ensemble.query(minhash, size)))
        return [key for key, _ in hits.most_common(limit)]
