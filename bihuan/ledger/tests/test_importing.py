"""Planning and committing a parsed ledger: matching, idempotence, later versions, all-or-nothing."""

import datetime as dt

import pytest

from bihuan.errors import DomainError, NotAllowed
from bihuan.ledger.importing import ImportOptions, import_commit, import_plan, text_key
from bihuan.ledger.models import Measure, MeasureEvent, NameKind, NameMapping, Problem, Progress
from bihuan.ledger.names import UnitMatcher, unit_keys
from bihuan.tabular.records import (
    Deadline,
    ParsedLedger,
    ParsedMeasure,
    ParsedProblem,
    RowIssue,
    Status,
)
from bihuan.workflow.states import Action, DeadlineKind, State

SHEET = "整改台账"


def measure_row(text, row, **fields):
    fields.setdefault("owner_unit", "城关镇")
    fields.setdefault("deadline", Deadline(text="2024年12月底前", date=dt.date(2024, 12, 31)))
    return ParsedMeasure(text=text, sheet=SHEET, row=row, **fields)


def ledger_of(*problems, issues=()):
    return ParsedLedger(problems=tuple(problems), issues=tuple(issues), sheets=(SHEET,))


def problem_row(text, row, *measures, category="工作作风"):
    return ParsedProblem(text=text, sheet=SHEET, row=row, category=category, measures=measures)


@pytest.fixture
def options(world):
    return ImportOptions(
        unit=world.chengguan, source="self", category=world.category, file_name="城关镇台账.xlsx"
    )


@pytest.fixture
def plan_of(world, options, now, calendar):
    def plan(ledger, *, by=None, when=None):
        return import_plan(
            ledger=ledger, by=by or world.zhou, options=options, now=when or now, calendar=calendar
        )

    return plan


@pytest.fixture
def commit(world, options, now, calendar, plan_of):
    def run(ledger, *, when=None):
        plan = plan_of(ledger, when=when)
        return import_commit(
            plan=plan, by=world.zhou, options=options, now=when or now, calendar=calendar
        )

    return run


SAMPLE = ledger_of(
    problem_row(
        "窗口服务推诿扯皮，群众办事多头跑",
        4,
        measure_row(
            "推行首问负责制",
            4,
            owner="李承办",
            status=Status.CLOSED,
            status_text="已完成",
            progress="已在大厅公示首问责任人",
        ),
        measure_row(
            "每月通报窗口办件时长",
            5,
            owner="孙干部、陈文书",
            deadline=Deadline(text="长期坚持", ongoing=True),
            status=Status.IN_PROGRESS,
        ),
    ),
    problem_row(
        "村级公开栏更新不及时",
        6,
        measure_row("每季度更新村务公开栏", 6, owner_unit="东关村", status=Status.ASSIGNED),
    ),
)


def test_unit_keys_make_short_and_full_names_meet():
    county = ("青山县",)
    assert "县委办" in unit_keys("中共青山县委办公室", county_names=county)
    assert "县委办" in unit_keys("青山县委办公室", county_names=county)
    assert "东关村" in unit_keys("青山县东关村", county_names=county)
    assert unit_keys("城关镇人民政府") == unit_keys("城关镇党委") == ("城关镇",)


def test_unit_names_match_by_full_name_short_name_and_suffix_variants(world):
    matcher = UnitMatcher.for_user(world.zhou)

    assert matcher.match("城关镇人民政府") == world.chengguan
    assert matcher.match("县委办") == world.office
    assert matcher.match("青山县东关村") == world.dongguan
    assert matcher.match("城关镇、河西乡") == world.chengguan
    assert matcher.match("县交通运输局") is None


def test_text_key_ignores_numbering_spacing_and_width():
    assert text_key("1. 推行 首问负责制") == text_key("（一）推行首问负责制") == "推行首问负责制"
    assert text_key("１．推行首问负责制") == "推行首问负责制"


