from decimal import Decimal

import pytest

from bihuan.audit.models import AuditEntry
from bihuan.conftest import at
from bihuan.errors import DomainError, NotAllowed
from bihuan.org.models import UnitKind
from bihuan.rankings.models import Ranking, RankingRow, ScoringWeights
from bihuan.rankings.periods import parse_period
from bihuan.rankings.services import (
    default_kind,
    published_or_draft,
    ranking_draft,
    ranking_publish,
    ranking_table,
    weights_set,
)
from bihuan.workflow.models import LightCutoffs

from .conftest import SEPTEMBER

TOWNSHIP = UnitKind.TOWNSHIP


@pytest.fixture
def cutoffs(october_8, calendar):
    return LightCutoffs(now=october_8, calendar=calendar)


def _draft(world, cutoffs, user=None):
    return ranking_draft(
        user=user or world.zhou,
        period=parse_period(SEPTEMBER),
        parent=world.county,
        kind=TOWNSHIP,
        cutoffs=cutoffs,
    )


def _publish(world, cutoffs, now):
    return ranking_publish(
        by=world.zhou,
        period=parse_period(SEPTEMBER),
        parent=world.county,
        kind=TOWNSHIP,
        cutoffs=cutoffs,
        now=now,
    )


def test_the_september_township_draft_ranks_hexi_first(world, september, cutoffs):
    table = _draft(world, cutoffs)

    assert [(line.unit_name, line.rank, line.score.total) for line in table.lines] == [
        ("河西乡", 1, Decimal("73.53")),
        ("城关镇", 2, Decimal("54.88")),
    ]
    assert table.group_label == "青山县各乡镇"
    assert table.is_draft
    assert not Ranking.objects.exists()


def test_townships_are_the_peer_group_offered_under_a_county(world):
    assert default_kind(world.county) == TOWNSHIP
    assert default_kind(world.chengguan) == UnitKind.VILLAGE


def test_publishing_freezes_the_ranking_against_later_ledger_changes(
    world, september, cutoffs, october_8, calendar
):
    ranking = _publish(world, cutoffs, october_8)
    # Afterwards 东关村 closes its overdue measure and 河西乡's open one is cancelled.
    september.b.submit(by=world.chen, now=at(2024, 10, 9))
    september.b.close(by=world.zhou, now=at(2024, 10, 9, 10))
    september.d.cancel(by=world.zhou, now=at(2024, 10, 9, 11), comment="重复登记")
    later = LightCutoffs(now=at(2024, 10, 10), calendar=calendar)

    published = ranking_table(Ranking.objects.get(pk=ranking.pk))
    draft = _draft(world, later)

    assert [(line.unit_name, line.rank, line.score.total) for line in published.lines] == [
        ("河西乡", 1, Decimal("73.53")),
        ("城关镇", 2, Decimal("54.88")),
    ]
    assert [line.score.total for line in draft.lines] != [
        line.score.total for line in published.lines
    ]
    stored = dict(RankingRow.objects.values_list("unit_name", "score"))
    assert stored == {"河西乡": Decimal("73.53"), "城关镇": Decimal("54.88")}
    assert (
        published_or_draft(
            user=world.zhou,
            period=parse_period(SEPTEMBER),
            parent=world.county,
            kind=TOWNSHIP,
            cutoffs=later,
        ).ranking
        == ranking
    )


def test_new_weights_change_drafts_but_not_a_published_ranking(
    world, september, cutoffs, october_8
):
    ranking = _publish(world, cutoffs, october_8)
    values = {"acknowledge": 0, "feedback": 0, "on_time": 0, "closed": 100, "returned": 0}
    weights_set(
        values=values | {"overdue_points": 5, "overdue_cap": 20}, by=world.wu, now=october_8
    )

    published = ranking_table(ranking)
    draft = _draft(world, cutoffs)

    assert [line.score.total for line in published.lines] == [Decimal("73.53"), Decimal("54.88")]
    assert [(line.unit_name, line.score.total) for line in draft.lines] == [
        ("河西乡", Decimal("50.00")),
        ("城关镇", Decimal("45.00")),
    ]


def test_publishing_is_recorded_in_the_audit_log(world, september, cutoffs, october_8):
    ranking = _publish(world, cutoffs, october_8)

    entry = AuditEntry.objects.get(object_type="rankings.ranking", object_id=str(ranking.pk))
    assert entry.changes["step"] == "publish"
    assert entry.changes["rows"][0] == {"unit": "河西乡", "rank": 1, "score": "73.53"}


def test_a_ranking_is_published_once(world, september, cutoffs, october_8):
    _publish(world, cutoffs, october_8)

    with pytest.raises(DomainError, match="已经发布"):
        _publish(world, cutoffs, october_8)
    assert Ranking.objects.count() == 1


def test_only_a_supervisor_publishes(world, september, cutoffs, october_8):
    with pytest.raises(NotAllowed):
        ranking_publish(
            by=world.zhao,
            period=parse_period(SEPTEMBER),
            parent=world.county,
            kind=TOWNSHIP,
            cutoffs=cutoffs,
            now=october_8,
        )
    assert not Ranking.objects.exists()


def test_a_township_ranks_its_villages_but_not_the_countys_townships(world, september, cutoffs):
    villages = ranking_draft(
        user=world.qian,
        period=parse_period(SEPTEMBER),
        parent=world.chengguan,
        kind=UnitKind.VILLAGE,
        cutoffs=cutoffs,
    )

    assert [line.unit_name for line in villages.lines] == ["东关村"]
    with pytest.raises(NotAllowed, match="不在您的管理范围内"):
        _draft(world, cutoffs, user=world.qian)


def test_a_period_not_yet_begun_is_refused(world, cutoffs):
    with pytest.raises(DomainError, match="尚未开始"):
        ranking_draft(
            user=world.zhou,
            period=parse_period("2024-11"),
            parent=world.county,
            kind=TOWNSHIP,
            cutoffs=cutoffs,
        )


def test_weights_are_set_by_the_system_admin_only(world, october_8):
    values = {"acknowledge": 1, "feedback": 1, "on_time": 1, "closed": 1, "returned": 1}
    values |= {"overdue_points": 1, "overdue_cap": 1}

    with pytest.raises(NotAllowed):
        weights_set(values=values, by=world.zhou, now=october_8)
    with pytest.raises(DomainError, match="不能全为 0"):
        weights_set(values=values | dict.fromkeys(list(values)[:5], 0), by=world.wu, now=october_8)
    assert not ScoringWeights.objects.exists()
