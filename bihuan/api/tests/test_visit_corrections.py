"""Correcting and deleting a visit through the API; the days and the coverage follow."""

import pytest

from bihuan.fieldwork.models import Visit

from .test_campaign_editing import send


@pytest.fixture
def visit(api, world):
    """钱书记 and 孙干部 visited 8 of 东关村's 20 households on 20 September."""
    api(world.zhou).post("/api/fieldwork/households", {"unit": world.dongguan.pk, "count": 20})
    return (
        api(world.sun)
        .post(
            "/api/visits",
            {
                "unit": world.chengguan.pk,
                "people": [world.qian.pk, world.sun.pk],
                "starts_on": "2024-09-20",
                "days": "1",
                "place_unit": world.dongguan.pk,
                "households": 8,
            },
        )
        .json()
    )


def _figures(api, world):
    caller = api(world.zhou)
    progress = caller.get("/api/fieldwork/progress", year=2024).json()
    days = next(row["days"] for row in progress if row["person"]["name"] == "钱书记")
    coverage = caller.get("/api/fieldwork/coverage", start="2024-01-01").json()
    village = next(v for v in coverage["villages"] if v["village"]["name"] == "东关村")
    return days, village["visited"], village["share"], len(coverage["uncovered"])


def test_a_corrected_visit_moves_the_days_and_the_coverage(api, world, visit):
    before = _figures(api, world)

    response = send(
        api(world.sun),
        "patch",
        f"/api/visits/{visit['id']}",
        {"ends_on": "2024-09-21", "days": "2", "households": 20, "version": visit["version"]},
    )

    assert before == (1.0, 8, 0.4, 2)
    assert response.status_code == 200
    body = response.json()
    assert (body["days"], body["households"], body["ends_on"], body["version"]) == (
        2.0,
        20,
        "2024-09-21",
        2,
    )
    assert [person["name"] for person in body["people"]] == ["钱书记", "孙干部"]
    assert _figures(api, world) == (2.0, 20, 1.0, 1)


def test_a_bad_correction_names_its_field_and_a_stale_one_conflicts(api, world, visit):
    caller = api(world.sun)
    path = f"/api/visits/{visit['id']}"

    too_many = send(caller, "patch", path, {"days": "3"})
    nobody = send(caller, "patch", path, {"people": []})
    stale = send(caller, "patch", path, {"households": 1, "version": visit["version"] + 1})

    assert (too_many.status_code, too_many.json()["field"]) == (400, "days")
    assert (nobody.status_code, nobody.json()["field"]) == (422, "people")
    assert (stale.status_code, stale.json()["field"]) == (409, "version")
    assert Visit.objects.get().households == 8


def test_a_visit_is_deleted_by_its_supervisor_and_its_figures_go(api, world, visit):
    refused = send(api(world.li), "delete", f"/api/visits/{visit['id']}")
    hidden = send(api(world.wang), "delete", f"/api/visits/{visit['id']}")
    deleted = send(api(world.qian), "delete", f"/api/visits/{visit['id']}?version=1")

    assert (refused.status_code, hidden.status_code, deleted.status_code) == (403, 404, 204)
    assert not Visit.objects.exists()
    assert _figures(api, world) == (0.0, 0, 0.0, 2)


def test_a_visit_that_raised_problems_stays(api, world):
    raised = (
        api(world.qian)
        .post(
            "/api/visits",
            {
                "unit": world.chengguan.pk,
                "people": [world.qian.pk],
                "starts_on": "2024-09-20",
                "days": "1",
                "place_unit": world.dongguan.pk,
                "problems": [{"description": "路灯损坏", "category": world.category.pk}],
            },
        )
        .json()
    )

    response = send(api(world.qian), "delete", f"/api/visits/{raised['id']}")

    assert (response.status_code, response.json()["field"]) == (400, "problems")
    assert Visit.objects.filter(pk=raised["id"]).exists()