def test_commit_creates_problems_measures_states_and_history(world, commit, now):
    result = commit(SAMPLE)

    assert result == {
        "problems_new": 2,
        "measures_new": 3,
        "measures_updated": 0,
        "measures_unchanged": 0,
    }
    closed = Measure.objects.get(text="推行首问负责制")
    assert closed.state == State.CLOSED
    assert closed.owner_unit == world.chengguan
    assert closed.owner == world.li and closed.owner_name == ""
    assert closed.closed_at == now and closed.closed_on_time is True
    assert closed.progress_updates.get().text == "已在大厅公示首问责任人"
    ongoing = Measure.objects.get(text="每月通报窗口办件时长")
    assert ongoing.deadline_kind == DeadlineKind.ONGOING
    assert ongoing.feedback_cycle == "monthly"
    assert ongoing.owner == world.sun and ongoing.owner_name == "孙干部、陈文书"
    pending = Measure.objects.get(text="每季度更新村务公开栏")
    assert (pending.state, pending.owner_unit, pending.assigned_at) == (
        State.PENDING,
        world.dongguan,
        now,
    )
    assert pending.original_deadline == dt.date(2024, 12, 31)
    event = pending.events.get()
    assert (event.action, event.from_state, event.to_state) == (
        Action.IMPORT,
        State.DRAFT,
        State.PENDING,
    )
    assert "城关镇台账.xlsx" in event.comment and "第6行" in event.comment
    assert list(Problem.objects.values_list("unit", flat=True)) == [world.chengguan.pk] * 2


def test_importing_the_same_ledger_twice_changes_nothing(commit, plan_of):
    commit(SAMPLE)
    before = (Measure.objects.count(), MeasureEvent.objects.count(), Progress.objects.count())

    result = commit(SAMPLE)

    assert result["measures_unchanged"] == 3
    assert result["problems_new"] == result["measures_new"] == result["measures_updated"] == 0
    after = (Measure.objects.count(), MeasureEvent.objects.count(), Progress.objects.count())
    assert after == before


def test_a_later_version_moves_states_forward_and_adds_progress(commit, now):
    commit(SAMPLE)
    later = ledger_of(
        problem_row(
            "1. 窗口服务推诿扯皮，群众办事多头跑",
            4,
            measure_row("推行首问负责制", 4, owner="李承办", status=Status.CLOSED),
            measure_row(
                "每月通报窗口办件时长",
                5,
                deadline=Deadline(text="长期坚持", ongoing=True),
                status=Status.IN_PROGRESS,
                progress="9月通报3个窗口",
            ),
            measure_row("新增：窗口设立意见簿", 6, status=Status.IN_PROGRESS),
        ),
        problem_row(
            "村级公开栏更新不及时",
            7,
            measure_row(
                "每季度更新村务公开栏",
                7,
                owner_unit="东关村",
                status=Status.CLOSED,
                deadline=Deadline(text="2024年10月", date=dt.date(2024, 10, 31)),
            ),
        ),
    )
    later_now = now + dt.timedelta(days=7)

    result = commit(later, when=later_now)

    assert result == {
        "problems_new": 0,
        "measures_new": 1,
        "measures_updated": 2,
        "measures_unchanged": 1,
    }
    board = Measure.objects.get(text="每季度更新村务公开栏")
    assert board.state == State.CLOSED
    assert board.deadline == dt.date(2024, 10, 31)
    assert board.closed_at == later_now
    assert "状态 待签收 → 已销号" in board.events.last().comment
    ongoing = Measure.objects.get(text="每月通报窗口办件时长")
    assert ongoing.progress_updates.get().text == "9月通报3个窗口"
    assert ongoing.last_feedback_at == later_now
    added = Measure.objects.get(text="新增：窗口设立意见簿")
    assert added.seq == 3
    assert Problem.objects.count() == 2


