"""Materials by campaign, for the 查重 page a supervisor reads per campaign.

A material submitted for a 专项活动 belongs to that campaign. One uploaded without (before
campaigns were recorded, or outside any) is grouped with the materials of its kind and year
("2024年 · 研讨材料"), which is what such a campaign meant until then. This module is the only
place that says how materials group: the page and its template only see `Group`.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from bihuan.campaigns.models import Campaign
from bihuan.forms import StyledForm

from .models import Material, MaterialKind


@dataclass(frozen=True, order=True)
class Group:
    """One campaign's materials. Campaigns sort newest first, then the groups by kind and
    year of materials outside any campaign, newest year first."""

    sort: tuple
    label: str


_KIND_ORDER = {kind: order for order, kind in enumerate(MaterialKind.values)}


def _campaign_group(pk: int, name: str, starts_on) -> Group:
    return Group((0, -starts_on.toordinal(), -pk), name)


def _kind_group(year: int, kind: str) -> Group:
    return Group(
        (1, -year, _KIND_ORDER[kind]), f"{year}年 · {MaterialKind(kind).label}（未注明活动）"
    )


def group_of(material: Material) -> Group:
    """The material's group; its campaign selected with it."""
    if material.campaign_id:
        campaign = material.campaign
        return _campaign_group(campaign.pk, campaign.name, campaign.starts_on)
    return _kind_group(timezone.localtime(material.uploaded_at).year, material.kind)


def group_counts(materials) -> dict[Group, int]:
    """How many of `materials` (a queryset) each group holds, in one query."""
    rows = (
        materials.order_by()
        .annotate(year=ExtractYear("uploaded_at"))
        .values("campaign", "campaign__name", "campaign__starts_on", "year", "kind")
        .annotate(count=Count("pk"))
    )
    counts: dict[Group, int] = {}
    for row in rows:
        if row["campaign"]:
            group = _campaign_group(
                row["campaign"], row["campaign__name"], row["campaign__starts_on"]
            )
        else:
            group = _kind_group(row["year"], row["kind"])
        counts[group] = counts.get(group, 0) + row["count"]
    return counts


class GroupFilter(StyledForm):
    """Which groups to show: a campaign, or the materials of a year or a kind."""

    campaign = forms.ModelChoiceField(
        label="专项活动", queryset=Campaign.objects.none(), required=False, empty_label="全部"
    )
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    kind = forms.ChoiceField(
        label="材料类型", required=False, choices=[("", "全部"), *MaterialKind.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)


def group_q(data: dict) -> Q:
    """The condition on Material for the groups a valid GroupFilter chose."""
    condition = Q()
    if data.get("campaign"):
        condition &= Q(campaign=data["campaign"])
    if data.get("year"):
        condition &= Q(uploaded_at__year=data["year"])
    if data.get("kind"):
        condition &= Q(kind=data["kind"])
    return condition
