"""Paging long ledgers: rows picked by key, and pages that need not count every row."""

from collections.abc import Sequence


class KeyedRows:
    """An ordered queryset that a Paginator (or any slice) reads in two steps: the keys of the
    rows in the window, sorted and filtered on the few columns that takes, then those rows in
    full. Sorting thousands of matching rows with every column and joined table is what made
    filtered lists slow; sorting their keys is cheap."""

    def __init__(self, queryset) -> None:
        self.queryset = queryset
        self.ordered = queryset.ordered

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list:
        # Read first, not nested as a subquery: Django relabels every expression of a nested
        # queryset (the light's conditions among them), which cost more than the extra query.
        keys = list(self.queryset.values_list("pk", flat=True)[window])
        if not keys:
            return []
        rows = self.queryset.all()
        # The keys already answer the filters; repeated here, they could lead the planner to
        # apply them to the whole table again instead of fetching the page's rows by key.
        rows.query.clear_where()
        return list(rows.filter(pk__in=keys))


class OpenEndedPage(Sequence):
    """A page of a list nobody counted: it knows its rows and whether another page follows."""

    def __init__(self, rows: list, *, number: int, has_next: bool, paginator) -> None:
        self.object_list = rows
        self.number = number
        self.paginator = paginator
        self._has_next = has_next

    def __getitem__(self, index):
        return self.object_list[index]

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


class OpenEndedPaginator:
    """Pages without a total, for a filter that reads every row's text anyway (a keyword): a
    count would read them all a second time. Each page reads one row more than it shows."""

    count = None
    num_pages = None

    def __init__(self, rows: KeyedRows, per_page: int) -> None:
        self.rows = rows
        self.per_page = per_page

    def get_page(self, number) -> OpenEndedPage:
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        start = (number - 1) * self.per_page
        rows = self.rows[start : start + self.per_page + 1]
        return OpenEndedPage(
            rows[: self.per_page],
            number=number,
            has_next=len(rows) > self.per_page,
            paginator=self,
        )
