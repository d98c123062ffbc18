"""A handful of texts compared in memory, without a database: `bihuan dupcheck --against DIR`.

pool = TextPool([(path, clean_text), …])   # normalised texts, as `normalise` returns them
result = pool.check(clean_text, exclude={path})
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable

from bihuan.text.dupcheck.compare import Comparison, compare
from bihuan.text.dupcheck.fingerprint import fingerprints_of
from bihuan.text.dupcheck.index import ContainmentIndex
from bihuan.text.dupcheck.keyed import Keyed, keyed

__all__ = ["TextPool"]


class TextPool:
    """Texts by key, indexed as the database's pool is: a check aligns only the candidates the
    containment index finds, so a directory of thousands of texts is no scan of each."""

    def __init__(self, texts: Iterable[tuple[Hashable, str]]) -> None:
        self._keyed: dict[Hashable, Keyed] = {key: keyed(text) for key, text in texts}
        self._index = ContainmentIndex(
            (key, fingerprints_of(text)) for key, text in self._keyed.items()
        )

    def __len__(self) -> int:
        return len(self._keyed)

    def check(self, text: str, *, exclude: Collection[Hashable] = ()) -> Comparison:
        """`text` (normalised) against every text of the pool but those in `exclude`."""
        material = keyed(text)
        keys = [k for k in self._index.candidates(fingerprints_of(material)) if k not in exclude]
        return compare(material, [(key, self._keyed[key]) for key in keys])
