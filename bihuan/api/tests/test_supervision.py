"""督办事项 through the API: the issue's story, refusals that write nothing, scope and paging."""

import pytest

from bihuan.conftest import PASSWORD
from bihuan.org.models import Role
from bihuan.org.services import user_create
from bihuan.supervision.models import PartnerPart, SupervisionEvent, SupervisionItem


@pytest.fixture
def feng(world):
    """冯主任: the county office's contact."""
    return user_create(
        username="feng", name="冯主任", unit=world.office, roles=[Role.HANDLER],
        password=PASSWORD, must_change_password=False,
    )  # fmt: skip


def instruction(world, **fields) -> dict:
    return {
        "source": "instruction",
        "title": "背街小巷环境整治",
        "instruction": "请城关镇牵头，河西乡、县委办配合，月底前整治到位。",
        "instructed_by": "县委书记张三",
        "instructed_on": "2024-09-20",
        "owner_unit": world.chengguan.pk,
        "partner_units": [world.hexi.pk, world.office.pk],
        "deadline": "2024-10-31",
        **fields,
    }


@pytest.fixture
def item(api, world, feng) -> dict:
    response = api(world.zhou).post("/api/supervision/items", instruction(world))
    assert response.status_code == 201, response.json()
    return response.json()


def snapshot() -> tuple:
    return (
        list(SupervisionItem.objects.values_list("pk", "state", "version")),
        list(PartnerPart.objects.values_list("pk", "state", "version")),
        SupervisionEvent.objects.count(),
    )


def test_a_leaders_instruction_runs_its_course_through_the_api(api, item, world, feng):
    url = f"/api/supervision/items/{item['id']}"
    parts = {part["unit"]["name"]: part["id"] for part in item["partners"]}
    assert (item["state"], item["state_label"], item["light"]) == ("pending", "待签收", "green")
    assert item["assigning_unit"]["name"] == "青山县"

    lead = api(world.li)
    assert lead.post(f"{url}/transitions", {"action": "acknowledge"}).status_code == 200
    acknowledged = api(world.wang).post(f"{url}/partners/{parts['河西乡']}/acknowledge")
    assert acknowledged.json()["state_label"] == "已签收"
    reported = api(world.wang).post(f"{url}/partners/{parts['河西乡']}/report", {"text": "已清运"})
    assert (reported.status_code, reported.json()["state"]) == (200, "reported")
    api(feng).post(f"{url}/partners/{parts['中共青山县委办公室']}/report", {"text": "已拨付经费"})
    assert lead.post(f"{url}/progress", {"text": "主街完工"}).status_code == 201
    submitted = lead.post(f"{url}/transitions", {"action": "submit", "comment": "全部完成"})
    assert submitted.json()["state_label"] == "申请办结"
    closed = api(world.zhao).post(f"{url}/transitions", {"action": "close"})

    body = closed.json()
    assert (body["state"], body["state_label"], body["closed_on_time"]) == (
        "closed",
        "已办结",
        True,
    )
    assert [event["action_label"] for event in body["events"]] == [
        "登记", "交办", "签收", "配合单位签收", "配合单位反馈", "配合单位反馈",
        "反馈进展", "申请办结", "办结",
    ]  # fmt: skip
    assert [p["report"] for p in body["partners"]] == ["已清运", "已拨付经费"]
    assert body["progress"][0]["text"] == "主街完工"


def test_the_lead_cannot_submit_before_the_partners_report_and_nothing_is_written(api, item, world):
    url = f"/api/supervision/items/{item['id']}/transitions"
    api(world.li).post(url, {"action": "acknowledge"})
    before = snapshot()

    response = api(world.li).post(url, {"action": "submit"})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "配合单位河西乡、中共青山县委办公室尚未反馈，不能申请办结；"
        "确实无须其反馈的，请督查员免予反馈。",
        "field": "state",
    }
    assert snapshot() == before


def test_a_supervisor_excuses_a_partner_with_a_reason(api, item, world):
    part = item["partners"][0]["id"]
    url = f"/api/supervision/items/{item['id']}/partners/{part}/waive"
    assert api(world.zhou).post(url, {"reason": ""}).status_code == 400
    assert api(world.li).post(url, {"reason": "无须"}).status_code == 403

    response = api(world.zhou).post(url, {"reason": "已无承担事项"})

    assert (response.json()["state"], response.json()["report"]) == ("waived", "已无承担事项")


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"owner_unit": 999_999}, 400, "owner_unit"),
        ({"partner_units": [999_999]}, 400, "partner_units"),
        ({"deadline": "2024-09-01"}, 400, "deadline"),
        ({"source": "rumour"}, 422, "source"),
        ({"title": ""}, 400, "title"),
    ],
)
def test_registering_refuses_bad_input_naming_the_field(api, world, fields, status, field):
    response = api(world.zhou).post("/api/supervision/items", instruction(world, **fields))
    assert (response.status_code, response.json()["field"]) == (status, field)
    assert not SupervisionItem.objects.exists()


def test_a_handler_cannot_register(api, world):
    body = instruction(world, partner_units=[])
    response = api(world.li).post("/api/supervision/items", body)
    assert response.status_code == 403
    assert not SupervisionItem.objects.exists()


def test_another_township_finds_nothing_of_an_item_it_has_no_part_in(api, world, feng):
    body = instruction(world, partner_units=[world.office.pk])
    item = api(world.zhou).post("/api/supervision/items", body).json()
    part = item["partners"][0]["id"]
    wang = api(world.wang)
    before = snapshot()

    assert wang.get("/api/supervision/items").json() == {"count": 0, "results": []}
    assert wang.get(f"/api/supervision/items/{item['id']}").status_code == 404
    url = f"/api/supervision/items/{item['id']}/partners/{part}/report"
    assert wang.post(url, {"text": "x"}).status_code == 404
    assert snapshot() == before


