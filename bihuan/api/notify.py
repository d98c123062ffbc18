"""催办 and the caller's own notifications."""

import datetime as dt

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from bihuan.ledger.models import Measure
from bihuan.ledger.selectors import ledger_measures
from bihuan.notify import services
from bihuan.notify.items import URGEABLE_STATES, absolute_url
from bihuan.notify.models import Notification
from bihuan.supervision.selectors import supervision_items, visible_item

from .clock import clock
from .errors import ERRORS
from .measures import MeasureQuery
from .pagination import Page, PageQuery, paginate
from .supervision import SupervisionItemQuery

router = Router(tags=["催办与通知"])


class UrgeIn(Schema):
    message: str = Field(
        "", max_length=services.MESSAGE_MAX_LENGTH, description="催办留言；不填时为默认用语"
    )


class UrgeOut(Schema):
    urged: int = Field(description="催办的措施或督办事项数")
    skipped: int = Field(description="不在待签收、整改（办理）中而跳过的数目")
    notified: int = Field(description="收到通知的人次")


@router.post(
    "/measures/{measure_id}/urge",
    response={200: UrgeOut, **ERRORS},
    summary="催办一条措施（督查员）",
)
def measure_urge(request, measure_id: int, payload: UrgeIn):
    measures = Measure.objects.visible_to(request.auth).select_related(
        "owner", "owner_unit", "problem__unit"
    )
    measure = get_object_or_404(measures, pk=measure_id)
    return services.urge(
        items=[measure], by=request.auth, now=clock(request).now, message=payload.message
    )


@router.post(
    "/measures/urge",
    response={200: UrgeOut, **ERRORS},
    summary="催办台账筛选结果中待签收、整改中的全部措施（督查员）",
    description=f"筛选参数同“整改台账”；一次最多 {settings.BIHUAN_URGE_MAX_ITEMS} 项，超过时拒绝。",
)
def measures_urge(request, query: Query[MeasureQuery], payload: UrgeIn):
    moment = clock(request)
    measures = ledger_measures(
        user=request.auth, filters=query.filters(request.auth), cutoffs=moment.cutoffs
    ).filter(state__in=URGEABLE_STATES)
    return services.urge(
        items=list(measures[: settings.BIHUAN_URGE_MAX_ITEMS + 1]),
        by=request.auth,
        now=moment.now,
        message=payload.message,
    )


@router.post(
    "/supervision/items/{item_id}/urge",
    response={200: UrgeOut, **ERRORS},
    summary="催办一项督办事项（交办单位督查员）",
)
def item_urge(request, item_id: int, payload: UrgeIn):
    return services.urge(
        items=[visible_item(request.auth, item_id)],
        by=request.auth,
        now=clock(request).now,
        message=payload.message,
    )


@router.post(
    "/supervision/items/urge",
    response={200: UrgeOut, **ERRORS},
    summary="催办督办台账筛选结果中待签收、办理中的全部事项（督查员）",
    description=f"筛选参数同“督办台账”；一次最多 {settings.BIHUAN_URGE_MAX_ITEMS} 项，超过时拒绝。",
)
def items_urge(request, query: Query[SupervisionItemQuery], payload: UrgeIn):
    moment = clock(request)
    items = supervision_items(
        user=request.auth, filters=query.filters(request.auth), cutoffs=moment.cutoffs
    ).filter(state__in=URGEABLE_STATES)
    return services.urge(
        items=list(items[: settings.BIHUAN_URGE_MAX_ITEMS + 1]),
        by=request.auth,
        now=moment.now,
        message=payload.message,
    )


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    url: str = Field(description="事项的完整地址")
    item_type: str = Field(description="事项类型，如 ledger.measure")
    item_id: int
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_url(obj) -> str:
        return absolute_url(obj.link)

    @staticmethod
    def resolve_item_type(obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    @staticmethod
    def resolve_item_id(obj) -> int:
        return obj.object_id


class NotificationQuery(PageQuery):
    unread: bool = Field(False, description="true 只看未读")


class ReadAllOut(Schema):
    read: int = Field(description="标为已读的条数")


def _own(request):
    return Notification.objects.filter(recipient=request.auth).select_related("content_type")


@router.get("/notifications", response={200: Page[NotificationOut], **ERRORS}, summary="我的通知")
def notification_list(request, query: Query[NotificationQuery]):
    notifications = _own(request)
    return paginate(notifications.unread() if query.unread else notifications, query)


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **ERRORS},
    summary="标为已读",
)
def notification_read(request, notification_id: int):
    notification = get_object_or_404(_own(request), pk=notification_id)
    services.notification_read(notification=notification, by=request.auth, now=clock(request).now)
    return get_object_or_404(_own(request), pk=notification_id)


@router.post(
    "/notifications/read-all", response={200: ReadAllOut, **ERRORS}, summary="全部标为已读"
)
def notifications_read_all(request):
    return {"read": services.notifications_read_all(by=request.auth, now=clock(request).now)}
