"""What the extract step finds: one problem, cause or measure."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Item"]


@dataclass(frozen=True)
class Item:
    """One problem, cause or measure: `text == clean_text[start:end]`, without its
    enumerator. `category` (problems) is the area without 在…方面; `group` is the heading
    of the sub-section it was listed under; both None where the material gives none."""

    role: str
    text: str
    start: int
    end: int
    category: str | None = None
    group: str | None = None
