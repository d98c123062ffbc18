"""A guessed id of another unit's record reads as missing: 404, never 403, and nothing changes."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bihuan.ledger.models import Evidence, ExtensionRequest, Measure, Progress
from bihuan.ledger.services import extension_request, progress_post


@pytest.fixture
def chengguan(world, in_progress, now):
    """城关镇's measure under way, with evidence posted and an extension asked for."""
    upload = SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    progress_post(measure=in_progress, by=world.li, now=now, text="已公示", files=[upload])
    extension = extension_request(
        measure=in_progress, by=world.li, now=now, new_deadline=dt.date(2024, 11, 30), reason="汛期"
    )
    return {
        "problem": in_progress.problem_id,
        "measure": in_progress.pk,
        "extension": extension.pk,
        "evidence": Evidence.objects.get().pk,
    }


def state_of_everything() -> tuple:
    return (
        list(Measure.objects.values_list("pk", "state", "version", "deadline")),
        Progress.objects.count(),
        list(ExtensionRequest.objects.values_list("pk", "state")),
    )


ENDPOINTS = [
    ("get", "/api/problems/{problem}", None),
    ("post", "/api/problems/{problem}/assign", None),
    ("post", "/api/problems/{problem}/measures", {"text": "加派人手", "owner_unit": 1}),
    ("get", "/api/measures/{measure}", None),
    ("post", "/api/measures/{measure}/transitions", {"action": "submit"}),
    ("upload", "/api/measures/{measure}/progress", {"text": "代报进展"}),
    (
        "post",
        "/api/measures/{measure}/extensions",
        {"new_deadline": "2024-12-31", "reason": "再延"},
    ),
    ("post", "/api/extensions/{extension}/decision", {"approve": True}),
    ("get", "/api/evidence/{evidence}", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize("who", ["wang", "wu"])
def test_another_units_id_reads_as_missing(api, world, chengguan, method, path, body, who):
    before = state_of_everything()
    caller = api(getattr(world, who))

    if method == "get":
        response = caller.get(path.format(**chengguan))
    else:
        response = getattr(caller, method)(path.format(**chengguan), body)

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该记录。", "field": None}
    assert state_of_everything() == before


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_an_id_that_does_not_exist_reads_the_same(api, world, method, path, body):
    path = path.format(problem=999, measure=999, extension=999, evidence=999)
    caller = api(world.zhou)

    response = caller.get(path) if method == "get" else getattr(caller, method)(path, body)

    assert response.status_code == 404


def test_lists_show_nothing_of_another_unit(api, world, chengguan):
    wang = api(world.wang)

    assert wang.get("/api/measures").json() == {"count": 0, "results": []}
    assert wang.get("/api/problems").json() == {"count": 0, "results": []}
    assert wang.get("/api/measures", problem=chengguan["problem"]).json()["count"] == 0


def test_the_village_clerk_sees_only_the_village(api, world, make_problem, now):
    make_problem(description="城关镇的问题")
    make_problem(description="东关村的问题", unit=world.dongguan)

    rows = api(world.chen).get("/api/problems").json()["results"]

    assert [row["description"] for row in rows] == ["东关村的问题"]
