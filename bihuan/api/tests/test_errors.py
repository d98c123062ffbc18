"""Errors that no request in the shared world provokes, mapped straight through the API."""

import json

from django.core.exceptions import ValidationError
from django.test import RequestFactory

from bihuan.api.api import api
from bihuan.errors import Conflict


def answer(exc) -> tuple[int, dict]:
    response = api.on_exception(RequestFactory().get("/api/me"), exc)
    return response.status_code, json.loads(response.content)


def test_a_lost_update_is_a_409():
    assert answer(Conflict()) == (
        409,
        {"detail": "该记录已被他人修改，请刷新页面后重试。", "field": None},
    )


def test_a_django_validation_error_names_its_field():
    error = ValidationError({"deadline": ["整改时限不能早于交办日期。"]})

    assert answer(error) == (400, {"detail": "整改时限不能早于交办日期。", "field": "deadline"})


def test_a_django_validation_error_without_a_field():
    assert answer(ValidationError("三员分立：管理员角色不能与其他角色兼任")) == (
        400,
        {"detail": "三员分立：管理员角色不能与其他角色兼任", "field": None},
    )
