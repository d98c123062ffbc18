"""Reads of published rankings, for the rankings pages and for other apps (the dashboard)."""

from .models import Ranking
from .services import RankingTable, ranking_table


def published_rankings(user):
    """Published rankings the user sees, latest period first."""
    return Ranking.objects.visible_to(user).select_related("parent", "published_by")


def latest_ranking(user, *, kind: str | None = None) -> RankingTable | None:
    """The latest published ranking the user sees (of peers of `kind`), with its frozen rows
    and each score's parts; None when there is none."""
    rankings = published_rankings(user)
    if kind:
        rankings = rankings.filter(kind=kind)
    ranking = rankings.first()
    return ranking_table(ranking) if ranking is not None else None
