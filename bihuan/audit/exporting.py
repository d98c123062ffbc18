"""The audit log as CSV for the auditor: one row per entry, streamed, safe to open in Excel/WPS."""

import csv
import json
from collections.abc import Iterable, Iterator

from django.utils import timezone

from .models import AuditEntry

CHUNK_SIZE = 2000
HEADER = (
    "序号",
    "时间",
    "操作人",
    "来源地址",
    "客户端",
    "操作",
    "步骤",
    "对象类型",
    "对象编号",
    "对象",
    "变更内容",
    "哈希算法",
    "前一条哈希",
    "哈希",
)
# A cell starting with one of these is a formula to Excel and WPS (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_rows(entries) -> Iterator[list[str]]:
    yield list(HEADER)
    for entry in entries.order_by("seq").iterator(chunk_size=CHUNK_SIZE):
        yield [
            safe_cell(value)
            for value in (
                entry.seq,
                f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M:%S}",
                entry.actor_name,
                entry.ip,
                entry.user_agent,
                entry.get_action_display(),
                entry.step_label,
                entry.object_type,
                entry.object_id,
                entry.object_repr,
                json.dumps(entry.changes, ensure_ascii=False, sort_keys=True),
                entry.algorithm,
                entry.prev_hash,
                entry.hash,
            )
        ]


class _Line:
    """csv.writer's file: hands back each line it is given."""

    def write(self, line: str) -> str:
        return line


def csv_lines(entries: Iterable[AuditEntry]) -> Iterator[str]:
    """The file's text line by line, after a byte-order mark so Excel reads it as UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff"
    for row in csv_rows(entries):
        yield writer.writerow(row)
