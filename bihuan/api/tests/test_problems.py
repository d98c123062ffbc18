import datetime as dt

import pytest

from bihuan.ledger.models import Measure, Problem
from bihuan.ledger.services import MeasureSpec
from bihuan.workflow.states import Action, State


@pytest.fixture
def body(world, now):
    """A problem of 城关镇 with one measure due in 30 days, as a supervisor would send it."""

    def make(**changes):
        measure = {
            "text": "建立首问负责制",
            "owner_unit": world.chengguan.pk,
            "deadline": (now.date() + dt.timedelta(days=30)).isoformat(),
        }
        measure.update(changes.pop("measure", {}))
        return {
            "source": "supervision",
            "category": world.category.pk,
            "description": "为民服务窗口推诿扯皮",
            "unit": world.chengguan.pk,
            "measures": [measure],
            **changes,
        }

    return make


def nothing_written() -> bool:
    return not Problem.objects.exists() and not Measure.objects.exists()


def test_a_supervisor_registers_a_problem_with_causes_and_measures(api, world, body):
    response = api(world.zhou).post(
        "/api/problems",
        body(
            person=world.sun.pk,
            causes=["宗旨意识淡薄", "制度执行不严"],
            standard="群众满意度 95% 以上",
            measure={"owner": world.li.pk, "lead": "钱书记"},
        ),
    )

    assert response.status_code == 201
    problem = response.json()
    assert problem["source_label"] == "督查检查"
    assert problem["category"]["name"] == "工作作风"
    assert problem["person"] == {"id": world.sun.pk, "name": "孙干部"}
    assert problem["causes"] == ["宗旨意识淡薄", "制度执行不严"]
    assert problem["standard"] == "群众满意度 95% 以上"
    [measure] = problem["measures"]
    assert measure["state_label"] == "待交办"
    assert measure["owner"]["name"] == "李承办"
    assert measure["lead"] == "钱书记"
    assert measure["deadline_label"] == "2024年10月23日"
    fresh = Measure.objects.get(pk=measure["id"])
    assert list(fresh.events.values_list("action", flat=True)) == [Action.CREATE]


def test_an_ongoing_measure_needs_its_feedback_cycle(api, world, body):
    ongoing = {"deadline_kind": "ongoing", "deadline": None, "feedback_cycle": ""}

    refused = api(world.zhou).post("/api/problems", body(measure=ongoing))
    accepted = api(world.zhou).post(
        "/api/problems", body(measure={**ongoing, "feedback_cycle": "monthly"})
    )

    assert refused.status_code == 400
    assert refused.json()["field"] == "feedback_cycle"
    assert accepted.json()["measures"][0]["deadline_label"] == "长期坚持（每月反馈）"


def test_a_handler_may_not_register_problems_and_nothing_is_written(api, world, body):
    response = api(world.li).post("/api/problems", body())

    assert response.status_code == 403
    assert response.json() == {"detail": "只有督查员可以登记问题和整改措施。", "field": None}
    assert nothing_written()


def test_a_deadline_before_today_is_refused_naming_the_field(api, world, body):
    response = api(world.zhou).post("/api/problems", body(measure={"deadline": "2024-09-22"}))

    assert response.status_code == 400
    assert response.json() == {
        "detail": "第1条措施：整改时限2024-09-22早于今天，请重新填写。",
        "field": "deadline",
    }
    assert nothing_written()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": 9999}, "category"),
        ({"unit": 9999}, "unit"),
        ({"person": 9999}, "person"),
        ({"measure": {"owner_unit": 9999}}, "owner_unit"),
        ({"measure": {"owner": 9999}}, "owner"),
    ],
)
def test_an_unknown_id_is_refused_naming_the_field(api, world, body, changes, field):
    response = api(world.zhou).post("/api/problems", body(**changes))

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert "9999" in response.json()["detail"]
    assert nothing_written()


def test_a_unit_outside_the_callers_scope_reads_as_unknown(api, world, body):
    response = api(world.qian).post("/api/problems", body(unit=world.hexi.pk))

    assert response.status_code == 400
    assert response.json()["field"] == "unit"
    assert "河西乡" not in response.json()["detail"]
    assert nothing_written()


def test_an_owner_outside_the_owner_unit_is_refused(api, world, body):
    response = api(world.zhou).post("/api/problems", body(measure={"owner": world.wang.pk}))

    assert response.status_code == 400
    assert response.json()["field"] == "owner"
    assert nothing_written()


def test_a_malformed_body_is_refused_naming_every_field(api, world, body):
    response = api(world.zhou).post(
        "/api/problems",
        body(category="工作作风", source="unknown", measure={"deadline": "2024-13-01"}),
    )

    assert response.status_code == 422
    error = response.json()
    assert error["field"] == "source"
    assert error["detail"].startswith("「source」取值应为 'meeting'")
    assert [(e["field"], e["message"]) for e in error["errors"][1:]] == [
        ("category", "应为整数"),
        ("measures.0.deadline", "应为日期（YYYY-MM-DD）"),
    ]
    assert nothing_written()


