"""The issue's "Done when", through the API: register, assign, acknowledge, report, submit, review."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from bihuan.ledger.models import Evidence, Measure
from bihuan.workflow.states import Action, State


def test_the_whole_loop_works_through_the_api(api, world, now):
    zhou, li = api(world.zhou), api(world.li)
    deadline = (now.date() + dt.timedelta(days=30)).isoformat()

    created = zhou.post(
        "/api/problems",
        {
            "source": "supervision",
            "category": world.category.pk,
            "description": "为民服务窗口推诿扯皮",
            "unit": world.chengguan.pk,
            "causes": ["宗旨意识淡薄"],
            "target": "群众办事一次办结",
            "measures": [
                {"text": "建立首问负责制", "owner_unit": world.chengguan.pk, "deadline": deadline},
                {
                    "text": "公开办事流程",
                    "owner_unit": world.chengguan.pk,
                    "owner": world.li.pk,
                    "deadline_kind": "working_days",
                    "deadline_working_days": 5,
                },
            ],
        },
    )
    assert created.status_code == 201
    problem = created.json()
    first, second = (m["id"] for m in problem["measures"])

    assigned = zhou.post(f"/api/problems/{problem['id']}/assign")
    assert [m["state"] for m in assigned.json()["measures"]] == ["pending", "pending"]
    # Five working days from Monday 2024-09-23 end on Sunday the 29th, a make-up workday (调休).
    assert assigned.json()["measures"][1]["deadline"] == "2024-09-29"

    waiting = li.get("/api/measures", state="pending").json()
    assert {row["id"] for row in waiting["results"]} == {first, second}
    for pk in (first, second):
        assert (
            li.post(f"/api/measures/{pk}/transitions", {"action": "acknowledge"}).status_code == 200
        )
        photo = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
        posted = li.upload(f"/api/measures/{pk}/progress", {"text": "已公示", "files": [photo]})
        assert posted.status_code == 201
        assert posted.json()["evidence"][0]["name"] == "现场照片.jpg"
        assert li.post(f"/api/measures/{pk}/transitions", {"action": "submit"}).status_code == 200

    returned = zhou.post(
        f"/api/measures/{first}/transitions", {"action": "return", "comment": "佐证材料不全"}
    )
    closed = zhou.post(f"/api/measures/{second}/transitions", {"action": "close"})

    assert returned.json()["state"] == State.IN_PROGRESS
    assert returned.json()["light"] == "green"
    assert closed.json()["state"] == State.CLOSED
    assert closed.json()["light"] == "none"
    assert Evidence.objects.filter(progress__measure__problem_id=problem["id"]).count() == 2
    history = li.get(f"/api/measures/{first}").json()["events"]
    assert [(e["action"], e["actor"]["name"], e["to_state_label"]) for e in history] == [
        (Action.CREATE, "周督查", "待交办"),
        (Action.ASSIGN, "周督查", "待签收"),
        (Action.ACKNOWLEDGE, "李承办", "整改中"),
        (Action.PROGRESS, "李承办", "整改中"),
        (Action.SUBMIT, "李承办", "申请销号"),
        (Action.RETURN, "周督查", "整改中"),
    ]
    assert history[-1]["comment"] == "佐证材料不全"
    assert [e["action"] for e in li.get(f"/api/measures/{second}").json()["events"]][-1] == "close"
    assert Measure.objects.get(pk=second).closed_on_time is True
