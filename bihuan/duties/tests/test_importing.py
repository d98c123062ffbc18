"""The four lists from a county's spreadsheet: checked whole, written all or nothing, and the
same file imported twice changes nothing."""

import io

import pytest
from openpyxl import Workbook

from bihuan.audit.models import AuditEntry
from bihuan.duties.importing import ImportRefused, entries_import
from bihuan.duties.models import DutyEntry
from bihuan.errors import NotAllowed

HEADER = ["序号", "事项名称", "法律依据", "备注"]


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


# One sheet per list, each under a title row, as counties publish them.
PER_SHEET = workbook(
    {
        "自治事项": [
            ["青山县村级组织依法自治事项清单"],
            HEADER,
            [1, "村规民约制定和修订", "《村民委员会组织法》", ""],
            [2, "村务公开", "《村民委员会组织法》", "每季度一次"],
        ],
        "协助政府事项": [HEADER, [1, "协助开展人口普查", "《统计法》", ""]],
        "出具证明事项": [HEADER, [1, "出具居住证明", "", "限本村常住人口"]],
        "负面清单": [HEADER, [1, "招商引资任务", "", ""], [2, "安全生产执法", "", ""]],
    }
)


def entries() -> list[tuple]:
    return list(
        DutyEntry.objects.order_by("level", "kind", "number").values_list(
            "level", "kind", "number", "name", "basis", "note"
        )
    )


def test_a_workbook_with_a_sheet_per_list_is_imported(world, now):
    counts = entries_import(
        data=PER_SHEET, filename="四张清单.xlsx", level="village", by=world.wu, now=now
    )

    assert (counts.created, counts.updated, counts.unchanged) == (6, 0, 0)
    assert entries() == [
        ("village", "assist", 1, "协助开展人口普查", "《统计法》", ""),
        ("village", "autonomy", 1, "村规民约制定和修订", "《村民委员会组织法》", ""),
        ("village", "autonomy", 2, "村务公开", "《村民委员会组织法》", "每季度一次"),
        ("village", "certificate", 1, "出具居住证明", "", "限本村常住人口"),
        ("village", "negative", 1, "招商引资任务", "", ""),
        ("village", "negative", 2, "安全生产执法", "", ""),
    ]
    audit = AuditEntry.objects.get(object_type="duties.dutyentry")
    assert (audit.action, audit.changes["created"]) == ("import", 6)


def test_the_same_file_again_changes_nothing_and_a_new_version_corrects(world, now):
    entries_import(data=PER_SHEET, filename="清单.xlsx", level="village", by=world.wu, now=now)
    before = entries()

    again = entries_import(
        data=PER_SHEET, filename="清单.xlsx", level="village", by=world.wu, now=now
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert entries() == before

    corrected = workbook({"负面清单": [HEADER, [5, "招商引资任务", "县委文件", ""]]})
    later = entries_import(
        data=corrected, filename="清单.xlsx", level="village", by=world.wu, now=now
    )
    assert (later.created, later.updated, later.unchanged) == (0, 1, 0)
    assert DutyEntry.objects.get(name="招商引资任务").basis == "县委文件"
    assert DutyEntry.objects.count() == 6


def test_one_sheet_with_a_list_column_and_sections_for_both_levels(world, now):
    data = workbook(
        {
            "村（社区）清单": [
                ["序号", "事项名称", "清单类型"],
                [1, "协助开展征兵工作", "协助政府工作事项"],
                [2, "出具亲属关系证明", "出具证明事项"],
            ],
            "Sheet2": [
                ["序号", "事项名称", "依据"],
                ["一、依法自治事项"],
                [1, "选举村（居）民委员会", "组织法"],
                ["二、负面清单"],
                [1, "环保督察执法", ""],
            ],
        }
    )

    counts = entries_import(data=data, filename="清单.xlsx", level="both", by=world.wu, now=now)

    assert counts.created == 8
    assert set(DutyEntry.objects.values_list("level", "kind", "name")) == {
        (level, kind, name)
        for level in ("village", "community")
        for kind, name in (
            ("assist", "协助开展征兵工作"),
            ("certificate", "出具亲属关系证明"),
            ("autonomy", "选举村（居）民委员会"),
            ("negative", "环保督察执法"),
        )
    }


def test_rows_that_cannot_be_read_are_named_and_nothing_is_written(world, now):
    data = workbook(
        {
            "清单": [
                ["序号", "事项名称", "清单类型"],
                [1, "协助开展征兵工作", "协助政府事项"],
                [2, None, "自治事项"],
                [3, "防汛值守", "临时任务"],
                [4, "协助开展征兵工作", "协助政府事项"],
            ],
            "说明": [["本表由民政局编制"]],
        }
    )

    with pytest.raises(ImportRefused) as refusal:
        entries_import(data=data, filename="清单.xlsx", level="village", by=world.wu, now=now)

    assert refusal.value.errors == [
        "工作表「清单」第 3 行「事项名称」值 （空）：事项名称不能为空。",
        "工作表「清单」第 4 行「清单类型」值 临时任务：应为自治事项、协助政府事项、出具证明事项或负面清单。",
        "工作表「清单」第 5 行「事项名称」值 协助开展征兵工作：与工作表「清单」第 2 行重复。",
        "工作表「说明」没有找到「事项名称」列，已跳过整个工作表。",
    ]
    assert not DutyEntry.objects.exists()


def test_a_sheet_that_does_not_say_its_list_is_refused(world, now):
    data = workbook({"Sheet1": [["序号", "事项名称"], [1, "村务公开"]]})

    with pytest.raises(ImportRefused) as refusal:
        entries_import(data=data, filename="清单.xlsx", level="village", by=world.wu, now=now)

    assert "无法判断属于哪张清单" in refusal.value.errors[0]


def test_only_the_system_admin_imports(world, now):
    with pytest.raises(NotAllowed):
        entries_import(
            data=PER_SHEET, filename="清单.xlsx", level="village", by=world.zhou, now=now
        )
    assert not DutyEntry.objects.exists()
