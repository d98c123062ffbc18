"""Every refusal leaves the API as JSON: {"detail": 中文说明, "field": the field or null}.

Schema validation errors also list each problem under "errors"; their `field` is the dotted path
in the body or query (`measures.0.deadline`).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from bihuan.errors import DomainError

# Where a value came from, as ninja names it: not part of the field's path.
_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}

_MESSAGES = {
    "missing": "必须填写",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD）",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "string_too_long": "不能超过 {max_length} 个字",
    "too_long": "最多 {max_length} 项",
    "enum": "取值应为 {expected}",
    "literal_error": "取值应为 {expected}",
}

_HTTP_MESSAGES = {
    "CSRF check Failed": "CSRF 校验失败，请刷新页面后重试。",
    "Cannot parse request body": "请求体无法解析，应为有效的 JSON。",
}


class Error(Schema):
    detail: str
    field: str | None = None


class FieldError(Schema):
    field: str | None
    message: str


class InvalidInput(Error):
    errors: list[FieldError]


def _field(loc) -> str | None:
    parts = [str(part) for part in loc]
    # ninja prefixes the source and, for a schema parameter, the parameter's name.
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
        if parts and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or None


def _message(error: dict, field: str | None) -> str:
    if field is None and error.get("type") == "missing":
        return "请求体不能为空"
    template = _MESSAGES.get(error.get("type", ""))
    if template is None:
        return str(error.get("msg", "格式不正确")).removeprefix("Value error, ")
    ctx = dict(error.get("ctx", {}))
    if "expected" in ctx:
        ctx["expected"] = str(ctx["expected"]).replace(" or ", ", ")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def field_errors(errors: list[dict]) -> dict:
    items = []
    for error in errors:
        field = _field(error.get("loc", ()))
        items.append({"field": field, "message": _message(error, field)})
    first = items[0] if items else {"field": None, "message": "请求格式不正确"}
    where = f"「{first['field']}」" if first["field"] else ""
    return {"detail": f"{where}{first['message']}。", "field": first["field"], "errors": items}


def install(api) -> None:
    """Map domain, Django and ninja errors to the one JSON shape."""

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(
            request, {"detail": exc.message, "field": exc.field}, status=exc.status
        )

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request, exc: DjangoValidationError):
        field = next(iter(exc.error_dict), None) if hasattr(exc, "error_dict") else None
        detail = "；".join(exc.messages)
        return api.create_response(request, {"detail": detail, "field": field}, status=400)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        return api.create_response(request, field_errors(exc.errors), status=422)

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return api.create_response(request, {"detail": "未找到该记录。", "field": None}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        response = api.create_response(
            request, {"detail": "未登录或接口令牌无效。", "field": None}, status=401
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        detail = _HTTP_MESSAGES.get(str(exc), str(exc))
        response = api.create_response(
            request, {"detail": detail, "field": None}, status=exc.status_code
        )
        if retry_after := getattr(exc, "retry_after", None):
            response["Retry-After"] = str(retry_after)
        return response


ERRORS = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    409: Error,
    422: InvalidInput,
    429: Error,
}
