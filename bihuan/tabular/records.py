"""What a parsed ledger is made of: the contract between the reader and whoever commits it."""

import datetime as dt
import enum
from dataclasses import dataclass, field


class LedgerFileError(Exception):
    """The file as a whole cannot be read as a ledger: one message that says what is wrong
    and how to fix it (a Word document renamed .xlsx, an encrypted or empty workbook, no
    recognisable header, a file over the size limit)."""


class Status(str, enum.Enum):
    """A measure's state as a ledger writes it (`完成情况`), in the import contract's words;
    use `.value` for the word (Python 3.10 has no StrEnum)."""

    DRAFT = "draft"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    EXTENSION_REQUESTED = "extension_requested"
    SUBMITTED = "submitted"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class RowIssue:
    """A problem with one cell or row. `blocking` issues stop a commit; the others are notes
    the user sees in the preview (an unknown status word kept as text, say)."""

    sheet: str
    row: int  # 1-based, as Excel shows it
    column: str  # the header text as the file writes it ("" for a whole row)
    message: str  # Chinese, says what is wrong and how to fix it
    blocking: bool = True


@dataclass(frozen=True)
class Deadline:
    """整改时限 as written and as understood."""

    text: str
    date: dt.date | None = None
    ongoing: bool = False
    working_days: int | None = None  # "交办后5个工作日", as Bihuan exports a draft measure
    # "weekly" / "monthly" / "quarterly" when the text says 每周/每月/每季度
    feedback_cycle: str = ""

    @property
    def is_unset(self) -> bool:
        """待定: set by the supervisor before the measure is assigned."""
        return self.date is None and not self.ongoing and self.working_days is None


@dataclass(frozen=True)
class ParsedMeasure:
    text: str
    sheet: str
    row: int
    lead: str = ""
    owner_unit: str = ""
    owner: str = ""
    deadline: Deadline = field(default_factory=lambda: Deadline(text=""))
    status: Status = Status.ASSIGNED
    status_text: str = ""
    progress: str = ""  # free text of a progress column, or what follows the status word
    note: str = ""


@dataclass(frozen=True)
class ParsedProblem:
    text: str
    sheet: str
    row: int
    category: str = ""
    source: str = ""
    causes: tuple[str, ...] = ()
    measures: tuple[ParsedMeasure, ...] = ()


@dataclass(frozen=True)
class ParsedLedger:
    problems: tuple[ParsedProblem, ...]
    issues: tuple[RowIssue, ...] = ()
    title: str = ""
    reporting_unit: str = ""  # from a 填报单位 line, when it names one
    reported_on: dt.date | None = None  # from a 填报时间 / 填报日期 line
    sheets: tuple[str, ...] = ()  # the sheets that held ledger rows

    @property
    def is_committable(self) -> bool:
        return bool(self.problems) and not any(issue.blocking for issue in self.issues)

    def measure_count(self) -> int:
        return sum(len(problem.measures) for problem in self.problems)


class CellError(ValueError):
    """One cell's value cannot be understood; the message is Chinese and names the value."""
