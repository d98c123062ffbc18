import datetime as dt

import pytest

from bihuan.errors import DomainError
from bihuan.ledger.models import ExtensionRequest
from bihuan.ledger.services import extension_decide, extension_request
from bihuan.workflow.models import ExtensionState
from bihuan.workflow.states import Action


@pytest.fixture
def pending_extension(in_progress, world, now):
    return extension_request(
        measure=in_progress,
        by=world.li,
        now=now,
        new_deadline=in_progress.deadline + dt.timedelta(days=10),
        reason="资金未到位",
    )


def test_a_pending_request_is_not_offered_again(in_progress, pending_extension, world):
    in_progress.refresh_from_db()
    assert Action.EXTENSION_REQUEST not in in_progress.allowed_actions(world.li)


def test_closing_a_measure_lapses_its_pending_extension(pending_extension, in_progress, world, now):
    in_progress.refresh_from_db()
    in_progress.submit(by=world.li, now=now)
    in_progress.close(by=world.zhou, now=now)

    lapsed = ExtensionRequest.objects.get(pk=pending_extension.pk)
    assert lapsed.state == ExtensionState.LAPSED
    with pytest.raises(DomainError, match="已失效"):
        extension_decide(request=lapsed, by=world.zhou, now=now, approve=True)
    in_progress.refresh_from_db()
    assert in_progress.deadline == pending_extension.current_deadline


def test_an_extension_cannot_be_asked_after_the_deadline(in_progress, world):
    late = dt.datetime.combine(
        in_progress.deadline + dt.timedelta(days=1), dt.time(9), tzinfo=dt.timezone.utc
    )
    with pytest.raises(DomainError, match="逾期按原时限计算"):
        extension_request(
            measure=in_progress,
            by=world.li,
            now=late,
            new_deadline=in_progress.deadline + dt.timedelta(days=20),
            reason="来不及",
        )
    assert not ExtensionRequest.objects.exists()


def test_refusing_needs_a_reason_and_keeps_the_deadline(pending_extension, in_progress, world, now):
    with pytest.raises(DomainError, match="须填写理由"):
        extension_decide(request=pending_extension, by=world.zhou, now=now, approve=False)
    extension_decide(
        request=pending_extension, by=world.zhou, now=now, approve=False, comment="理由不充分"
    )
    in_progress.refresh_from_db()
    assert in_progress.deadline == pending_extension.current_deadline
    assert in_progress.events.last().action == Action.EXTENSION_REFUSE


def test_a_handler_cannot_decide_their_own_request(pending_extension, world, now):
    from bihuan.errors import NotAllowed

    with pytest.raises(NotAllowed):
        extension_decide(request=pending_extension, by=world.li, now=now, approve=True)
    assert ExtensionRequest.objects.get().state == ExtensionState.PENDING
