"""A supervisor sees, per campaign, the materials whose 复制比 is above the threshold."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from bihuan.campaigns.models import Campaign
from bihuan.conftest import at
from bihuan.materials.dupcheck import material_dupcheck
from bihuan.materials.library import reference_add
from bihuan.materials.services import material_upload
from bihuan.materials.tests.materials_texts import ANALYSIS
from bihuan.text.tests.dupcheck_texts import (
    DISGUISED,
    INDEPENDENT,
    ORIGINAL,
    P2,
    P3,
    P4,
    SHORT_COPY,
    UNRELATED,
)

ROW = re.compile(r'<a href="/materials/(\d+)/#dupcheck">')
HEADING = re.compile(r'<h2 class="h6 mb-0" id="campaign-\d+">([^<]+)</h2>')


@pytest.fixture
def upload(world):
    def upload(text, *, author=None, kind="study", when=None, name="发言.txt", campaign=None):
        author = author or world.sun
        return material_upload(
            data=text.encode(),
            filename=name,
            kind=kind,
            author=author,
            by=author,
            now=when or at(2024, 9, 23),
            campaign=campaign,
        )

    return upload


@pytest.fixture
def campaigns(upload, world, now):
    """This year's 研讨 of 城关镇 and 河西乡, and last year's 剖析材料 of 城关镇."""
    reference_add(text=ORIGINAL, name="范文", source_name="某范文网", now=now)
    return {
        "copied": upload(DISGUISED),  # 87.7 %
        "short": upload(SHORT_COPY, author=world.li),  # 100 %
        "mixed": upload(  # 24.5 %
            "\n".join([P2, UNRELATED, UNRELATED.replace("柳河村", "桃源村")]), author=world.li
        ),
        "own": upload(INDEPENDENT),  # 0 %
        "hexi": upload(SHORT_COPY, author=world.wang),  # 100 %, 河西乡
        "last_year": upload("\n".join([P3, P4]), kind="analysis", when=at(2023, 12, 20)),  # 100 %
    }


def shown(client, **query):
    page = client.get(reverse("materials:dupcheck_report"), query).content.decode()
    return HEADING.findall(page), [int(pk) for pk in ROW.findall(page)]


def test_materials_above_the_threshold_are_listed_per_campaign_highest_first(
    client, campaigns, world
):
    client.force_login(world.zhou)

    headings, rows = shown(client)

    assert headings == ["2024年 · 研讨材料（未注明活动）", "2023年 · 个人剖析材料（未注明活动）"]
    assert rows == [
        campaigns["short"].pk,  # 100 %, uploaded before the next
        campaigns["hexi"].pk,  # 100 %
        campaigns["copied"].pk,  # 87.7 %
        campaigns["last_year"].pk,
    ]


def test_the_threshold_comes_from_the_settings_and_the_page_can_lower_it(
    client, campaigns, world, settings
):
    mixed = campaigns["mixed"].dupchecks.get()
    settings.BIHUAN_DUPCHECK_THRESHOLD_PERCENT = 90
    client.force_login(world.zhou)

    _, strict = shown(client)
    _, lenient = shown(client, threshold=int(mixed.copy_ratio * 100))

    assert strict == [campaigns["short"].pk, campaigns["hexi"].pk, campaigns["last_year"].pk]
    assert campaigns["mixed"].pk in lenient and campaigns["own"].pk not in lenient


def test_the_page_filters_by_campaign(client, campaigns, world):
    client.force_login(world.zhou)

    headings, rows = shown(client, year=2023)
    by_kind, _ = shown(client, kind="study")

    assert (headings, rows) == (
        ["2023年 · 个人剖析材料（未注明活动）"],
        [campaigns["last_year"].pk],
    )
    assert by_kind == ["2024年 · 研讨材料（未注明活动）"]


def test_a_township_supervisor_sees_only_the_township_and_others_are_refused(
    client, campaigns, world
):
    client.force_login(world.qian)  # 城关镇's supervisor
    _, rows = shown(client)
    client.force_login(world.li)
    refused = client.get(reverse("materials:dupcheck_report"))

    assert campaigns["hexi"].pk not in rows and campaigns["short"].pk in rows
    assert refused.status_code == 403


def test_only_the_latest_check_of_a_material_counts(client, campaigns, world, now):
    material = campaigns["copied"]
    material.clean_text = ANALYSIS
    material_dupcheck(material=material, by=world.zhou, now=now)
    client.force_login(world.zhou)

    _, rows = shown(client)

    assert material.pk not in rows


def test_materials_submitted_for_a_campaign_are_listed_under_it(client, upload, world, now):
    campaign = Campaign.objects.create(
        name="作风革命·效能革命",
        organiser=world.county,
        starts_on=dt.date(2024, 9, 1),
        ends_on=dt.date(2024, 12, 31),
        created_by=world.zhou,
        created_at=now,
    )
    campaign.units.add(world.chengguan)
    reference_add(text=ORIGINAL, name="范文", source_name="某范文网", now=now)
    tagged = upload(SHORT_COPY, campaign=campaign)
    untagged = upload(DISGUISED)
    client.force_login(world.zhou)

    headings, rows = shown(client)
    chosen, chosen_rows = shown(client, campaign=campaign.pk)

    assert headings == ["作风革命·效能革命", "2024年 · 研讨材料（未注明活动）"]
    assert rows == [tagged.pk, untagged.pk]
    assert (chosen, chosen_rows) == (["作风革命·效能革命"], [tagged.pk])
