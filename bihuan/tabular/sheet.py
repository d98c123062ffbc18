"""A grid with its merged cells resolved: which value a cell shows, and whether it is its own
value or the continuation of a merge that starts above or to the left."""

from .cells import cell_text
from .workbook import Grid


class SheetView:
    def __init__(self, grid: Grid) -> None:
        self.name = grid.name
        self.rows = grid.rows
        self.height = len(grid.rows)
        self.width = max((len(row) for row in grid.rows), default=0)
        self._anchor: dict[tuple[int, int], tuple[int, int]] = {}
        self._width_of: dict[tuple[int, int], int] = {}
        for (top, left), (bottom, right) in grid.merged:
            # Merges may reach past the used range (a whole column, say); only cells that exist
            # matter.
            bottom, right = min(bottom, self.height - 1), min(right, self.width - 1)
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    self._width_of[(r, c)] = right - left + 1
                    if (r, c) != (top, left):
                        self._anchor[(r, c)] = (top, left)

    def own(self, r: int, c: int) -> object:
        """The value stored in this very cell ("" for a merge's covered cells)."""
        if 0 <= r < self.height and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return ""

    def value(self, r: int, c: int) -> object:
        """The value the cell shows: its merge's value when it is part of one."""
        return self.own(*self._anchor.get((r, c), (r, c)))

    def text(self, r: int, c: int) -> str:
        return cell_text(self.value(r, c))

    def covered(self, r: int, c: int) -> bool:
        """Part of a merge that starts in another cell."""
        return (r, c) in self._anchor

    def continues_from_above(self, r: int, c: int) -> bool:
        """Part of a merge that starts in an earlier row."""
        return self._anchor.get((r, c), (r, c))[0] < r

    def merge_width(self, r: int, c: int) -> int:
        return self._width_of.get((r, c), 1)

    def own_texts(self, r: int) -> list[tuple[int, str]]:
        """(column, text) of the non-empty cells that hold their own value in row r."""
        texts = []
        for c in range(len(self.rows[r]) if 0 <= r < self.height else 0):
            text = cell_text(self.rows[r][c])
            if text:
                texts.append((c, text))
        return texts

    def is_blank(self, r: int) -> bool:
        return not self.own_texts(r)
