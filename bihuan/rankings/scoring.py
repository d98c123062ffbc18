"""The score of one unit from its figures and the weights: plain arithmetic, no database.

    base  = 100 × Σ wᵢ·rᵢ / Σ wᵢ  over the rates the unit has (a rate with nothing to count —
            no feedback due, say — neither helps nor hurts: its weight is shared by the others)
            r: 签收及时率, 反馈及时率, 按期办结率, 销号率, and (1 − 退回率)
    score = base − min(逾期数 × points per overdue item, cap) − 督办扣分, never below 0

Each rate's points (100 × wᵢ·rᵢ / Σ wᵢ) are shown, so the parts add up to the base. A unit with
no rate at all had nothing to score in the period: listed, not ranked. Units with the same score
share a rank, and the next rank skips (1, 2, 2, 4).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .figures import UnitFigures

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Weights:
    acknowledge: Decimal = Decimal(20)
    feedback: Decimal = Decimal(15)
    on_time: Decimal = Decimal(30)
    closed: Decimal = Decimal(25)
    returned: Decimal = Decimal(10)
    overdue_points: Decimal = Decimal(1)
    overdue_cap: Decimal = Decimal(20)

    @classmethod
    def of(cls, source) -> "Weights":
        """From a ScoringWeights row or a published ranking's JSON copy."""
        get = source.get if isinstance(source, dict) else lambda name: getattr(source, name)
        return cls(**{name: Decimal(str(get(name))) for name in cls.__dataclass_fields__})

    def as_json(self) -> dict:
        return {name: str(getattr(self, name)) for name in self.__dataclass_fields__}


# (weight name, label, the rate's property on UnitFigures, whether a lower rate is better)
RATES = (
    ("acknowledge", "签收及时率", "acknowledge_rate", False),
    ("feedback", "反馈及时率", "feedback_rate", False),
    ("on_time", "按期办结率", "on_time_rate", False),
    ("closed", "销号率", "closed_rate", False),
    ("returned", "退回率", "return_rate", True),
)


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    rate: float | None
    weight: Decimal
    # None: nothing to count, left out of the base.
    points: Decimal | None
    max_points: Decimal | None


@dataclass(frozen=True)
class Score:
    parts: tuple[Part, ...]
    base: Decimal | None
    overdue_deduction: Decimal
    escalation_deduction: Decimal
    # None: nothing to score in the period.
    total: Decimal | None


def score(figures: UnitFigures, weights: Weights) -> Score:
    present = []
    for key, label, rate_name, inverse in RATES:
        rate = getattr(figures, rate_name)
        weight = getattr(weights, key)
        present.append(
            (key, label, rate, weight, None if rate is None else (1 - rate if inverse else rate))
        )
    counted_weight = sum((w for _, _, rate, w, _ in present if rate is not None), Decimal(0))
    parts = []
    for key, label, rate, weight, value in present:
        if value is None or not counted_weight:
            parts.append(Part(key, label, rate, weight, None, None))
            continue
        share = HUNDRED * weight / counted_weight
        parts.append(
            Part(key, label, rate, weight, rounded(share * Decimal(str(value))), rounded(share))
        )
    overdue = rounded(min(figures.overdue * weights.overdue_points, weights.overdue_cap))
    escalation = rounded(figures.deduction)
    if not counted_weight or not figures.counted:
        return Score(tuple(parts), None, overdue, escalation, None)
    base = sum((part.points for part in parts if part.points is not None), Decimal(0))
    total = max(base - overdue - escalation, Decimal(0))
    return Score(tuple(parts), rounded(base), overdue, escalation, rounded(total))


def ranks(scores: Sequence[Decimal | None]) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) of the scores, None for an unscored unit."""
    ordered = sorted((s for s in scores if s is not None), reverse=True)
    first_at = {}
    for index, value in enumerate(ordered, start=1):
        first_at.setdefault(value, index)
    return [None if s is None else first_at[s] for s in scores]
