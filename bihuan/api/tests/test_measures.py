import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bihuan.conftest import at
from bihuan.ledger.models import Measure
from bihuan.ledger.services import MeasureSpec, extension_request, progress_post
from bihuan.workflow.states import Action, DeadlineKind, State


def snapshot(measure) -> tuple:
    fresh = Measure.objects.get(pk=measure.pk)
    return fresh.state, fresh.version, fresh.deadline, fresh.events.count()


def measures_due(world, now, *texts, unit=None):
    due = now.date() + dt.timedelta(days=30)
    return [
        MeasureSpec(text=text, owner_unit=unit or world.chengguan, deadline=due) for text in texts
    ]


def test_the_list_gives_each_row_its_light_and_labels(api, world, make_problem, now, calendar):
    problem = make_problem(
        measures=[
            *measures_due(world, now, "绿灯的"),
            MeasureSpec(text="快到期的", owner_unit=world.chengguan, deadline=now.date()),
        ]
    )
    for measure in problem.measures.all():
        measure.assign(by=world.zhou, now=now, calendar=calendar)

    rows = api(world.li).get("/api/measures", sort="urgency").json()["results"]

    assert [(r["text"], r["light"], r["light_label"], r["state_label"]) for r in rows] == [
        ("快到期的", "yellow", "黄灯", "待签收"),
        ("绿灯的", "green", "绿灯", "待签收"),
    ]
    assert rows[0]["problem"]["category"]["name"] == "工作作风"
    assert rows[0]["deadline_estimated"] is False


def test_the_list_filters_like_the_ledger(api, world, make_problem, now, calendar):
    first = make_problem(measures=measures_due(world, now, "公示制度", "整改台账"))
    make_problem(
        description="会议过多", measures=measures_due(world, now, "精简会议", unit=world.dongguan)
    )
    first.measures.get(text="公示制度").assign(by=world.zhou, now=now, calendar=calendar)
    zhou = api(world.zhou)

    def texts(**params):
        return sorted(r["text"] for r in zhou.get("/api/measures", **params).json()["results"])

    assert texts(state="pending") == ["公示制度"]
    assert texts(unit=world.dongguan.pk) == ["精简会议"]
    assert texts(keyword="会议") == ["精简会议"]
    assert texts(problem=first.pk) == ["公示制度", "整改台账"]
    assert texts(light="green") == ["公示制度"]
    assert texts(deadline_from="2024-10-24") == []
    assert texts(source="supervision", category=world.category.pk, state="") == [
        "公示制度",
        "整改台账",
        "精简会议",
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 201}, "page_size"),
        ({"page": 0}, "page"),
        ({"state": "unknown"}, "state"),
        ({"deadline_from": "2024-10-02", "deadline_to": "2024-10-01"}, "deadline_to"),
        ({"deadline_to": "十月"}, "deadline_to"),
        ({"sort": "random"}, "sort"),
    ],
)
def test_bad_list_parameters_are_refused_naming_the_field(api, world, params, field):
    response = api(world.zhou).get("/api/measures", **params)

    assert response.status_code == 422
    assert response.json()["field"] == field


def test_the_list_is_newest_first_unless_sorted_otherwise(api, world, make_problem, now):
    due = now.date() + dt.timedelta(days=30)
    make_problem(measures=[MeasureSpec(text="早登记", owner_unit=world.chengguan, deadline=due)])
    make_problem(
        measures=[
            MeasureSpec(text="晚登记", owner_unit=world.chengguan, deadline=due),
            MeasureSpec(text="晚登记先到期", owner_unit=world.chengguan, deadline=now.date()),
        ]
    )
    li = api(world.li)

    def texts(**params):
        return [row["text"] for row in li.get("/api/measures", **params).json()["results"]]

    assert texts() == ["晚登记", "晚登记先到期", "早登记"]
    assert texts(sort="deadline") == ["晚登记先到期", "早登记", "晚登记"]


def test_a_unit_filter_outside_the_scope_is_refused(api, world):
    response = api(world.wang).get("/api/measures", unit=world.chengguan.pk)

    assert response.status_code == 400
    assert response.json()["field"] == "unit"


def test_the_list_costs_the_same_queries_for_2_or_20_rows(api, world, make_problem, now):
    caller = api(world.li)

    def queries_for(count: int) -> int:
        make_problem(measures=measures_due(world, now, *(f"措施{n}" for n in range(count))))
        with CaptureQueriesContext(connection) as context:
            response = caller.get("/api/measures", page_size=200)
        assert response.json()["count"] == len(response.json()["results"])
        return len(context.captured_queries)

    assert queries_for(2) == queries_for(18)


def test_the_detail_costs_the_same_queries_however_long_the_history(
    api, world, in_progress, now, django_assert_max_num_queries
):
    caller = api(world.li)
    progress_post(measure=in_progress, by=world.li, now=now, text="第一次进展")
    with CaptureQueriesContext(connection) as short:
        caller.get(f"/api/measures/{in_progress.pk}")
    for day in range(5):
        upload = SimpleUploadedFile(
            f"照片{day}.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg"
        )
        progress_post(measure=in_progress, by=world.li, now=now, text="进展", files=[upload])

    with django_assert_max_num_queries(len(short.captured_queries)):
        caller.get(f"/api/measures/{in_progress.pk}")


