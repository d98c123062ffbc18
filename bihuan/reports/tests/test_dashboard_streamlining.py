"""精文减会 on the dashboard: this year against the same days of last year, all of last year and
the targets, for the viewer's unit with the units below it. The table's figures are checked
against counts made here straight from the registers. Today is Tuesday 8 October 2024."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bihuan.conftest import at
from bihuan.streamlining.models import Document, Meeting, MeetingKind, MeetingLevel
from bihuan.streamlining.services import (
    MeetingSpec,
    TargetSpec,
    document_register,
    meeting_register,
    target_set,
)

D = dt.date
TODAY = D(2024, 10, 8)
THIS_YEAR = (D(2024, 1, 1), TODAY)
SAME_DAYS = (D(2023, 1, 1), D(2023, 10, 8))
LAST_YEAR = (D(2023, 1, 1), D(2023, 12, 31))


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(2024, 10, 8, 10))


@pytest.fixture
def hold(world):
    def register(unit, day, minutes, *, merged=False, by_video=False):
        recorder = {world.county: world.zhou, world.chengguan: world.li, world.hexi: world.wang}
        return meeting_register(
            spec=MeetingSpec(
                unit=unit,
                held_on=day,
                title="工作会议",
                kind=MeetingKind.WORK,
                level=MeetingLevel.TOWNSHIP,
                minutes=minutes,
                merged=merged,
                by_video=by_video,
            ),
            by=recorder[unit],
            now=at(2024, 10, 8, 9),
        )

    return register


@pytest.fixture
def issue(world):
    numbers = iter(range(1, 100))

    def register(unit, day, text="关于做好秋季防火工作的通知"):
        recorder = {world.county: world.zhou, world.chengguan: world.li, world.hexi: world.wang}
        return document_register(
            unit=unit,
            number=f"发〔{day.year}〕{next(numbers)}号",
            title="",
            issued_on=day,
            data=text.encode(),
            filename="通知.txt",
            by=recorder[unit],
            now=at(2024, 10, 8, 9),
        )

    return register


@pytest.fixture
def registers(world, hold, issue):
    """Two years of meetings and documents across the county, and the county's targets."""
    hold(world.chengguan, D(2024, 3, 1), 60, merged=True)
    hold(world.chengguan, D(2024, 9, 10), 120, by_video=True)
    hold(world.hexi, D(2024, 5, 5), 90, merged=True, by_video=True)
    hold(world.county, D(2024, 10, 8), 30)
    hold(world.chengguan, D(2023, 2, 1), 100)
    hold(world.hexi, D(2023, 10, 8), 50, by_video=True)
    hold(world.chengguan, D(2023, 11, 11), 40, merged=True)
    hold(world.chengguan, D(2022, 6, 1), 45)
    issue(world.chengguan, D(2024, 4, 1))
    issue(world.hexi, D(2024, 10, 1), "关于召开秋收工作会议的通知，请各村准时参会")
    issue(world.chengguan, D(2023, 6, 1), "关于印发工作要点的通知")
    issue(world.county, D(2023, 12, 1))
    target_set(
        spec=TargetSpec(
            unit=world.county,
            year=2024,
            documents_cut_percent=30,
            meetings_cut_percent=50,
            meeting_max_minutes=90,
        ),
        by=world.zhou,
        now=at(2024, 1, 5),
    )


def table(response) -> dict[str, dict[str, str]]:
    """The 精文减会 table as {row: {this, same, last, change, target}} of the texts shown."""
    html = response.content.decode()
    found = re.search(r'<table[^>]*id="streamlining".*?</table>', html, re.S)
    assert found, "the dashboard has no 精文减会 table"
    rows = {}
    for key, body in re.findall(r'<tr data-row="(\w+)">(.*?)</tr>', found.group(0), re.S):
        cells = dict(re.findall(r'data-figure="(\w+)">([^<]*)<', body))
        labels = re.findall(r'data-label="([^"]+)"[^>]*>(.*?)</td>', body, re.S)
        text = {label: re.sub(r"<[^>]+>|\s+", "", value) for label, value in labels}
        rows[key] = {**cells, "change": text["同比"], "target": text["目标"]}
    return rows


