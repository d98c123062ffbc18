"""Correcting a campaign, its stages and its requirements through the API: the same rules as
the pages, refusals as {"detail", "field"}."""

import pytest

from bihuan.audit.models import AuditEntry
from bihuan.campaigns.models import Campaign, Requirement, Stage


def send(caller, method: str, path: str, body=None):
    """PATCH or DELETE as the caller (the shared Caller only gets and posts)."""
    return getattr(caller.client, method)(
        path, body or {}, content_type="application/json", headers=caller.headers
    )


@pytest.fixture
def campaign(api, world):
    """作风革命·效能革命, 2 September – 31 December 2024, with 研讨材料 due 8 October in 学习研讨."""
    body = {
        "name": "作风革命·效能革命",
        "organiser": world.county.pk,
        "units": [world.chengguan.pk, world.hexi.pk],
        "starts_on": "2024-09-02",
        "ends_on": "2024-12-31",
    }
    created = api(world.zhou).post("/api/campaigns", body).json()
    stage = created["stages"][1]
    api(world.zhou).post(
        f"/api/campaigns/{created['id']}/requirements",
        {
            "stage": stage["id"],
            "activity": "material",
            "material_kind": "study",
            "per": "unit",
            "due_on": "2024-10-08",
        },
    )
    return api(world.zhou).get(f"/api/campaigns/{created['id']}").json()


def test_the_campaign_is_renamed_and_extended_with_its_version(api, world, campaign):
    response = send(
        api(world.zhou),
        "patch",
        f"/api/campaigns/{campaign['id']}",
        {"name": "作风建设年", "ends_on": "2025-01-31", "version": campaign["version"]},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["ends_on"], body["version"]) == (
        "作风建设年",
        "2025-01-31",
        campaign["version"] + 1,
    )
    assert [unit["name"] for unit in body["units"]] == ["城关镇", "河西乡"]
    stale = send(
        api(world.zhou),
        "patch",
        f"/api/campaigns/{campaign['id']}",
        {"name": "又一个名字", "version": campaign["version"]},
    )
    assert (stale.status_code, stale.json()["field"]) == (409, "version")
    assert Campaign.objects.get().name == "作风建设年"


def test_a_campaign_edit_that_leaves_a_stage_outside_names_its_field(api, world, campaign):
    response = send(
        api(world.zhou), "patch", f"/api/campaigns/{campaign['id']}", {"ends_on": "2024-12-15"}
    )

    assert (response.status_code, response.json()["field"]) == (400, "ends_on")
    assert "第6阶段“总结提升”" in response.json()["detail"]
    assert Campaign.objects.get().ends_on.isoformat() == "2024-12-31"


def test_stages_are_added_redated_and_removed(api, world, campaign):
    caller = api(world.zhou)
    base = f"/api/campaigns/{campaign['id']}/stages"

    added = caller.post(
        base, {"name": "回头看", "starts_on": "2024-12-25", "ends_on": "2024-12-31"}
    )
    stage = campaign["stages"][2]
    redated = send(caller, "patch", f"{base}/{stage['id']}", {"ends_on": "2024-10-25"})
    removed = send(caller, "delete", f"{base}/{stage['id']}")

    assert (added.status_code, added.json()["order"]) == (201, 7)
    assert (redated.status_code, redated.json()["ends_on"]) == (200, "2024-10-25")
    assert removed.status_code == 204
    detail = caller.get(f"/api/campaigns/{campaign['id']}").json()
    assert [(s["order"], s["name"]) for s in detail["stages"]] == [
        (1, "动员部署"),
        (2, "学习研讨"),
        (3, "查摆问题"),
        (4, "整改落实"),
        (5, "总结提升"),
        (6, "回头看"),
    ]
    assert caller.get(f"{base}/{stage['id']}").status_code == 404
    actions = list(
        AuditEntry.objects.filter(object_type="campaigns.stage").values_list("action", flat=True)
    )
    assert actions == ["change", "change", "create"]


