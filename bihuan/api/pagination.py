"""Page through a queryset with two queries (count and slice), whatever the page size."""

from typing import Generic, TypeVar

from django.conf import settings
from ninja import Field, Schema
from pydantic import field_validator

from bihuan.ledger.paging import KeyedRows

MAX_PAGE_SIZE = 200

Row = TypeVar("Row")


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="页码，从 1 开始")
    page_size: int = Field(
        settings.BIHUAN_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="每页条数，最多 200"
    )

    @field_validator("*", mode="before")
    @classmethod
    def blank_means_default(cls, value, info):
        """A parameter sent empty (`?source=`, as an HTML form sends it) keeps its default."""
        return cls.model_fields[info.field_name].default if value == "" else value


class Page(Schema, Generic[Row]):
    count: int
    results: list[Row]


def paginate(queryset, query: PageQuery) -> dict:
    start = (query.page - 1) * query.page_size
    rows = KeyedRows(queryset)
    return {"count": rows.count(), "results": rows[start : start + query.page_size]}
