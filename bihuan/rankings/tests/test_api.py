import pytest
from django.test import Client

from bihuan.org.models import ApiToken, UnitKind
from bihuan.rankings.periods import parse_period
from bihuan.rankings.services import ranking_publish
from bihuan.workflow.models import LightCutoffs

from .conftest import SEPTEMBER


@pytest.fixture
def frozen_time(monkeypatch, october_8):
    monkeypatch.setattr("django.utils.timezone.now", lambda: october_8)
    return october_8


@pytest.fixture
def get(frozen_time):
    def call(user, path, **params):
        headers = {"Authorization": f"Bearer {ApiToken.issue(user=user, now=frozen_time)}"}
        return Client().get(path, params, headers=headers)

    return call


@pytest.fixture
def published(world, september, frozen_time, calendar):
    return ranking_publish(
        by=world.zhou,
        period=parse_period(SEPTEMBER),
        parent=world.county,
        kind=UnitKind.TOWNSHIP,
        cutoffs=LightCutoffs(now=frozen_time, calendar=calendar),
        now=frozen_time,
    )


def test_a_published_ranking_reads_with_every_part(get, world, published):
    response = get(world.zhao, f"/api/rankings/{published.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["draft"], body["group_label"]) == (published.pk, False, "青山县各乡镇")
    first = body["rows"][0]
    assert (first["unit"]["name"], first["rank"], first["score"], first["base"]) == (
        "河西乡",
        1,
        73.53,
        73.53,
    )
    assert [part["points"] for part in first["parts"]] == [23.53, None, 35.29, 14.71, 0.0]
    assert first["figures"]["returned"] == 1


def test_the_list_holds_what_the_caller_sees(get, world, published):
    assert get(world.zhao, "/api/rankings").json()["count"] == 1
    assert get(world.wang, "/api/rankings").json()["count"] == 0
    assert get(world.wang, f"/api/rankings/{published.pk}").status_code == 404


def test_a_draft_is_computed_for_a_group_in_scope(get, world, september):
    response = get(
        world.zhou, "/api/rankings/draft", period=SEPTEMBER, parent=world.county.pk, kind="township"
    )

    assert response.status_code == 200
    assert response.json()["draft"] is True
    assert [row["score"] for row in response.json()["rows"]] == [73.53, 54.88]


def test_a_draft_out_of_scope_or_with_a_bad_period_is_refused(get, world, september):
    outside = get(world.wang, "/api/rankings/draft", period=SEPTEMBER, parent=world.county.pk)
    bad = get(world.zhou, "/api/rankings/draft", period="九月", parent=world.county.pk)

    assert outside.status_code == 400
    assert outside.json()["field"] == "parent"
    assert bad.status_code == 400
    assert bad.json()["field"] == "period"
