"""The caller's own account."""

from ninja import Router

from .errors import ERRORS
from .schemas import Me

router = Router(tags=["账户"])


@router.get("/me", response={200: Me, **ERRORS}, summary="当前用户")
def me(request):
    return request.auth
