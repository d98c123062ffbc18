import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bihuan.campaigns.models import Activity, Campaign, Per, Requirement
from bihuan.campaigns.services import CampaignSpec, campaign_create
from bihuan.materials.models import MaterialKind
from bihuan.notify.models import Notification

D = dt.date


@pytest.fixture(autouse=True)
def _today(monkeypatch, now):
    monkeypatch.setattr(timezone, "now", lambda: now)


@pytest.fixture
def papers(require):
    return require(
        2, Activity.MATERIAL, Per.UNIT, material_kind=MaterialKind.STUDY, due_on=D(2024, 10, 8)
    )


def test_the_campaign_page_shows_each_townships_status_and_offers_to_urge(
    client, campaign, papers, submit, world
):
    submit(world.sun, MaterialKind.STUDY, D(2024, 9, 23))
    client.force_login(world.zhou)

    page = client.get(campaign.get_absolute_url())

    assert page.status_code == 200
    rows = dict(page.context["status"].unit_rows)
    assert [cell.status_label for cell in rows[world.chengguan]] == ["已完成"]
    assert [cell.status_label for cell in rows[world.hexi]] == ["待完成"]
    html = page.content.decode()
    assert "研讨材料（每个单位1份）" in html
    assert "催办未完成（1）" in html
    # Its problem list is the ledger filtered by it; its summary is one click away.
    assert f'href="/ledger/?campaign={campaign.pk}"' in html
    assert f'href="/rankings/campaign/{campaign.pk}/summary/"' in html


def test_one_click_urges_the_missing_and_says_so(client, campaign, papers, world):
    client.force_login(world.zhou)

    response = client.post(
        f"/campaigns/{campaign.pk}/urge/", {"requirement": papers.pk}, follow=True
    )

    assert response.redirect_chain[-1][0] == campaign.get_absolute_url()
    assert "已催办 2 项，通知 2 人次。" in response.content.decode()
    assert set(Notification.objects.values_list("recipient__name", flat=True)) == {
        "李承办",
        "王承办",
    }
    assert "已催办" in client.get(campaign.get_absolute_url()).content.decode()


def test_a_handler_sees_the_page_but_no_urge_button_and_may_not_urge(
    client, campaign, papers, world
):
    client.force_login(world.wang)

    page = client.get(campaign.get_absolute_url())
    response = client.post(f"/campaigns/{campaign.pk}/urge/", follow=True)

    assert "催办未完成" not in page.content.decode()
    assert "只有督查员可以催办。" in response.content.decode()
    assert not Notification.objects.exists()


def test_another_townships_campaign_is_not_found(client, world, now):
    own = campaign_create(
        spec=CampaignSpec(
            name="城关镇作风整顿",
            organiser=world.chengguan,
            units=(world.dongguan,),
            starts_on=D(2024, 9, 1),
            ends_on=D(2024, 9, 30),
        ),
        by=world.qian,
        now=now,
    )
    client.force_login(world.wang)

    assert client.get(own.get_absolute_url()).status_code == 404
    assert client.post(f"/campaigns/{own.pk}/urge/").status_code == 404
    assert list(client.get("/campaigns/").context["page"]) == []


def test_a_supervisor_creates_a_campaign_with_the_usual_stages(client, world):
    client.force_login(world.zhou)
    form = {
        "name": "主题教育",
        "organiser": world.county.pk,
        "starts_on": "2024-10-08",
        "ends_on": "2024-12-31",
        "units": [world.chengguan.pk, world.hexi.pk],
        "stages-TOTAL_FORMS": "6",
        "stages-INITIAL_FORMS": "0",
        **{
            f"stages-{n}-name": name
            for n, name in enumerate(
                ["动员部署", "学习研讨", "调查研究", "查摆问题", "整改落实", "总结提升"]
            )
        },
    }

    page = client.get("/campaigns/new/")
    response = client.post("/campaigns/new/", form)

    assert page.status_code == 200
    assert 'value="动员部署"' in page.content.decode()
    campaign = Campaign.objects.get()
    assert response.url == campaign.get_absolute_url()
    assert campaign.stages.count() == 6
    assert campaign.stages.last().ends_on == D(2024, 12, 31)


def test_a_campaign_form_with_some_stage_dates_only_is_refused(client, world):
    client.force_login(world.zhou)
    form = {
        "name": "主题教育",
        "organiser": world.county.pk,
        "starts_on": "2024-10-08",
        "ends_on": "2024-12-31",
        "units": [world.chengguan.pk],
        "stages-TOTAL_FORMS": "2",
        "stages-INITIAL_FORMS": "0",
        "stages-0-name": "动员部署",
        "stages-0-starts_on": "2024-10-08",
        "stages-0-ends_on": "2024-10-31",
        "stages-1-name": "整改落实",
    }

    response = client.post("/campaigns/new/", form)

    assert response.status_code == 400
    assert "要么都填，要么都不填" in response.content.decode()
    assert not Campaign.objects.exists()


def test_the_organiser_adds_a_requirement_due_in_working_days(client, campaign, world):
    client.force_login(world.zhou)
    stage = campaign.stages.get(order=3)

    client.post(
        f"/campaigns/{campaign.pk}/requirements/",
        {
            "stage": stage.pk,
            "activity": "material",
            "material_kind": "research",
            "per": "unit",
            "quantity": 1,
            "due_kind": "working_days",
            "due_working_days": 10,
        },
    )

    requirement = Requirement.objects.get()
    assert (requirement.stage, requirement.due_working_days, requirement.due_on) == (
        stage,
        10,
        None,
    )


def test_the_campaign_page_reads_a_fixed_number_of_queries(
    client, campaign, papers, require, submit, hold, visit, world
):
    require(1, Activity.VISIT, Per.PERSON, due_on=D(2024, 9, 20))
    client.force_login(world.zhou)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(campaign.get_absolute_url()).status_code == 200
        return len(queries)

    before = count()
    submit(world.sun, MaterialKind.STUDY, D(2024, 9, 23))
    hold(world.hexi, world.wang, D(2024, 9, 11))
    visit([world.qian, world.sun], D(2024, 9, 12))
    client.post(f"/campaigns/{campaign.pk}/urge/")

    assert count() == before
