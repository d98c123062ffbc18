"""Problems carry their campaign (专项活动) through the API: registered with one, listed by it."""

import datetime as dt

from django.utils import timezone

from bihuan.ledger.models import Problem


def problem_body(world, **overrides):
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    return {
        "source": "supervision",
        "category": world.category.pk,
        "description": "活动中查摆：窗口推诿扯皮",
        "unit": world.chengguan.pk,
        "measures": [
            {"text": "建立首问负责制", "owner_unit": world.chengguan.pk, "deadline": deadline}
        ],
    } | overrides


def test_a_problem_registered_in_a_campaign_is_listed_by_it(
    api, world, scoped_campaigns, make_problem
):
    caller = api(world.zhou)
    campaign = scoped_campaigns["county"]
    created = caller.post("/api/problems", problem_body(world, campaign=campaign.pk))
    assert created.status_code == 201, created.json()
    assert created.json()["campaign"] == {"id": campaign.pk, "name": "作风革命·效能革命"}
    make_problem(description="日常督查发现：台账不全")

    problems = caller.get("/api/problems", campaign=campaign.pk).json()
    assert [row["id"] for row in problems["results"]] == [created.json()["id"]]
    measures = caller.get("/api/measures", campaign=campaign.pk).json()
    assert {row["problem"]["id"] for row in measures["results"]} == {created.json()["id"]}
    assert caller.get("/api/problems").json()["count"] == 2


def test_a_campaign_outside_the_scope_is_refused_and_nothing_is_written(
    api, world, scoped_campaigns
):
    caller = api(world.li)
    response = caller.post(
        "/api/problems", problem_body(world, campaign=scoped_campaigns["hexi"].pk)
    )
    assert response.status_code == 400
    assert response.json()["field"] == "campaign"
    assert "不存在或不在您的管理范围内" in response.json()["detail"]
    assert not Problem.objects.exists()
