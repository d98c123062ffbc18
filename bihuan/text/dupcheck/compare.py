"""A material against its candidate sources: the shared passages, each source's overlap, and
the 复制比.

复制比 is containment: the share of the material's content characters (keyed text: no
punctuation, masks or common phrases) that lie in a passage shared with any source. A short
material copied whole out of a long source is 100 %, whatever the rest of the source says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bihuan.text.dupcheck.align import Passage, align, seeds_of
from bihuan.text.dupcheck.keyed import Keyed

__all__ = ["Comparison", "SourceMatch", "Span", "compare"]


@dataclass(frozen=True)
class Span:
    """One shared passage as offsets into the two texts that were keyed (for a material, its
    normalised text): text[start:end] and source_text[source_start:source_end]."""

    start: int
    end: int
    source_start: int
    source_end: int


@dataclass(frozen=True)
class SourceMatch:
    """What one source shares with the material.

    overlap_chars: material content characters in the shared passages;
    ratio: overlap_chars over the material's content characters;
    source_overlap_chars / source_chars: the same on the source's side (how much of the
        source was used);
    spans: the passages, in material order.
    """

    key: object
    overlap_chars: int
    ratio: float
    source_overlap_chars: int
    source_chars: int
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Comparison:
    """chars: the material's content characters; copied_chars: those in a passage shared with
    any source; matches: the sources that share a passage, most overlap first."""

    chars: int
    copied_chars: int
    matches: tuple[SourceMatch, ...]

    @property
    def copy_ratio(self) -> float:
        return self.copied_chars / self.chars if self.chars else 0.0


def _covered(ranges: Iterable[tuple[int, int]]) -> int:
    total, reach = 0, 0
    for start, end in sorted(ranges):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def _match(key: object, material: Keyed, source: Keyed, passages: tuple[Passage, ...]):
    overlap = _covered((p.start, p.end) for p in passages)
    return SourceMatch(
        key=key,
        overlap_chars=overlap,
        ratio=overlap / len(material),
        source_overlap_chars=_covered((p.source_start, p.source_end) for p in passages),
        source_chars=len(source),
        spans=tuple(
            Span(*material.span(p.start, p.end), *source.span(p.source_start, p.source_end))
            for p in passages
        ),
    )


def compare(material: Keyed, sources: Iterable[tuple[object, Keyed]]) -> Comparison:
    """Align `material` with each (key, source); sources that share no passage are left out.
    Ties in overlap rank the source that was used more, then the earlier given, first."""
    if not len(material):
        return Comparison(0, 0, ())
    seeds = seeds_of(material)
    found = []
    copied: list[tuple[int, int]] = []
    for order, (key, source) in enumerate(sources):
        passages = align(material, source, seeds=seeds)
        if passages:
            found.append((order, _match(key, material, source, passages)))
            copied += [(p.start, p.end) for p in passages]
    found.sort(key=lambda item: (-item[1].overlap_chars, -item[1].source_overlap_chars, item[0]))
    return Comparison(len(material), _covered(copied), tuple(match for _, match in found))
