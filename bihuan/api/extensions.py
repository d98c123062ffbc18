"""延期申请: the reviewer's decision."""

from django.shortcuts import get_object_or_404
from ninja import Router

from bihuan.ledger import services

from .clock import clock
from .errors import ERRORS
from .reads import visible_extensions
from .schemas import DecisionIn, ExtensionOut

router = Router(tags=["延期申请"])


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