def test_a_stage_refusal_names_its_field(api, world, campaign):
    caller = api(world.zhou)
    stage = campaign["stages"][1]
    path = f"/api/campaigns/{campaign['id']}/stages/{stage['id']}"

    early = send(caller, "patch", path, {"starts_on": "2024-09-01"})
    short = send(caller, "patch", path, {"ends_on": "2024-10-01"})

    assert (early.status_code, early.json()["field"]) == (400, "starts_on")
    assert (short.status_code, short.json()["field"]) == (400, "ends_on")
    assert "研讨材料（每个单位1份）" in short.json()["detail"]
    assert Stage.objects.get(pk=stage["id"]).ends_on.isoformat() == "2024-10-11"


def test_a_requirement_is_read_corrected_and_deleted(api, world, campaign):
    caller = api(world.zhou)
    requirement = campaign["requirements"][0]
    path = f"/api/campaigns/{campaign['id']}/requirements/{requirement['id']}"

    read = caller.get(path)
    corrected = send(
        caller,
        "patch",
        path,
        {"per": "person", "roles": ["leader"], "due_kind": "working_days", "due_working_days": 3},
    )
    outside = send(caller, "patch", path, {"due_kind": "date", "due_on": "2024-10-20"})

    assert read.json()["due"] == "2024-10-08"
    assert corrected.status_code == 200
    assert (corrected.json()["per"], corrected.json()["roles"], corrected.json()["due"]) == (
        "person",
        ["leader"],
        "2024-09-25",
    )
    assert corrected.json()["label"] == "研讨材料（每名干部1份）"
    assert (outside.status_code, outside.json()["field"]) == (400, "due_on")
    status = caller.get(f"/api/campaigns/{campaign['id']}/status").json()
    assert [cell["person"]["name"] for cell in status["cells"]] == ["钱书记"]
    assert send(caller, "delete", path).status_code == 204
    assert not Requirement.objects.exists()


def test_a_requirement_may_not_move_to_a_stage_of_another_campaign(api, world, campaign):
    other = api(world.zhou).post(
        "/api/campaigns",
        {
            "name": "另一个活动",
            "organiser": world.county.pk,
            "units": [world.chengguan.pk],
            "starts_on": "2024-09-02",
            "ends_on": "2024-12-31",
        },
    )
    requirement = campaign["requirements"][0]

    response = send(
        api(world.zhou),
        "patch",
        f"/api/campaigns/{campaign['id']}/requirements/{requirement['id']}",
        {"stage": other.json()["stages"][1]["id"]},
    )

    assert (response.status_code, response.json()["field"]) == (400, "stage")


def test_others_may_not_correct_and_outsiders_find_nothing(api, world, campaign):
    requirement = campaign["requirements"][0]
    stage = campaign["stages"][1]
    base = f"/api/campaigns/{campaign['id']}"
    own = api(world.qian).post(
        "/api/campaigns",
        {
            "name": "城关镇作风整顿",
            "organiser": world.chengguan.pk,
            "units": [world.dongguan.pk],
            "starts_on": "2024-09-02",
            "ends_on": "2024-09-30",
        },
    )
    own_stage = own.json()["stages"][0]

    refused = [
        send(api(world.qian), "patch", base, {"name": "x"}),
        send(api(world.qian), "patch", f"{base}/stages/{stage['id']}", {"name": "x"}),
        send(api(world.qian), "delete", f"{base}/requirements/{requirement['id']}"),
        api(world.li).post(f"{base}/stages", {"name": "x", "starts_on": "2024-09-02",
                                              "ends_on": "2024-09-03"}),
    ]  # fmt: skip
    hidden = [
        send(api(world.wang), "patch", f"/api/campaigns/{own.json()['id']}", {"name": "x"}),
        send(
            api(world.wang),
            "delete",
            f"/api/campaigns/{own.json()['id']}/stages/{own_stage['id']}",
        ),
        # A stage id of one campaign under another's path.
        send(api(world.zhou), "delete", f"{base}/stages/{own_stage['id']}"),
    ]

    assert [response.status_code for response in refused] == [403, 403, 403, 403]
    assert [response.status_code for response in hidden] == [404, 404, 404]
    assert Campaign.objects.get(pk=campaign["id"]).name == "作风革命·效能革命"
    assert Requirement.objects.count() == 1
    assert Stage.objects.count() == 12  # six each
