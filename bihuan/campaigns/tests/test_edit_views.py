"""The pages that correct a campaign: the edit page (the campaign, its stages) and a
requirement's page. Today is Monday 23 September 2024."""

import datetime as dt

import pytest
from django.utils import timezone

from bihuan.audit.models import AuditEntry
from bihuan.campaigns.models import Activity, Campaign, Per, Requirement
from bihuan.materials.models import MaterialKind

D = dt.date


@pytest.fixture(autouse=True)
def _today(monkeypatch, now):
    monkeypatch.setattr(timezone, "now", lambda: now)


@pytest.fixture
def papers(require):
    return require(
        2, Activity.MATERIAL, Per.UNIT, material_kind=MaterialKind.STUDY, due_on=D(2024, 10, 8)
    )


def _version(campaign) -> int:
    return Campaign.objects.values_list("version", flat=True).get(pk=campaign.pk)


def _header(campaign, world, **fields):
    return {
        "name": campaign.name,
        "organiser": world.county.pk,
        "starts_on": "2024-09-02",
        "ends_on": "2024-12-31",
        "units": [world.chengguan.pk, world.hexi.pk],
        "description": "",
        "version": _version(campaign),
        **fields,
    }


def test_the_organiser_finds_the_edit_page_from_the_campaign_and_a_handler_does_not(
    client, campaign, papers, world
):
    client.force_login(world.zhou)
    page = client.get(campaign.get_absolute_url()).content.decode()
    edit = client.get(f"/campaigns/{campaign.pk}/edit/")

    assert f'href="/campaigns/{campaign.pk}/edit/"' in page
    assert f'href="/campaigns/{campaign.pk}/requirements/{papers.pk}/"' in page
    assert edit.status_code == 200
    assert [stage.name for stage, _ in edit.context["stages"]][:2] == ["动员部署", "学习研讨"]
    assert [r.pk for r, _ in edit.context["requirements"]] == [papers.pk]
    client.force_login(world.li)
    assert (
        f"/campaigns/{campaign.pk}/edit/"
        not in client.get(campaign.get_absolute_url()).content.decode()
    )
    assert client.get(f"/campaigns/{campaign.pk}/edit/").status_code == 403


def test_the_organiser_renames_the_campaign_on_the_edit_page(client, campaign, world):
    client.force_login(world.zhou)

    response = client.post(
        f"/campaigns/{campaign.pk}/edit/", _header(campaign, world, name="作风建设年")
    )

    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).name == "作风建设年"
    assert "已保存活动的修改。" in client.get(response.url).content.decode()


def test_dates_that_leave_a_stage_outside_come_back_on_their_field(client, campaign, world):
    client.force_login(world.zhou)

    response = client.post(
        f"/campaigns/{campaign.pk}/edit/", _header(campaign, world, starts_on="2024-09-10")
    )

    assert response.status_code == 400
    assert "第1阶段“动员部署”" in response.context["form"].errors["starts_on"][0]
    assert Campaign.objects.get(pk=campaign.pk).starts_on == D(2024, 9, 2)


def test_a_page_drawn_before_another_change_is_refused(client, campaign, world):
    client.force_login(world.zhou)
    stale = _header(campaign, world, name="甲")
    client.post(f"/campaigns/{campaign.pk}/edit/", _header(campaign, world, name="乙"))

    response = client.post(f"/campaigns/{campaign.pk}/edit/", stale)

    assert response.status_code == 400
    assert "该活动已被他人修改" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).name == "乙"


def test_a_stage_is_redated_and_a_bad_date_comes_back_on_its_field(client, campaign, papers, world):
    client.force_login(world.zhou)
    stage = papers.stage
    prefix = f"stage-{stage.pk}"

    refused = client.post(
        f"/campaigns/{campaign.pk}/stages/{stage.pk}/",
        {
            f"{prefix}-name": "学习研讨",
            f"{prefix}-starts_on": "2024-09-22",
            f"{prefix}-ends_on": "2024-10-05",
            f"{prefix}-version": _version(campaign),
        },
    )
    saved = client.post(
        f"/campaigns/{campaign.pk}/stages/{stage.pk}/",
        {
            f"{prefix}-name": "专题研讨",
            f"{prefix}-starts_on": "2024-09-22",
            f"{prefix}-ends_on": "2024-10-10",
            f"{prefix}-version": _version(campaign),
        },
    )

    assert refused.status_code == 400
    form = dict(refused.context["stages"])[stage]
    assert "请先修改或删除该要求" in form.errors["ends_on"][0]
    assert saved.status_code == 302
    stage.refresh_from_db()
    assert (stage.name, stage.ends_on) == ("专题研讨", D(2024, 10, 10))


