"""The JSON API under /api/, with its OpenAPI schema at /api/openapi.json.

The interactive docs at /api/docs use the Swagger UI bundled with ninja ("ninja" is in
INSTALLED_APPS), so nothing loads from the internet.
"""

from ninja import NinjaAPI, Swagger

from . import (
    campaign_edits,
    campaigns,
    duties,
    errors,
    extensions,
    me,
    measures,
    notify,
    problems,
    rankings,
    supervision,
)
from .auth import SessionAuth, TokenAuth
from .renderers import LocalTimeRenderer

api = NinjaAPI(
    title="Bihuan 闭环 API",
    version="1",
    description=(
        "问题整改台账接口。认证：`Authorization: Bearer <令牌>`（在个人资料页或用 "
        "`bihuan token 用户名` 获取），或浏览器登录会话（写操作须带 CSRF 令牌）。"
        '错误一律返回 `{"detail": 说明, "field": 字段}`：业务校验 400，无权操作 403，'
        "不存在或不在管理范围内 404，并发修改 409，请求格式不符 422（另附 `errors` 逐项说明），"
        "调用过于频繁 429（`Retry-After` 头给出须等待的秒数）。"
        '列表分页参数 `page`、`page_size`（最多 200），返回 `{"count", "results"}`。'
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
    docs=Swagger(settings={"validatorUrl": None}),
    renderer=LocalTimeRenderer(),
)
errors.install(api)
# notify's POST /measures/urge comes before measures' /measures/{measure_id}.
for module in (me, problems, notify, measures, extensions, supervision):
    api.add_router("", module.router)
api.add_router("", duties.router)
api.add_router("", rankings.router)
api.add_router("", campaigns.router)
api.add_router("", campaign_edits.router)
