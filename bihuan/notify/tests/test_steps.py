"""A measure's steps reach whoever must act next, through the bell and the unit's channels; a
step nobody waits on (签收) tells no one."""

import datetime as dt

from bihuan.ledger.services import (
    extension_decide,
    extension_request,
    measure_transition,
    problem_assign,
)
from bihuan.notify.models import Delivery, Kind, Notification
from bihuan.workflow.states import Action


def told() -> list[tuple[str, str]]:
    return list(Notification.objects.order_by("pk").values_list("recipient__username", "kind"))


def test_assigning_a_problem_tells_each_measures_unit_and_queues_its_robot(
    make_problem, world, now, calendar, channel, robot
):
    channel(url=robot.url())
    problem = make_problem()

    assert problem_assign(problem=problem, by=world.zhou, now=now, calendar=calendar) == 1

    assert told() == [("li", Kind.ASSIGNED)]
    delivery = Delivery.objects.get()
    assert "周督查交办整改措施“建立首问负责制并公示”" in delivery.payload["text"]["content"]


def test_acknowledging_tells_no_one_and_submitting_tells_the_reviewers(
    assigned, world, now, calendar
):
    measure_transition(
        measure=assigned, action=Action.ACKNOWLEDGE, by=world.li, now=now, calendar=calendar
    )
    assert told() == []

    measure_transition(
        measure=assigned, action=Action.SUBMIT, by=world.li, now=now, calendar=calendar
    )
    # The supervisors nearest above 城关镇 are its own.
    assert told() == [("qian", Kind.REVIEW)]
    assert Notification.objects.get().text == "整改措施“建立首问负责制并公示”已申请销号，请审核。"

    measure_transition(
        measure=assigned, action=Action.CLOSE, by=world.qian, now=now, calendar=calendar
    )
    assert told()[-1] == ("li", Kind.DECIDED)


def test_an_extension_is_announced_to_the_reviewers_and_its_decision_to_the_owner(
    in_progress, world, now
):
    request = extension_request(
        measure=in_progress,
        by=world.li,
        now=now,
        new_deadline=in_progress.deadline + dt.timedelta(days=10),
        reason="资金未到位",
    )
    extension_decide(request=request, by=world.zhou, now=now, approve=False, comment="不予延期")

    assert told() == [("qian", Kind.REVIEW), ("li", Kind.DECIDED)]
    assert Notification.objects.order_by("pk").last().text == (
        "整改措施“建立首问负责制并公示”的延期申请未获同意，理由：不予延期。"
    )
