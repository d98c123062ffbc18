"""The rows under one sheet's header read into problems and measures.

A problem owns the measure rows beside it: those its merged cell spans, those whose problem
cell is left blank, and those that repeat its text. Lead, unit and owner cells left blank under
a filled one repeat that one within the same problem, never across problems.
"""

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

from .cells import cell_text, clean_text, joined, names_text, numbered_items
from .deadlines import parse_deadline, year_of
from .header import Header
from .layout import Preamble, category_name, is_filler, is_note, read_preamble, section_category
from .records import CellError, Deadline, ParsedMeasure, ParsedProblem, RowIssue, Status
from .sheet import SheetView
from .statuses import parse_status

PEOPLE = ("lead", "owner_unit", "owner")
MEASURE_FIELDS = (*PEOPLE, "deadline", "status")


@dataclass
class _Draft:
    text: str
    row: int
    category: str
    source: str
    causes: tuple[str, ...]
    measures: list[ParsedMeasure] = field(default_factory=list)


def _same_text(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


class SheetReader:
    def __init__(self, view: SheetView, header: Header, *, today: dt.date) -> None:
        self.view, self.header, self.columns = view, header, header.columns
        self.preamble: Preamble = read_preamble(view, header)
        self.reference = self.preamble.reported_on or today
        self.year_hint = self._year_hint(today)
        self.problems: list[_Draft] = []
        self.issues: list[RowIssue] = []
        self.current: _Draft | None = None
        self.category = ""  # set by a section row or a category cell, kept for blank cells below

    def read(self) -> tuple[list[ParsedProblem], list[RowIssue]]:
        if "deadline" not in self.columns:
            self.issues.append(
                RowIssue(
                    sheet=self.view.name,
                    row=self.header.top + 1,
                    column="整改时限",
                    message="表头中没有“整改时限”列：请增加这一列，为每条整改措施填写完成时限"
                    "（如“2024年6月底前”或“长期坚持”）。",
                )
            )
        for row in range(self.header.bottom + 1, self.view.height):
            if self.view.is_blank(row) or is_filler(self.view, row) or self._sub_header(row):
                continue
            if is_note(self.view, row, self.header):
                break
            section = section_category(self.view, row, self.header)
            if section is not None:
                self.category, self.current = section, None
                continue
            self._read_row(row)
        return [self._problem(draft) for draft in self.problems], self.issues

    def _sub_header(self, row: int) -> bool:
        """Sub-headers the header did not recognise (姓名 / 职务 under 联络员), left as a row."""
        if row != self.header.bottom + 1:
            return False
        cells = self.view.own_texts(row)
        text_columns = {self.columns["problem"], self.columns["measure"]}
        return len(cells) >= 2 and all(
            column not in text_columns and len(text) <= 8 and not text.isdigit()
            for column, text in cells
        )

    def _problem(self, draft: _Draft) -> ParsedProblem:
        return ParsedProblem(
            text=draft.text,
            sheet=self.view.name,
            row=draft.row,
            category=draft.category,
            source=draft.source,
            causes=draft.causes,
            measures=tuple(draft.measures),
        )

    def _year_hint(self, today: dt.date) -> int:
        column = self.columns.get("deadline")
        years = Counter(
            year
            for row in range(self.header.bottom + 1, self.view.height)
            if column is not None and (year := year_of(self._plain(self.view.own(row, column))))
        )
        if years:
            return years.most_common(1)[0][0]
        return (self.preamble.reported_on or today).year

    def _value(self, row: int, key: str) -> object:
        column = self.columns.get(key)
        return "" if column is None else self.view.value(row, column)

    def _issue(self, row: int, key: str, message: str, *, blocking: bool = True) -> None:
        column = self.header.labels.get(key, "")
        self.issues.append(RowIssue(self.view.name, row + 1, column, message, blocking))

    def _read_row(self, row: int) -> None:
        view, measure_column = self.view, self.columns["measure"]
        problem = clean_text(self._value(row, "problem"))
        if problem and (
            self.current is None or _same_text(problem) != _same_text(self.current.text)
        ):
            self._start_problem(row, problem)
        if view.continues_from_above(row, measure_column):
            self._widen_last_measure(row)
            return
        items = numbered_items(view.own(row, measure_column))
        if not items:
            own_problem = cell_text(view.own(row, self.columns["problem"]))
            if own_problem or self._has_own(row, MEASURE_FIELDS):
                self._issue(row, "measure", "没有填写整改措施：请填写具体整改措施，或删除这一行。")
            return
        if self.current is None:
            self._issue(
                row,
                "problem",
                "这一行有整改措施，但没有对应的问题描述：请填写问题描述，"
                "或把上方问题的单元格合并到这一行。",
            )
            return
        fields = self._measure_fields(row, self.current)
        for item in items:
            self.current.measures.append(
                ParsedMeasure(text=item, sheet=view.name, row=row + 1, **fields)
            )

    def _start_problem(self, row: int, text: str) -> None:
        category = category_name(cell_text(self._value(row, "category")))
        self.category = category or self.category
        self.current = _Draft(
            text=text,
            row=row + 1,
            category=self.category,
            source=clean_text(self._value(row, "source")),
            causes=tuple(numbered_items(self._value(row, "cause"))),
        )
        self.problems.append(self.current)

    def _has_own(self, row: int, keys: tuple[str, ...]) -> bool:
        return any(
            key in self.columns
            and not self.view.covered(row, self.columns[key])
            and cell_text(self.view.own(row, self.columns[key]))
            for key in keys
        )

    def _measure_fields(self, row: int, problem: _Draft) -> dict[str, object]:
        previous = problem.measures[-1] if problem.measures else None
        people = {key: names_text(self._value(row, key)) for key in PEOPLE}
        if previous is not None:
            people = {key: value or getattr(previous, key) for key, value in people.items()}
        status, status_text, progress = self._status(row)
        return {
            **people,
            "deadline": self._deadline(row),
            "status": status,
            "status_text": status_text,
            "progress": progress,
            "note": joined(cell_text(self._value(row, "note"))),
        }

    @staticmethod
    def _plain(value: object) -> object:
        """What the deadline and status readers take: text, a number or a date."""
        if isinstance(value, str):
            return joined(value)
        return value if isinstance(value, (int, float, dt.date)) else cell_text(value)

    def _deadline(self, row: int) -> Deadline:
        if "deadline" not in self.columns:
            return Deadline(text="")
        value = self._plain(self._value(row, "deadline"))
        try:
            return parse_deadline(value, year_hint=self.year_hint, reference=self.reference)
        except CellError as error:
            self._issue(row, "deadline", str(error))
            return Deadline(text=cell_text(value))

    def _status(self, row: int) -> tuple[Status, str, str]:
        """(status, the status cell's text, progress text)."""
        progress = joined(cell_text(self._value(row, "progress")))
        if "status" not in self.columns:
            # A progress column alone may still open with a state word; when it does not,
            # it is progress text, not an error.
            try:
                return parse_status(progress)[0], "", progress
            except CellError:
                return Status.ASSIGNED, "", progress
        text = joined(cell_text(self._value(row, "status")))
        if not text:
            return Status.ASSIGNED, "", progress
        try:
            status, rest = parse_status(text)
        except CellError as error:
            self._issue(row, "status", f"{error}；已按原文保留，状态记为“已交办”。", blocking=False)
            return Status.ASSIGNED, text, progress
        return status, text, progress or rest

    def _widen_last_measure(self, row: int) -> None:
        """A measure cell merged down over rows that name more owners: one measure, all owners."""
        if self.current is None or not self.current.measures:
            return
        last_row = self.current.measures[-1].row
        extra = {
            key: names_text(self.view.own(row, self.columns[key]))
            for key in PEOPLE
            if key in self.columns and not self.view.covered(row, self.columns[key])
        }
        for index, measure in enumerate(self.current.measures):
            if measure.row != last_row:
                continue
            changes = {
                key: f"{getattr(measure, key)}、{value}" if getattr(measure, key) else value
                for key, value in extra.items()
                if value and value not in getattr(measure, key).split("、")
            }
            self.current.measures[index] = replace(measure, **changes)
