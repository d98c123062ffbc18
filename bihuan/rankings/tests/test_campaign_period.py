"""A campaign as a period: its name and dates, and only the measures of its tagged problems."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from bihuan.campaigns.services import CampaignSpec, campaign_create
from bihuan.conftest import at
from bihuan.errors import DomainError
from bihuan.ledger.models import Measure
from bihuan.org.models import ApiToken, UnitKind
from bihuan.rankings.figures import (
    FIGURE_NAMES,
    UnitFigures,
    figure_items,
    figures_by_unit,
    window_for,
)
from bihuan.rankings.periods import parse_period
from bihuan.rankings.services import ranking_draft
from bihuan.rankings.summary import report_data
from bihuan.supervision.models import SupervisionItem
from bihuan.workflow.models import LightCutoffs
from bihuan.workflow.states import Action, State

from .conftest import CAMPAIGN_NAME, tagged_measure


@pytest.fixture
def frozen_time(monkeypatch, october_8):
    monkeypatch.setattr("django.utils.timezone.now", lambda: october_8)
    return october_8


def _key(campaign) -> str:
    return f"campaign-{campaign.pk}"


def test_a_campaign_is_a_period_by_its_key_or_its_name(world, campaign):
    by_key = parse_period(_key(campaign), user=world.zhou)
    by_name = parse_period(CAMPAIGN_NAME, user=world.wang)

    assert by_key == by_name
    assert (by_key.key, by_key.kind, by_key.label) == (_key(campaign), "campaign", CAMPAIGN_NAME)
    assert (by_key.start, by_key.end) == (dt.date(2024, 9, 2), dt.date(2024, 12, 31))
    assert by_key.campaign_id == campaign.pk


def test_an_unseen_campaign_is_refused_like_an_unknown_one(world, campaign):
    # 东关村's clerk sees neither the organiser nor a unit taking part.
    for text in (_key(campaign), f"campaign-{campaign.pk + 100}"):
        with pytest.raises(DomainError, match=f"找不到专项活动“{text}”") as refused:
            parse_period(text, user=world.chen)
        assert refused.value.field == "period"
    with pytest.raises(DomainError, match="无法识别的期间"):
        parse_period(CAMPAIGN_NAME, user=world.chen)


def test_two_campaigns_of_one_name_must_be_named_by_key(world, campaign):
    campaign_create(
        spec=CampaignSpec(
            name=CAMPAIGN_NAME,
            organiser=world.county,
            units=(world.hexi,),
            starts_on=dt.date(2025, 3, 1),
            ends_on=dt.date(2025, 6, 30),
        ),
        by=world.zhou,
        now=at(2024, 10, 8),
    )

    with pytest.raises(DomainError, match="有多个名为“作风革命·效能革命”的专项活动"):
        parse_period(CAMPAIGN_NAME, user=world.zhou)


def _plain_counts(campaign, unit, *, as_of: dt.date, start: dt.date) -> UnitFigures:
    """The ranking's measure counts for the campaign, read off the tagged measures one by one
    (no supervision item belongs to a campaign)."""
    measures = Measure.objects.filter(
        problem__campaign=campaign, owner_unit__path__startswith=unit.path
    ).exclude(state__in=(State.DRAFT, State.CANCELLED))
    begin = at(start.year, start.month, start.day, 0)
    end = at(as_of.year, as_of.month, as_of.day, 0) + dt.timedelta(days=1)
    counts = dict.fromkeys(FIGURE_NAMES, 0)
    for m in measures:
        events = {e.action for e in m.events.filter(at__gte=begin, at__lt=end)}
        # None here lets its day to acknowledge pass unacknowledged: due once acknowledged.
        assigned_in = begin <= m.assigned_at < end
        counts["acknowledge_due"] += assigned_in and m.acknowledged_at is not None
        counts["acknowledged_on_time"] += assigned_in and bool(m.acknowledged_on_time)
        closed = m.closed_at is not None and m.closed_at < end
        due = start <= m.deadline <= as_of
        overdue = m.deadline < as_of and not closed
        counts["close_due"] += due and (closed or overdue)
        counts["closed_on_time"] += due and closed and m.closed_on_time
        counts["live"] += m.closed_at is None or m.closed_at >= begin
        counts["closed"] += closed and m.closed_at >= begin
        counts["overdue"] += overdue
        counts["submitted"] += bool(events & {Action.SUBMIT, Action.RETURN})
        counts["returned"] += Action.RETURN in events
    return UnitFigures(**counts)


def _figures(world, campaign, now, calendar):
    window = window_for(
        parse_period(_key(campaign), user=world.zhou),
        cutoffs=LightCutoffs(now=now, calendar=calendar),
    )
    units = [world.chengguan, world.hexi]
    return window, figures_by_unit(user=world.zhou, units=units, parent=world.county, window=window)


def test_a_campaign_ranking_counts_its_tagged_measures_and_follows_the_ledger(
    world, campaign, in_campaign, october_8, calendar
):
    window, before = _figures(world, campaign, october_8, calendar)

    for unit in (world.chengguan, world.hexi):
        assert before[unit.pk] == _plain_counts(
            campaign, unit, as_of=window.as_of, start=campaign.starts_on
        )
    # September's four untagged measures are not the campaign's.
    assert before[world.chengguan.pk] == UnitFigures(
        acknowledge_due=1, acknowledged_on_time=1, close_due=1, closed_on_time=1,
        live=1, closed=1, overdue=0, submitted=1, returned=0,
    )  # fmt: skip
    assert before[world.hexi.pk] == UnitFigures(
        acknowledge_due=1, acknowledged_on_time=1, close_due=1, closed_on_time=0,
        live=1, closed=0, overdue=1, submitted=1, returned=1,
    )  # fmt: skip

    in_campaign.f.submit(by=world.wang, now=at(2024, 10, 8, 9))
    in_campaign.f.close(by=world.zhou, now=at(2024, 10, 8, 10))
    h = tagged_measure(world, campaign, world.hexi, "清理会议", dt.date(2024, 10, 20),
                       when=at(2024, 10, 8, 10))  # fmt: skip
    h.assign(by=world.zhou, now=at(2024, 10, 8, 10, 30), calendar=calendar)
    later = at(2024, 10, 8, 16)
    window, after = _figures(world, campaign, later, calendar)

    hexi = after[world.hexi.pk]
    assert hexi == _plain_counts(campaign, world.hexi, as_of=window.as_of, start=campaign.starts_on)
    assert (hexi.live, hexi.closed, hexi.overdue, hexi.close_due) == (2, 1, 0, 1)
    assert after[world.chengguan.pk] == before[world.chengguan.pk]


def test_the_rows_behind_a_campaign_number_are_its_tagged_measures_only(
    world, campaign, in_campaign, october_8, calendar
):
    window, figures = _figures(world, campaign, october_8, calendar)

    live = figure_items(Measure, user=world.zhou, unit=world.hexi, figure="live", window=window)
    items = figure_items(
        SupervisionItem, user=world.zhou, unit=world.hexi, figure="live", window=window
    )

    assert list(live) == [in_campaign.f]
    assert not items.exists()
    assert figures[world.hexi.pk].live == 1


def test_a_campaign_ranking_ranks_the_townships_on_the_campaigns_work(
    world, campaign, in_campaign, october_8, calendar
):
    table = ranking_draft(
        user=world.zhou,
        period=parse_period(_key(campaign), user=world.zhou),
        parent=world.county,
        kind=UnitKind.TOWNSHIP,
        cutoffs=LightCutoffs(now=october_8, calendar=calendar),
    )

    assert [line.unit_name for line in table.ranked] == ["城关镇", "河西乡"]
    assert table.period.label == CAMPAIGN_NAME


def test_a_reports_campaign_period_counts_only_the_campaigns_problems(
    world, campaign, in_campaign, october_8, calendar
):
    report = report_data(
        user=world.zhou,
        unit=world.county,
        period=parse_period(_key(campaign), user=world.zhou),
        cutoffs=LightCutoffs(now=october_8, calendar=calendar),
    )

    assert (report.problems, report.counts.measures, report.counts.drafts) == (3, 3, 1)
    assert (report.counts.closed, report.counts.overdue, report.counts.returned) == (1, 1, 1)
    assert [m.text for m in report.overdue] == ["整治庸懒散"]


# -- the interfaces -----------------------------------------------------------------------------


def test_the_ranking_page_takes_a_campaign_and_offers_the_ones_the_user_sees(
    client, world, campaign, in_campaign, frozen_time
):
    client.force_login(world.zhou)

    page = client.get(
        reverse("rankings:index"),
        {"period": _key(campaign), "parent": world.county.pk, "kind": UnitKind.TOWNSHIP},
    )

    assert page.status_code == 200
    text = page.content.decode()
    assert f'<option value="{_key(campaign)}">{CAMPAIGN_NAME}（专项活动）</option>' in text
    assert "2024年9月2日至2024年12月31日" in text
    assert page.context["table"].period.campaign_id == campaign.pk


def test_the_ranking_page_refuses_a_campaign_out_of_scope_in_chinese(
    client, world, campaign, frozen_time
):
    client.force_login(world.chen)

    page = client.get(reverse("rankings:index"), {"period": _key(campaign)})

    assert page.status_code == 400
    assert (
        f"找不到专项活动“{_key(campaign)}”，或该活动不在您的管理范围内。" in page.content.decode()
    )
    assert _key(campaign) not in dict(page.context["form"].fields["period"].widget.options)


def test_the_report_page_counts_the_campaign_and_links_to_its_summary(
    client, world, campaign, in_campaign, frozen_time
):
    client.force_login(world.zhou)

    page = client.get(
        reverse("rankings:report"), {"unit": world.county.pk, "period": _key(campaign)}
    )

    assert page.status_code == 200
    assert page.context["report"].counts.measures == 3
    assert reverse("rankings:campaign_summary", args=[campaign.pk]) in page.content.decode()


def _api(user, path, now, **params):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user=user, now=now)}"}
    return Client().get(path, params, headers=headers)


def test_the_api_drafts_a_campaign_ranking_and_refuses_an_unseen_campaign(
    world, campaign, in_campaign, frozen_time
):
    query = {"period": _key(campaign), "parent": world.county.pk, "kind": "township"}
    seen = _api(world.zhou, "/api/rankings/draft", frozen_time, **query)
    unseen = _api(
        world.chen, "/api/rankings/draft", frozen_time, **query | {"parent": world.dongguan.pk}
    )

    assert seen.status_code == 200
    body = seen.json()
    assert (body["period"], body["period_label"]) == (_key(campaign), CAMPAIGN_NAME)
    assert [row["figures"]["live"] for row in body["rows"]] == [1.0, 1.0]
    assert unseen.status_code == 400
    assert unseen.json()["field"] == "period"
    assert "找不到专项活动" in unseen.json()["detail"]