def test_a_file_never_moves_a_measure_back(commit, in_progress, world):
    ledger = ledger_of(
        problem_row(
            in_progress.problem.description,
            4,
            measure_row(
                in_progress.text,
                4,
                status=Status.ASSIGNED,
                deadline=Deadline(text="", date=in_progress.deadline),
            ),
        )
    )
    version = in_progress.version

    result = commit(ledger)

    in_progress.refresh_from_db()
    assert result["measures_unchanged"] == 1
    assert (in_progress.state, in_progress.version) == (State.IN_PROGRESS, version)


def test_unknown_units_block_the_commit_and_write_nothing(world, plan_of, options, now, calendar):
    ledger = ledger_of(
        problem_row("问题甲", 4, measure_row("措施甲", 4, owner_unit="县交通运输局")),
        problem_row("问题乙", 5, measure_row("措施乙", 5, owner_unit="县交通运输局")),
    )

    plan = plan_of(ledger)

    assert plan.unmatched_units == {"县交通运输局": [(SHEET, 4), (SHEET, 5)]}
    assert not plan.is_committable
    with pytest.raises(DomainError, match="1 处错误"):
        import_commit(plan=plan, by=world.zhou, options=options, now=now, calendar=calendar)
    assert Problem.objects.count() == 0


def test_a_remembered_mapping_resolves_a_name_next_time(world, plan_of, now):
    NameMapping.objects.create(
        kind=NameKind.UNIT,
        text="城关所",
        unit=world.chengguan,
        created_by=world.zhou,
        created_at=now,
    )

    plan = plan_of(
        ledger_of(problem_row("问题甲", 4, measure_row("措施甲", 4, owner_unit="城关所")))
    )

    assert plan.unmatched_units == {}
    assert plan.problems[0].measures[0].owner_unit == world.chengguan


def test_a_mapping_outside_the_importers_scope_is_not_used(world, plan_of, now):
    NameMapping.objects.create(
        kind=NameKind.UNIT, text="党政办", unit=world.hexi, created_by=world.zhou, created_at=now
    )
    ledger = ledger_of(problem_row("问题甲", 4, measure_row("措施甲", 4, owner_unit="党政办")))

    plan = plan_of(ledger, by=world.qian)

    assert "党政办" in plan.unmatched_units


def test_blocking_row_issues_from_the_file_stop_the_commit(world, plan_of, options, now, calendar):
    issue = RowIssue(SHEET, 9, "整改时限", "无法识别的日期：下个月")
    plan = plan_of(ledger_of(problem_row("问题甲", 4, measure_row("措施甲", 4)), issues=[issue]))

    with pytest.raises(DomainError):
        import_commit(plan=plan, by=world.zhou, options=options, now=now, calendar=calendar)
    assert Measure.objects.count() == 0


def test_an_unknown_category_falls_back_to_the_default_with_a_note(world, plan_of):
    plan = plan_of(
        ledger_of(problem_row("问题甲", 4, measure_row("措施甲", 4), category="其他方面"))
    )

    assert plan.problems[0].category == world.category
    assert any(not issue.blocking and "其他方面" in issue.message for issue in plan.issues)
    assert plan.is_committable


def test_a_category_written_with_a_suffix_still_matches(plan_of):
    plan = plan_of(
        ledger_of(problem_row("问题甲", 4, measure_row("措施甲", 4), category="理论学习方面"))
    )

    assert plan.problems[0].category.name == "理论学习"


def test_only_supervisors_may_import(world, plan_of):
    with pytest.raises(NotAllowed):
        plan_of(SAMPLE, by=world.li)


def test_rows_of_units_outside_the_importers_scope_are_unmatched(world, plan_of):
    plan = plan_of(
        ledger_of(problem_row("问题甲", 4, measure_row("措施甲", 4, owner_unit="河西乡"))),
        by=world.qian,
    )

    assert "河西乡" in plan.unmatched_units
