"""The campaigns, field research and 精文减会 endpoints: each rule once more through JSON."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from bihuan.ledger.models import Problem, Source
from bihuan.notify.models import Notification


def _campaign(api, world, **fields):
    body = {
        "name": "作风革命·效能革命",
        "organiser": world.county.pk,
        "units": [world.chengguan.pk, world.hexi.pk],
        "starts_on": "2024-09-02",
        "ends_on": "2024-12-31",
        **fields,
    }
    return api(world.zhou).post("/api/campaigns", body)


def test_a_campaign_is_created_with_six_stages_and_a_requirement_due_in_working_days(api, world):
    response = _campaign(api, world)

    assert response.status_code == 201
    campaign = response.json()
    assert [s["name"] for s in campaign["stages"]] == [
        "动员部署",
        "学习研讨",
        "调查研究",
        "查摆问题",
        "整改落实",
        "总结提升",
    ]
    stage = campaign["stages"][1]  # 学习研讨, from Sunday 22 September
    added = api(world.zhou).post(
        f"/api/campaigns/{campaign['id']}/requirements",
        {
            "stage": stage["id"],
            "activity": "material",
            "material_kind": "study",
            "per": "unit",
            "due_kind": "working_days",
            "due_working_days": 6,
        },
    )
    # 23–27 September, the make-up Sunday the 29th: six working days, the holiday after.
    assert added.status_code == 201
    assert (added.json()["due"], added.json()["label"]) == ("2024-09-29", "研讨材料（每个单位1份）")
    detail = api(world.li).get(f"/api/campaigns/{campaign['id']}").json()
    assert [r["due"] for r in detail["requirements"]] == ["2024-09-29"]


def test_status_urge_and_summary_through_the_api(api, world):
    campaign = _campaign(api, world).json()
    stage = campaign["stages"][1]
    api(world.zhou).post(
        f"/api/campaigns/{campaign['id']}/requirements",
        {
            "stage": stage["id"],
            "activity": "study",
            "per": "unit",
            "due_on": "2024-10-08",
        },
    )
    api(world.li).post(
        "/api/streamlining/meetings",
        {
            "unit": world.chengguan.pk,
            "held_on": "2024-09-23",
            "title": "专题学习研讨会",
            "kind": "study",
            "level": "township",
            "minutes": 90,
            "campaign": campaign["id"],
        },
    )

    status = api(world.zhou).get(f"/api/campaigns/{campaign['id']}/status").json()
    urged = api(world.zhou).post(f"/api/campaigns/{campaign['id']}/urge", {"message": "请抓紧"})
    summary = api(world.zhou).get(f"/api/campaigns/{campaign['id']}/summary").json()
    township = api(world.wang).get(f"/api/campaigns/{campaign['id']}/status").json()

    assert [(c["unit"]["name"], c["status"]) for c in status["cells"]] == [
        ("城关镇", "done"),
        ("河西乡", "pending"),
    ]
    assert urged.json() == {"urged": 1, "notified": 1, "nobody": []}
    assert Notification.objects.get().recipient == world.wang
    assert (summary["meetings"], summary["study_sessions"], summary["meeting_minutes"]) == (
        1,
        1,
        90,
    )
    assert [c["unit"]["name"] for c in township["cells"]] == ["河西乡"]


def test_a_campaign_outside_scope_is_not_found_and_a_bad_one_names_its_field(api, world):
    own = (
        api(world.qian)
        .post(
            "/api/campaigns",
            {
                "name": "城关镇作风整顿",
                "organiser": world.chengguan.pk,
                "units": [world.dongguan.pk],
                "starts_on": "2024-09-02",
                "ends_on": "2024-09-30",
            },
        )
        .json()
    )

    for path in ("", "/status", "/summary"):
        assert api(world.wang).get(f"/api/campaigns/{own['id']}{path}").status_code == 404
    assert api(world.wang).post(f"/api/campaigns/{own['id']}/urge", {}).status_code == 404
    refused = _campaign(api, world, units=[])
    assert (refused.status_code, refused.json()["field"]) == (400, "units")
    outside = api(world.qian).post(
        "/api/campaigns",
        {
            "name": "x",
            "organiser": world.chengguan.pk,
            "units": [world.xihe.pk],
            "starts_on": "2024-09-02",
            "ends_on": "2024-09-30",
        },
    )
    assert (outside.status_code, outside.json()["field"]) == (400, "units")


def test_a_visit_with_two_problems_goes_into_the_ledger_through_the_api(api, world):
    response = api(world.qian).post(
        "/api/visits",
        {
            "unit": world.chengguan.pk,
            "people": [world.qian.pk, world.sun.pk],
            "starts_on": "2024-09-20",
            "days": "1",
            "place_unit": world.dongguan.pk,
            "households": 18,
            "problems": [
                {"description": "垃圾清运不及时", "category": world.category.pk},
                {
                    "description": "便民服务站无人值守",
                    "unit": world.chengguan.pk,
                    "category": world.category.pk,
                    "measure": "落实轮值",
                },
            ],
        },
    )

    assert response.status_code == 201
    visit = response.json()
    assert [(p["description"], p["unit"]["name"]) for p in visit["problems"]] == [
        ("垃圾清运不及时", "东关村"),
        ("便民服务站无人值守", "城关镇"),
    ]
    assert set(Problem.objects.values_list("source", flat=True)) == {Source.VISIT}
    assert api(world.li).get(f"/api/visits/{visit['id']}").status_code == 200
    assert api(world.wang).get(f"/api/visits/{visit['id']}").status_code == 404


def test_a_bad_visit_is_refused_with_its_field_and_nothing_is_written(api, world):
    response = api(world.qian).post(
        "/api/visits",
        {
            "unit": world.chengguan.pk,
            "people": [world.qian.pk],
            "starts_on": "2024-09-20",
            "days": "2",
            "place_unit": world.dongguan.pk,
            "problems": [
                {"description": "x", "unit": world.hexi.pk, "category": world.category.pk}
            ],
        },
    )

    assert (response.status_code, response.json()["field"]) == (400, "problems")
    assert "第1个问题：责任单位" in response.json()["detail"]
    assert not Problem.objects.exists()


def test_days_and_coverage_move_with_each_visit(api, world):
    caller = api(world.zhou)
    caller.post("/api/fieldwork/households", {"unit": world.dongguan.pk, "count": 20})

    def figures():
        progress = caller.get("/api/fieldwork/progress", year=2024).json()
        days = next(row["days"] for row in progress if row["person"]["name"] == "钱书记")
        coverage = caller.get("/api/fieldwork/coverage", start="2024-01-01").json()
        village = next(v for v in coverage["villages"] if v["village"]["name"] == "东关村")
        return days, village["visited"], village["covered"], len(coverage["uncovered"])

    before = figures()
    for households in (12, 9):
        api(world.qian).post(
            "/api/visits",
            {
                "unit": world.chengguan.pk,
                "people": [world.qian.pk],
                "starts_on": "2024-09-20",
                "days": "1",
                "place_unit": world.dongguan.pk,
                "households": households,
            },
        )

    assert before == (0, 0, False, 2)
    assert figures() == (2, 21, True, 1)


def test_documents_meetings_and_the_year_on_year_figures(api, world):
    api(world.zhou).post(
        "/api/streamlining/targets",
        {"unit": world.county.pk, "year": 2024, "documents_cut_percent": 30},
    )
    uploaded = api(world.li).upload(
        "/api/streamlining/documents",
        {
            "unit": world.chengguan.pk,
            "number": "城发〔2024〕15号",
            "issued_on": "2024-09-20",
            "file": SimpleUploadedFile("通知.txt", "关于精简会议的通知".encode()),
        },
    )
    for day in ("2023-03-01", "2023-10-01"):
        api(world.li).upload(
            "/api/streamlining/documents",
            {
                "unit": world.chengguan.pk,
                "number": f"城发〔{day}〕",
                "issued_on": day,
                "file": SimpleUploadedFile("通知.txt", "关于秋季防火的通知".encode()),
            },
        )

    figures = api(world.li).get("/api/streamlining/figures").json()

    assert uploaded.status_code == 201
    assert uploaded.json()["chars"] == 9
    total = figures["rows"][0]
    assert total["unit"]["name"] == "城关镇"
    assert (total["this_year"]["documents"], total["same_days"]["documents"]) == (1, 1)
    assert total["last_year"]["documents"] == 2
    assert (total["documents_allowed"], total["target"]["unit"]["name"]) == (1, "青山县")
    doc = uploaded.json()["id"]
    assert api(world.wang).get(f"/api/streamlining/documents/{doc}/file").status_code == 404
    assert api(world.qian).get(f"/api/streamlining/documents/{doc}/file").status_code == 200
    outside = api(world.wang).get("/api/streamlining/figures", unit=world.chengguan.pk)
    assert (outside.status_code, outside.json()["field"]) == (400, "unit")


def test_a_meeting_in_the_future_is_refused(api, world):
    response = api(world.li).post(
        "/api/streamlining/meetings",
        {
            "unit": world.chengguan.pk,
            "held_on": (dt.date(2024, 9, 23) + dt.timedelta(days=1)).isoformat(),
            "title": "会",
            "kind": "work",
            "level": "township",
            "minutes": 30,
        },
    )

    assert (response.status_code, response.json()["field"]) == (400, "held_on")
