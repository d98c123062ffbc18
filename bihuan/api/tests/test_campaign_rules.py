"""The rules of issue 8 that had no endpoint test of their own: the campaign's derived lists
(who is missing what), the yearly days target, the 精文减会 averages and shares."""

import pytest

from .test_campaign_editing import campaign  # noqa: F401 (a fixture)


@pytest.fixture
def studied(api, world, campaign):  # noqa: F811
    """城关镇 held its 学习研讨会 on 23 September; 河西乡 has not."""
    stage = campaign["stages"][1]
    meeting = api(world.zhou).post(
        f"/api/campaigns/{campaign['id']}/requirements",
        {"stage": stage["id"], "activity": "study", "per": "unit", "due_on": "2024-09-22"},
    )
    api(world.li).post(
        "/api/streamlining/meetings",
        {
            "unit": world.chengguan.pk,
            "held_on": "2024-09-23",
            "title": "专题学习研讨会",
            "kind": "study",
            "level": "township",
            "minutes": 90,
            "merged": True,
            "campaign": campaign["id"],
        },
    )
    return meeting.json()


def test_the_status_lists_who_is_missing_one_requirement(api, world, campaign, studied):  # noqa: F811
    path = f"/api/campaigns/{campaign['id']}/status"

    missing = api(world.zhou).get(path, requirement=studied["id"], status="missing").json()
    late = api(world.zhou).get(path, status="late").json()
    everything = api(world.zhou).get(path).json()

    assert [cell["unit"]["name"] for cell in missing["cells"]] == ["河西乡"]
    assert [(c["unit"]["name"], c["requirement"]) for c in late["cells"]] == [
        ("城关镇", studied["id"])
    ]
    # Two requirements (the fixture's 研讨材料 and this one) for each of two townships.
    assert len(everything["cells"]) == 4


def test_a_status_filter_that_cannot_be_names_its_field(api, world, campaign):  # noqa: F811
    path = f"/api/campaigns/{campaign['id']}/status"

    other = api(world.zhou).get(path, requirement=999_999)
    unknown = api(world.zhou).get(path, status="lost")

    assert (other.status_code, other.json()["field"]) == (400, "requirement")
    assert (unknown.status_code, unknown.json()["field"]) == (422, "status")


def test_the_year_on_year_figures_give_averages_and_shares(api, world, studied):
    api(world.li).post(
        "/api/streamlining/meetings",
        {
            "unit": world.chengguan.pk,
            "held_on": "2024-09-20",
            "title": "安全生产视频调度会",
            "kind": "work",
            "level": "township",
            "minutes": 30,
            "by_video": True,
        },
    )

    total = api(world.li).get("/api/streamlining/figures").json()["rows"][0]["this_year"]

    assert (total["meetings"], total["minutes"], total["average_minutes"]) == (2, 120, 60)
    assert (total["merged_share"], total["video_share"]) == (0.5, 0.5)
    assert (total["documents"], total["average_chars"]) == (0, None)


def test_the_county_sets_a_roles_days_target_and_the_progress_follows(api, world):
    def target_of(name):
        rows = api(world.zhou).get("/api/fieldwork/progress", year=2024).json()
        return next(row["target"] for row in rows if row["person"]["name"] == name)

    before = target_of("赵县长")
    set_ = api(world.zhou).post(
        "/api/fieldwork/targets", {"year": 2024, "role": "leader", "days": "100"}
    )
    refused = api(world.qian).post(
        "/api/fieldwork/targets", {"year": 2024, "role": "leader", "days": "10"}
    )
    bad_role = api(world.zhou).post(
        "/api/fieldwork/targets", {"year": 2024, "role": "nobody", "days": "10"}
    )

    assert before == 90.0  # the default: leaders 90 days at the grassroots
    assert (set_.status_code, set_.json()["days"]) == (200, 100.0)
    assert target_of("赵县长") == 100.0
    assert refused.status_code == 403
    assert (bad_role.status_code, bad_role.json()["field"]) == (422, "role")
