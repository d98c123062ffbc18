"""延期申请: the reviewer's decision."""

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from bihuan.ledger import services

from .clock import clock
from .errors import ERRORS
from .reads import visible_extensions
from .schemas import ExtensionOut

router = Router(tags=["延期申请"])


class DecisionIn(Schema):
    approve: bool = Field(description="true 同意，false 不同意")
    comment: str = Field("", max_length=2000, description="审批意见；不同意须填写理由")


@router.post(
    "/extensions/{extension_id}/decision",
    response={200: ExtensionOut, **ERRORS},
    summary="审批延期申请",
)
def extension_decide(request, extension_id: int, payload: DecisionIn):
    extension = get_object_or_404(visible_extensions(request.auth), pk=extension_id)
    services.extension_decide(
        request=extension,
        by=request.auth,
        now=clock(request).now,
        approve=payload.approve,
        comment=payload.comment,
    )
    return get_object_or_404(visible_extensions(request.auth), pk=extension_id)