def test_a_stage_is_added_and_an_empty_one_removed(client, campaign, world):
    client.force_login(world.zhou)

    added = client.post(
        f"/campaigns/{campaign.pk}/stages/",
        {
            "new-name": "回头看",
            "new-starts_on": "2024-12-25",
            "new-ends_on": "2024-12-31",
            "new-version": _version(campaign),
        },
    )
    third = campaign.stages.get(order=3)
    removed = client.post(
        f"/campaigns/{campaign.pk}/stages/{third.pk}/delete/", {"version": _version(campaign)}
    )

    assert (added.status_code, removed.status_code) == (302, 302)
    assert list(campaign.stages.values_list("name", flat=True)) == [
        "动员部署",
        "学习研讨",
        "查摆问题",
        "整改落实",
        "总结提升",
        "回头看",
    ]
    assert "已删除阶段“调查研究”。" in client.get(removed.url).content.decode()


def test_a_stage_with_a_submission_stays_and_the_page_says_why(
    client, campaign, papers, submit, world
):
    submit(world.sun, MaterialKind.STUDY, D(2024, 9, 23))
    client.force_login(world.zhou)

    response = client.post(
        f"/campaigns/{campaign.pk}/stages/{papers.stage_id}/delete/",
        {"version": _version(campaign)},
        follow=True,
    )

    assert "已有单位或干部完成或部分完成，不能删除该阶段" in response.content.decode()
    assert campaign.stages.count() == 6
    assert Requirement.objects.filter(pk=papers.pk).exists()


def test_a_requirement_is_corrected_on_its_page(client, campaign, papers, world):
    client.force_login(world.zhou)
    path = f"/campaigns/{campaign.pk}/requirements/{papers.pk}/"
    form = client.get(path).context["form"]
    data = {
        "stage": papers.stage_id,
        "activity": "material",
        "material_kind": "research",
        "per": "unit",
        "quantity": 2,
        "due_kind": "date",
        "due_on": "2024-10-10",
        "note": "",
        "version": form.initial["version"],
    }

    response = client.post(path, data)

    assert form.initial["due_on"] == D(2024, 10, 8)
    assert response.status_code == 302
    papers.refresh_from_db()
    assert (papers.material_kind, papers.quantity, papers.due_on) == (
        "research",
        2,
        D(2024, 10, 10),
    )
    assert AuditEntry.objects.filter(
        object_type="campaigns.requirement", object_id=str(papers.pk), action="change"
    ).exists()


def test_a_requirement_due_after_its_stage_comes_back_on_the_due_field(
    client, campaign, papers, world
):
    client.force_login(world.zhou)
    path = f"/campaigns/{campaign.pk}/requirements/{papers.pk}/"

    response = client.post(
        path,
        {
            "stage": papers.stage_id,
            "activity": "material",
            "material_kind": "study",
            "per": "unit",
            "quantity": 1,
            "due_kind": "date",
            "due_on": "2024-10-20",
            "version": _version(campaign),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["due_on"] == [
        "截止日期2024-10-20晚于阶段“学习研讨”的结束日期2024-10-11：截止日期须在本阶段内。"
    ]
    papers.refresh_from_db()
    assert papers.due_on == D(2024, 10, 8)


def test_a_requirement_is_deleted(client, campaign, papers, world):
    client.force_login(world.zhou)

    response = client.post(
        f"/campaigns/{campaign.pk}/requirements/{papers.pk}/delete/",
        {"version": _version(campaign)},
    )

    assert response.status_code == 302
    assert not Requirement.objects.exists()


def test_a_supervisor_who_only_takes_part_may_not_correct(client, campaign, papers, world):
    client.force_login(world.qian)
    version = _version(campaign)

    pages = [
        client.get(f"/campaigns/{campaign.pk}/edit/"),
        client.get(f"/campaigns/{campaign.pk}/requirements/{papers.pk}/"),
        client.post(
            f"/campaigns/{campaign.pk}/requirements/{papers.pk}/delete/", {"version": version}
        ),
        client.post(
            f"/campaigns/{campaign.pk}/stages/{papers.stage_id}/delete/", {"version": version}
        ),
    ]

    assert [page.status_code for page in pages] == [403, 403, 403, 403]
    assert Requirement.objects.filter(pk=papers.pk).exists()
    assert campaign.stages.count() == 6