def test_a_part_of_another_item_is_not_found_under_this_one(api, item, world, feng):
    other = api(world.zhou).post("/api/supervision/items", instruction(world)).json()
    part = other["partners"][0]["id"]
    response = api(world.wang).post(
        f"/api/supervision/items/{item['id']}/partners/{part}/report", {"text": "x"}
    )
    assert response.status_code == 404


def test_the_list_filters_and_pages(api, item, world):
    api(world.zhou).post(
        "/api/supervision/items",
        instruction(world, title="会议议定", source="meeting", assign=False),
    )
    zhou = api(world.zhou)

    def titles(**params):
        return [
            row["title"] for row in zhou.get("/api/supervision/items", **params).json()["results"]
        ]

    assert titles(source="meeting") == ["会议议定"]
    assert titles(state="pending") == ["背街小巷环境整治"]
    assert titles(keyword="会议") == ["会议议定"]
    assert titles(unit=world.hexi.pk) == ["会议议定", "背街小巷环境整治"]
    page = zhou.get("/api/supervision/items", page_size=1, page=2).json()
    assert (page["count"], len(page["results"])) == (2, 1)
    assert zhou.get("/api/supervision/items", sort="random").status_code == 422


def test_the_list_runs_the_same_queries_for_more_items(
    api, item, world, django_assert_max_num_queries
):
    zhou = api(world.zhou)
    with django_assert_max_num_queries(20) as few:
        zhou.get("/api/supervision/items")
    # Read now: the requests below clear the connection's query log.
    queries = len(few.captured_queries)
    for _ in range(6):
        zhou.post("/api/supervision/items", instruction(world))
    with django_assert_max_num_queries(queries):
        assert len(zhou.get("/api/supervision/items").json()["results"]) == 7


def test_an_extension_is_reviewed_then_approved(api, item, world):
    asked = api(world.li).post(
        f"/api/supervision/items/{item['id']}/extensions",
        {"new_deadline": "2024-11-15", "reason": "雨季施工受阻"},
    )
    assert asked.status_code == 201
    extension = asked.json()["id"]
    review = f"/api/supervision/extensions/{extension}/review"
    decision = f"/api/supervision/extensions/{extension}/decision"
    # 河西乡 helps, so it sees the request, but only the assigning unit decides.
    assert api(world.wang).post(review, {"approve": True}).status_code == 403
    assert api(world.qian).post(review, {"approve": True}).status_code == 403
    early = api(world.zhao).post(decision, {"approve": True})
    assert (early.status_code, early.json()["field"]) == (400, "state")

    reviewed = api(world.zhou).post(review, {"approve": True, "comment": "情况属实"})
    assert (reviewed.json()["state_label"], reviewed.json()["reviewed_by"]["name"]) == (
        "待审批",
        "周督查",
    )
    assert api(world.zhou).post(decision, {"approve": True}).status_code == 403
    decided = api(world.zhao).post(decision, {"approve": True, "comment": "同意"})

    assert decided.json()["state_label"] == "已同意"
    detail = api(world.li).get(f"/api/supervision/items/{item['id']}").json()
    assert (detail["deadline"], detail["original_deadline"]) == ("2024-11-15", "2024-10-31")


def test_figures_per_unit_and_escalation(api, item, world, now):
    rows = api(world.zhou).get("/api/supervision/figures").json()
    chengguan = next(row for row in rows if row["unit"]["name"] == "城关镇")
    assert (chengguan["assigned"], chengguan["feedback_rate"], chengguan["overdue"]) == (1, None, 0)

    escalated = api(world.zhou).post("/api/supervision/escalations", {"dry_run": True})
    assert escalated.json() == []
    assert api(world.li).post("/api/supervision/escalations", {}).status_code == 403


def test_progress_with_evidence_is_posted_and_downloaded_within_scope(api, item, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/api/supervision/items/{item['id']}"
    api(world.li).post(f"{url}/transitions", {"action": "acknowledge"})
    posted = api(world.li).upload(
        f"{url}/progress/files",
        {
            "text": "主街已整治",
            "files": [SimpleUploadedFile("现场.pdf", b"%PDF-1.4 photo", "application/pdf")],
        },
    )
    assert posted.status_code == 201, posted.json()
    [evidence] = posted.json()["evidence"]
    assert (evidence["name"], evidence["size"]) == ("现场.pdf", 14)

    download = api(world.zhou).get(evidence["url"])
    assert b"".join(download.streaming_content) == b"%PDF-1.4 photo"
    assert api(world.wang).get(evidence["url"]).status_code == 200  # a partner sees it
    refused = api(world.li).upload(
        f"{url}/progress/files",
        {"text": "再报", "files": [SimpleUploadedFile("a.pdf", b"MZ\x90\x00 program")]},
    )
    assert (refused.status_code, refused.json()["field"]) == (400, "files")


def test_an_item_and_a_filtered_list_are_urged_and_counted(api, item, world):
    url = f"/api/supervision/items/{item['id']}"
    assert api(world.li).post(f"{url}/urge", {"message": "快"}).status_code == 403

    zhou = api(world.zhou)
    one = zhou.post(f"{url}/urge", {"message": "请今天签收"})
    listed = zhou.client.post(
        "/api/supervision/items/urge?state=pending",
        {"message": ""},
        content_type="application/json",
        headers=zhou.headers,
    )

    assert one.json() == {"urged": 1, "skipped": 0, "notified": 1}
    assert listed.json()["urged"] == 1
    assert zhou.get(url).json()["urges"] == 2