def _counts(meetings, documents, period) -> dict:
    """Counted here, straight from the registers, for one period."""
    start, end = period
    m = meetings.filter(held_on__gte=start, held_on__lte=end).aggregate(
        n=Count("pk"),
        minutes=Sum("minutes"),
        merged=Count("pk", filter=Q(merged=True)),
        video=Count("pk", filter=Q(by_video=True)),
    )
    d = documents.filter(issued_on__gte=start, issued_on__lte=end).aggregate(
        n=Count("pk"), chars=Sum("chars")
    )
    return {
        "meetings": str(m["n"]),
        "average_minutes": str(round(m["minutes"] / m["n"])),
        "merged_share": f"{round(100 * m['merged'] / m['n'])}%",
        "video_share": f"{round(100 * m['video'] / m['n'])}%",
        "documents": str(d["n"]),
        "chars": str(d["chars"]),
    }


def _shown(rows, column: str) -> dict:
    return {key: row[column] for key, row in rows.items()}


def test_the_county_sees_its_figures_as_counted_from_the_registers(client, world, registers):
    client.force_login(world.zhou)

    rows = table(client.get("/dashboard/"))

    meetings, documents = Meeting.objects.all(), Document.objects.all()
    assert _shown(rows, "this") == _counts(meetings, documents, THIS_YEAR)
    assert _shown(rows, "same") == _counts(meetings, documents, SAME_DAYS)
    assert _shown(rows, "last") == _counts(meetings, documents, LAST_YEAR)
    # The figures themselves, once, so a wrong period above cannot pass unnoticed.
    assert _shown(rows, "this")["meetings"] == "4"
    assert _shown(rows, "same")["meetings"] == "2"
    assert _shown(rows, "last")["meetings"] == "3"


def test_the_targets_and_the_changes_are_shown_with_what_is_over(client, world, registers):
    client.force_login(world.zhou)

    rows = table(client.get("/dashboard/"))

    # 3 meetings last year less 50 %: at most 1; 4 held. 2 documents less 30 %: at most 1.
    assert rows["meetings"]["target"] == "全年不超过1（比上年减少50%）（已超出）"
    assert rows["documents"]["target"] == "全年不超过1（比上年减少30%）（已超出）"
    assert rows["average_minutes"]["target"] == "每次不超过90分钟，本年超时1次（已超出）"
    assert rows["meetings"]["change"] == "▲100%"  # 4 against 2
    assert rows["documents"]["change"] == "▲100%"  # 2 against 1
    # Merged: 2 of 4 against 0 of 2; by video: 2 of 4 against 1 of 2.
    assert rows["merged_share"]["change"] == "+50个百分点"
    assert rows["video_share"]["change"] == "持平"
    assert rows["chars"]["target"] == "—"


def test_a_township_sees_its_own_figures_only(client, world, registers):
    client.force_login(world.li)

    rows = table(client.get("/dashboard/"))

    meetings = Meeting.objects.filter(unit=world.chengguan)
    documents = Document.objects.filter(unit=world.chengguan)
    assert _shown(rows, "this") == _counts(meetings, documents, THIS_YEAR)
    assert _shown(rows, "last")["meetings"] == "2"


def test_the_table_links_to_the_registers_and_reads_on_a_phone(client, world, registers):
    client.force_login(world.qian)

    html = client.get("/dashboard/").content.decode()

    section = html[html.index('id="streamlining-heading"') :]
    assert 'href="/streamlining/"' in section
    assert 'href="/streamlining/meetings/"' in section
    assert 'href="/streamlining/documents/"' in section
    found = re.search(r'<table class="([^"]*)" id="streamlining"', html)
    # ledger-table: below the small breakpoint each row becomes a card, each cell labelled.
    assert "ledger-table" in found.group(1)
    body = html[found.end() : html.index("</table>", found.end())]
    assert body.count("<td") == body.count("data-label=") == 6 * 5


def test_with_nothing_registered_the_table_shows_dashes_not_errors(client, world):
    client.force_login(world.zhou)

    rows = table(client.get("/dashboard/"))

    assert _shown(rows, "this") == {
        "meetings": "0",
        "average_minutes": "—",
        "merged_share": "—",
        "video_share": "—",
        "documents": "0",
        "chars": "0",
    }
    assert rows["meetings"]["change"] == "—"


def test_the_figures_cost_the_same_queries_for_many_records_as_for_few(client, world, hold, issue):
    client.force_login(world.zhou)
    hold(world.chengguan, D(2024, 3, 1), 60)
    client.get("/dashboard/")

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get("/dashboard/")
        return len(queries)

    few = count()
    for day in range(1, 11):
        hold(world.hexi, D(2024, 6, day), 30)
        issue(world.chengguan, D(2023, 6, day))

    assert count() == few