def test_the_detail_shows_history_progress_extensions_and_allowed_actions(
    api, world, in_progress, now
):
    progress_post(measure=in_progress, by=world.li, now=now, text="已公示")
    extension_request(
        measure=in_progress, by=world.li, now=now, new_deadline=dt.date(2024, 11, 30), reason="汛期"
    )

    detail = api(world.li).get(f"/api/measures/{in_progress.pk}").json()

    assert [e["action"] for e in detail["events"]] == [
        Action.CREATE,
        Action.ASSIGN,
        Action.ACKNOWLEDGE,
        Action.PROGRESS,
        Action.EXTENSION_REQUEST,
    ]
    assert [(p["text"], p["author"]["name"]) for p in detail["progress"]] == [("已公示", "李承办")]
    [extension] = detail["extensions"]
    assert (extension["new_deadline"], extension["state_label"]) == ("2024-11-30", "待审批")
    assert detail["assigned_at"] == "2024-09-23T09:00:00+08:00"


def test_the_owner_is_offered_the_owners_actions(api, world, in_progress):
    detail = api(world.li).get(f"/api/measures/{in_progress.pk}").json()

    assert [a["label"] for a in detail["allowed_actions"]] == ["申请销号", "反馈进展", "申请延期"]


def test_a_supervisor_is_offered_review_actions(api, world, submitted):
    detail = api(world.zhou).get(f"/api/measures/{submitted.pk}").json()

    assert [a["label"] for a in detail["allowed_actions"]] == ["退回", "销号", "撤销"]


@pytest.mark.parametrize(
    ("state", "who", "body", "status", "field"),
    [
        ("measure", "li", {"action": "assign"}, 403, None),
        ("assigned", "sun", {"action": "acknowledge"}, 403, None),
        ("assigned", "zhou", {"action": "acknowledge"}, 403, None),
        ("assigned", "li", {"action": "submit"}, 400, "state"),
        ("in_progress", "li", {"action": "close"}, 400, "state"),
        ("submitted", "li", {"action": "close"}, 403, None),
        ("submitted", "zhou", {"action": "return", "comment": "  "}, 400, "comment"),
        ("in_progress", "zhou", {"action": "cancel"}, 400, "comment"),
        ("in_progress", "li", {"action": "delete"}, 400, "action"),
        ("in_progress", "li", {"comment": "无操作"}, 422, "action"),
        ("submitted", "zhou", {"action": "close", "comment": 5}, 422, "comment"),
    ],
)
def test_a_refused_transition_changes_nothing(api, world, request, state, who, body, status, field):
    measure = request.getfixturevalue(state)
    before = snapshot(measure)

    response = api(getattr(world, who)).post(f"/api/measures/{measure.pk}/transitions", body)

    assert response.status_code == status
    assert response.json()["field"] == field
    assert response.json()["detail"]
    assert snapshot(measure) == before


def test_assigning_a_measure_whose_deadline_has_passed_is_refused(api, world, make_problem):
    stale = make_problem(when=at(2024, 8, 1)).measures.get()
    before = snapshot(stale)

    response = api(world.zhou).post(f"/api/measures/{stale.pk}/transitions", {"action": "assign"})

    assert response.status_code == 400
    assert response.json()["field"] == "deadline"
    assert "早于交办日期" in response.json()["detail"]
    assert snapshot(stale) == before


def test_a_closed_measure_cannot_be_cancelled(api, world, submitted, now):
    submitted.close(by=world.zhou, now=now)

    response = api(world.zhou).post(
        f"/api/measures/{submitted.pk}/transitions", {"action": "cancel", "comment": "重复登记"}
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "当前状态为“已销号”，不能撤销。"


def test_a_supervisor_cancels_with_a_reason(api, world, in_progress):
    response = api(world.zhou).post(
        f"/api/measures/{in_progress.pk}/transitions", {"action": "cancel", "comment": "重复登记"}
    )

    assert response.status_code == 200
    assert response.json()["state"] == State.CANCELLED
    assert response.json()["events"][-1]["comment"] == "重复登记"


def test_a_working_day_deadline_in_an_unpublished_year_is_marked_estimated(
    api, world, make_problem, calendar
):
    assigned_at = at(2099, 12, 21)
    spec = MeasureSpec(
        text="年底前完成",
        owner_unit=world.chengguan,
        deadline_kind=DeadlineKind.WORKING_DAYS,
        deadline_working_days=10,
    )
    measure = make_problem(measures=[spec], when=assigned_at).measures.get()
    measure.assign(by=world.zhou, now=assigned_at, calendar=calendar)

    row = api(world.li).get(f"/api/measures/{measure.pk}").json()

    assert row["deadline"].startswith("2100-01-")
    assert row["deadline_estimated"] is True
