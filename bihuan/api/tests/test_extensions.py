import datetime as dt

import pytest

from bihuan.ledger.models import ExtensionRequest, Measure
from bihuan.ledger.services import extension_request
from bihuan.workflow.models import ExtensionState


@pytest.fixture
def pending(in_progress, world, now):
    """李承办 asked to move 城关镇's deadline from 2024-10-23 to 2024-11-30."""
    return extension_request(
        measure=in_progress, by=world.li, now=now, new_deadline=dt.date(2024, 11, 30), reason="汛期"
    )


def test_the_owner_asks_for_an_extension(api, world, in_progress):
    response = api(world.li).post(
        f"/api/measures/{in_progress.pk}/extensions",
        {"new_deadline": "2024-11-30", "reason": "汛期施工受阻"},
    )

    assert response.status_code == 201
    extension = response.json()
    assert (extension["current_deadline"], extension["new_deadline"]) == (
        "2024-10-23",
        "2024-11-30",
    )
    assert (extension["state"], extension["requested_by"]["name"]) == ("pending", "李承办")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"new_deadline": "2024-10-01", "reason": "汛期"}, 400, "new_deadline"),
        ({"new_deadline": "2024-11-30", "reason": ""}, 400, "reason"),
        ({"new_deadline": "十一月底", "reason": "汛期"}, 422, "new_deadline"),
        ({"reason": "汛期"}, 422, "new_deadline"),
    ],
)
def test_a_bad_extension_request_is_refused_naming_the_field(
    api, world, in_progress, body, status, field
):
    response = api(world.li).post(f"/api/measures/{in_progress.pk}/extensions", body)

    assert (response.status_code, response.json()["field"]) == (status, field)
    assert not ExtensionRequest.objects.exists()


def test_a_second_request_waits_for_the_first(api, world, pending):
    response = api(world.li).post(
        f"/api/measures/{pending.measure_id}/extensions",
        {"new_deadline": "2024-12-31", "reason": "再延"},
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "该措施已有待审批的延期申请。"
    assert ExtensionRequest.objects.count() == 1


def test_a_reviewer_approves_and_the_deadline_moves(api, world, pending):
    response = api(world.zhao).post(
        f"/api/extensions/{pending.pk}/decision", {"approve": True, "comment": "同意"}
    )

    assert response.status_code == 200
    assert (response.json()["state_label"], response.json()["decided_by"]["name"]) == (
        "已同意",
        "赵县长",
    )
    measure = Measure.objects.get(pk=pending.measure_id)
    assert (measure.deadline, measure.original_deadline) == (
        dt.date(2024, 11, 30),
        dt.date(2024, 10, 23),
    )


def test_a_refusal_needs_a_reason_and_changes_nothing_without_one(api, world, pending):
    response = api(world.zhou).post(f"/api/extensions/{pending.pk}/decision", {"approve": False})

    assert (response.status_code, response.json()["field"]) == (400, "comment")
    pending.refresh_from_db()
    assert pending.state == ExtensionState.PENDING


def test_the_owner_cannot_decide_their_own_request(api, world, pending):
    response = api(world.li).post(f"/api/extensions/{pending.pk}/decision", {"approve": True})

    assert response.status_code == 403
    assert Measure.objects.get(pk=pending.measure_id).deadline == dt.date(2024, 10, 23)


def test_a_request_is_decided_once(api, world, pending):
    zhou = api(world.zhou)
    zhou.post(f"/api/extensions/{pending.pk}/decision", {"approve": False, "comment": "不符合条件"})

    response = zhou.post(f"/api/extensions/{pending.pk}/decision", {"approve": True})

    assert (response.status_code, response.json()["detail"]) == (400, "该延期申请已审批。")
    assert Measure.objects.get(pk=pending.measure_id).deadline == dt.date(2024, 10, 23)


def test_approve_must_be_a_boolean(api, world, pending):
    response = api(world.zhou).post(f"/api/extensions/{pending.pk}/decision", {"approve": "也许"})

    assert (response.status_code, response.json()["field"]) == (422, "approve")