def test_a_missing_field_is_named(api, world, body):
    incomplete = body()
    del incomplete["measures"]

    response = api(world.zhou).post("/api/problems", incomplete)

    assert response.status_code == 422
    assert response.json()["detail"] == "「measures」必须填写。"


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        ("{not json", "请求体无法解析，应为有效的 JSON。"),
        ("", "请求体不能为空。"),
        ("[1, 2]", "「source」必须填写。"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(api, world, raw, detail):
    caller = api(world.zhou)

    response = caller.client.post(
        "/api/problems", raw, content_type="application/json", headers=caller.headers
    )

    assert response.status_code in (400, 422)
    assert response.json()["detail"] == detail
    assert nothing_written()


def test_the_list_is_paginated_newest_first(api, world, make_problem, now):
    for day in range(3):
        make_problem(description=f"问题{day}", when=now + dt.timedelta(minutes=day))

    page = api(world.li).get("/api/problems", page=2, page_size=2).json()

    assert page["count"] == 3
    assert [row["description"] for row in page["results"]] == ["问题0"]


def test_the_list_filters_by_unit_keyword_and_source(api, world, make_problem):
    make_problem(description="窗口推诿扯皮")
    make_problem(description="会议过多", unit=world.dongguan)
    make_problem(description="河西乡的问题", unit=world.hexi)
    zhou = api(world.zhou)

    def descriptions(**params):
        return [row["description"] for row in zhou.get("/api/problems", **params).json()["results"]]

    assert descriptions(unit=world.chengguan.pk) == ["会议过多", "窗口推诿扯皮"]
    assert descriptions(keyword="会议") == ["会议过多"]
    assert descriptions(source="audit") == []
    assert descriptions(source="", keyword="") == ["河西乡的问题", "会议过多", "窗口推诿扯皮"]


def test_the_list_shows_only_problems_in_scope(api, world, make_problem):
    make_problem(description="城关镇的问题")
    make_problem(description="河西乡的问题", unit=world.hexi)

    rows = api(world.wang).get("/api/problems").json()["results"]

    assert [row["description"] for row in rows] == ["河西乡的问题"]


def test_the_detail_lists_causes_and_measures_in_order(api, world, make_problem, now):
    due = now.date() + dt.timedelta(days=30)
    problem = make_problem(
        measures=[
            MeasureSpec(text="第一条", owner_unit=world.chengguan, deadline=due),
            MeasureSpec(text="第二条", owner_unit=world.dongguan, deadline=due),
        ]
    )

    detail = api(world.li).get(f"/api/problems/{problem.pk}").json()

    assert detail["causes"] == ["宗旨意识淡薄"]
    assert [(m["seq"], m["text"]) for m in detail["measures"]] == [(1, "第一条"), (2, "第二条")]
    assert detail["created_by"]["name"] == "周督查"


def test_assigning_hands_over_every_draft_measure(api, world, make_problem, now):
    due = now.date() + dt.timedelta(days=30)
    problem = make_problem(
        measures=[
            MeasureSpec(text="第一条", owner_unit=world.chengguan, deadline=due),
            MeasureSpec(text="第二条", owner_unit=world.dongguan, deadline=due),
        ]
    )

    response = api(world.zhou).post(f"/api/problems/{problem.pk}/assign")

    assert response.status_code == 200
    assert [m["state_label"] for m in response.json()["measures"]] == ["待签收", "待签收"]


def test_assigning_with_no_drafts_left_is_refused(api, world, assigned):
    response = api(world.zhou).post(f"/api/problems/{assigned.problem_id}/assign")

    assert response.status_code == 400
    assert response.json()["detail"] == "该问题没有待交办的整改措施。"


def test_a_handler_may_not_assign_and_nothing_changes(api, world, measure):
    response = api(world.li).post(f"/api/problems/{measure.problem_id}/assign")

    assert response.status_code == 403
    measure.refresh_from_db()
    assert (measure.state, measure.version) == (State.DRAFT, 1)


def test_a_measure_is_added_to_a_problem(api, world, measure, now):
    response = api(world.zhou).post(
        f"/api/problems/{measure.problem_id}/measures",
        {
            "text": "每月通报",
            "owner_unit": world.dongguan.pk,
            "deadline_kind": "working_days",
            "deadline_working_days": 10,
        },
    )

    assert response.status_code == 201
    added = response.json()
    assert (added["seq"], added["state"], added["owner_unit"]["name"]) == (2, "draft", "东关村")
    assert added["deadline_label"] == "交办后10个工作日"
    assert added["allowed_actions"] == [
        {"action": "assign", "label": "交办"},
        {"action": "cancel", "label": "撤销"},
    ]


def test_a_measure_with_bad_working_days_is_refused(api, world, measure):
    response = api(world.zhou).post(
        f"/api/problems/{measure.problem_id}/measures",
        {"text": "每月通报", "owner_unit": world.dongguan.pk, "deadline_kind": "working_days"},
    )

    assert response.status_code == 400
    assert response.json()["field"] == "deadline_working_days"
    assert measure.problem.measures.count() == 1
