"""The 精文减会 table of the dashboard: the figures of `streamlining.figures` for the viewer's
unit (with the units below it), laid out as rows of this year, the same days of last year, all
of last year and the target. Nothing is counted here."""

from dataclasses import dataclass

from bihuan.streamlining.figures import Figures, UnitYear, change


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    this_year: int | float | None
    same_days: int | float | None
    last_year: int | float | None
    unit: str = ""
    is_share: bool = False  # a share: shown as a percentage, compared in percentage points
    target: str = ""
    over: bool = False  # beyond the target
    # Whether this year's figure itself is what went beyond the target (a count over its
    # ceiling), not only some of what it sums up (an average with a few long meetings).
    value_over: bool = True

    @property
    def change(self) -> float | None:
        """Relative change on the same days of last year; for a share, None (see `points`)."""
        if self.is_share or self.this_year is None or self.same_days is None:
            return None
        return change(self.this_year, self.same_days)

    @property
    def points(self) -> int | None:
        """For a share: the change in percentage points."""
        if not self.is_share or self.this_year is None or self.same_days is None:
            return None
        return round((self.this_year - self.same_days) * 100)


def _cut(percent: int | None, allowed: int | None, noun: str) -> str:
    if percent is None:
        return ""
    if allowed is None:
        return f"比上年减少{percent}%（上年无{noun}）"
    return f"全年不超过{allowed}（比上年减少{percent}%）"


def rows(figures: UnitYear) -> list[Row]:
    this, same, last = figures.this_year, figures.same_days, figures.last_year
    target = figures.target
    limit = target.meeting_max_minutes if target else None

    def of(name: str, *periods: Figures):
        return [getattr(period, name) for period in periods]

    return [
        Row(
            "meetings",
            "会议次数",
            *of("meetings", this, same, last),
            unit="次",
            target=_cut(
                target.meetings_cut_percent if target else None, figures.meetings_allowed, "会议"
            ),
            over=figures.meetings_over,
        ),
        Row(
            "average_minutes",
            "会议平均时长",
            *of("average_minutes", this, same, last),
            unit="分钟",
            target=f"每次不超过{limit}分钟，本年超时{this.long_meetings}次" if limit else "",
            over=bool(limit and this.long_meetings),
            value_over=False,
        ),
        Row("merged_share", "合并召开占比", *of("merged_share", this, same, last), is_share=True),
        Row("video_share", "视频会议占比", *of("video_share", this, same, last), is_share=True),
        Row(
            "documents",
            "发文数",
            *of("documents", this, same, last),
            unit="件",
            target=_cut(
                target.documents_cut_percent if target else None,
                figures.documents_allowed,
                "发文",
            ),
            over=figures.documents_over,
        ),
        Row("chars", "发文总字数", *of("chars", this, same, last), unit="字"),
    ]
