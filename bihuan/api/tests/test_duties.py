"""村（社区）职责清单 through the API: the lists, 交办 with a list entry, 准入审批, the report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bihuan.duties.models import DutyEntry
from bihuan.duties.tests.test_importing import PER_SHEET
from bihuan.duties.tests.world import duty_lists
from bihuan.ledger.services import MeasureSpec


@pytest.fixture
def lists(db, now):
    return duty_lists(now)


@pytest.fixture
def measure(make_problem, world, now):
    spec = MeasureSpec(
        text="公示整改情况", owner_unit=world.dongguan, deadline=now.date().replace(day=30)
    )
    return make_problem(unit=world.dongguan, measures=[spec]).measures.get()


def test_the_lists_are_read_by_anyone_and_kept_by_the_admin(api, world, lists):
    negative = api(world.chen).get("/api/duties/entries", level="village", kind="negative").json()
    assert [(e["name"], e["kind_label"]) for e in negative] == [("招商引资任务", "负面清单")]

    entry = {"level": "village", "kind": "assist", "name": "协助开展征兵", "number": 2}
    assert api(world.zhou).post("/api/duties/entries", entry).status_code == 403
    created = api(world.wu).post("/api/duties/entries", entry)
    assert (created.status_code, created.json()["level_label"]) == (201, "村")
    stopped = api(world.wu).post(
        f"/api/duties/entries/{created.json()['id']}/active", {"active": False}
    )
    assert stopped.json()["is_active"] is False


def test_a_workbook_is_imported_through_the_api(api, world):
    upload = SimpleUploadedFile("清单.xlsx", PER_SHEET)

    response = api(world.wu).upload(
        "/api/duties/entries/import", {"level": "village", "file": upload}
    )

    assert response.json() == {"created": 6, "updated": 0, "unchanged": 0}
    assert DutyEntry.objects.count() == 6


def test_assign_refuses_the_negative_list_and_routes_an_unlisted_task_for_approval(
    api,
    world,
    lists,
    measure,
):
    zhou = api(world.zhou)
    plain = zhou.post(f"/api/measures/{measure.pk}/transitions", {"action": "assign"})
    assert (plain.status_code, plain.json()["field"]) == (400, "duty")

    refused = zhou.post(
        "/api/duties/assign", {"measure": measure.pk, "duty": str(lists.investment.pk)}
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == "该任务属于负面清单事项“招商引资任务”，不得交由东关村承担。"

    held = zhou.post("/api/duties/assign", {"measure": measure.pk, "duty": "unlisted"})
    assert held.json() == {"assigned": False, "state": "draft"}
    zhao = api(world.zhao)
    [check] = zhao.get("/api/duties/checks", state="pending").json()["results"]
    assert (check["task_type"], check["task_id"], check["unit"]["name"]) == (
        "ledger.measure",
        measure.pk,
        "东关村",
    )

    decided = zhao.post(f"/api/duties/checks/{check['id']}/decision", {"approve": True})

    assert decided.json() == {"approved": True, "assigned": True, "problem": ""}
    assert api(world.chen).get(f"/api/measures/{measure.pk}").json()["state"] == "pending"
    report = zhao.get("/api/duties/report", year=2024, period="year").json()
    assert (report["total"]["pushed"], report["total"]["outside"]) == (1, 1)
    assert report["rows"][0]["unit"]["name"] == "青山县"
