"""The value the normalising steps pass along."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Normalised:
    """Text on its way through normalisation and the snippets removed from it so far."""

    text: str
    removed: tuple[str, ...] = ()
