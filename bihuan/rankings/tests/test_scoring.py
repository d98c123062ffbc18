from decimal import Decimal

from bihuan.rankings.figures import UnitFigures
from bihuan.rankings.scoring import Weights, ranks, score

WEIGHTS = Weights()


def test_the_score_is_the_weighted_rates_out_of_100_less_deductions():
    figures = UnitFigures(
        acknowledge_due=4, acknowledged_on_time=3,
        feedback_due=2, feedback_met=2,
        close_due=4, closed_on_time=2,
        live=5, closed=4,
        submitted=4, returned=1,
        overdue=2, escalated=1, deduction=Decimal("1.5"),
    )  # fmt: skip

    result = score(figures, WEIGHTS)

    points = {part.key: part.points for part in result.parts}
    assert points == {
        "acknowledge": Decimal("15.00"),  # 20 × 3/4
        "feedback": Decimal("15.00"),
        "on_time": Decimal("15.00"),  # 30 × 2/4
        "closed": Decimal("20.00"),  # 25 × 4/5
        "returned": Decimal("7.50"),  # 10 × (1 − 1/4)
    }
    assert result.base == Decimal("72.50")
    assert result.overdue_deduction == Decimal("2.00")
    assert result.escalation_deduction == Decimal("1.50")
    assert result.total == Decimal("69.00")


def test_a_rate_with_nothing_to_count_shares_its_weight_among_the_others():
    figures = UnitFigures(acknowledge_due=1, acknowledged_on_time=1, live=2, closed=1)

    result = score(figures, WEIGHTS)

    # 签收 20 and 销号 25 count: 100 × (20 × 1 + 25 × 0.5) / 45.
    assert result.base == Decimal("72.22")
    assert [p.points is None for p in result.parts] == [False, True, True, False, True]


def test_overdue_deductions_stop_at_the_cap_and_the_score_at_zero():
    figures = UnitFigures(live=40, overdue=40)

    result = score(figures, WEIGHTS)

    assert result.base == Decimal("0.00")
    assert result.overdue_deduction == Decimal("20.00")
    assert result.total == Decimal("0.00")


def test_a_unit_with_nothing_to_score_is_not_scored():
    assert score(UnitFigures(), WEIGHTS).total is None


def test_equal_scores_share_a_rank_and_the_next_rank_skips():
    assert ranks([Decimal(90), None, Decimal(95), Decimal(90), Decimal(80)]) == [2, None, 1, 2, 4]
