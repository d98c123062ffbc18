import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bihuan.ledger.models import ImportBatch, Measure, Problem

from .workbooks import ledger_xlsx


def run(*args) -> str:
    out = io.StringIO()
    call_command("ledger", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def ledger_file(tmp_path):
    path = tmp_path / "城关镇整改台账.xlsx"
    path.write_bytes(ledger_xlsx())
    return path


def test_dry_run_json_prints_the_contract_and_needs_no_account(ledger_file, db):
    printed = json.loads(run("import", str(ledger_file), "--dry-run", "--format", "json"))

    first = printed["problems"][0]
    assert first["text"] == "便民服务中心午休时段无人值守"
    assert first["category"] == "工作作风"
    assert first["measures"][0] == {
        "text": "实行午间轮班值守",
        "lead": "钱书记",
        "owner_unit": "城关镇人民政府",
        "owner": "李承办",
        "deadline_text": "2024年10月底前",
        "deadline": "2024-10-31",
        "ongoing": False,
        "status": "closed",
    }
    assert first["measures"][1]["ongoing"] is True
    assert printed["errors"] == []
    assert Problem.objects.count() == 0


def test_import_as_a_supervisor_writes_and_a_rerun_changes_nothing(ledger_file, world):
    first = run("import", str(ledger_file), "--as", "zhou", "--unit", "城关镇")
    second = run("import", str(ledger_file), "--as", "zhou", "--unit", "城关镇")

    assert "新增问题 2 个、措施 3 条" in first
    assert "未变 3 条" in second
    assert Measure.objects.count() == 3
    assert ImportBatch.objects.count() == 2


def test_a_dry_run_as_a_supervisor_plans_without_writing(ledger_file, world):
    printed = json.loads(
        run("import", str(ledger_file), "--dry-run", "--format", "json", "--as", "zhou")
    )

    assert printed["plan"]["measures_new"] == 3
    assert printed["unmatched_units"] == []
    assert Measure.objects.count() == ImportBatch.objects.count() == 0


def test_unknown_units_stop_the_import_until_mapped(tmp_path, world):
    rows = [
        [
            1,
            "工作作风",
            "会议室预约混乱",
            "建立线上预约",
            "钱书记",
            "镇党政办",
            "李承办",
            "2024年12月底前",
            None,
        ]
    ]
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger_xlsx(rows))

    with pytest.raises(CommandError, match="没有导入任何内容"):
        run("import", str(path), "--as", "zhou")
    assert Measure.objects.count() == 0

    run("import", str(path), "--as", "zhou", "--map", "镇党政办=城关镇")
    assert Measure.objects.get().owner_unit == world.chengguan


def test_a_real_import_needs_an_account(ledger_file, db):
    with pytest.raises(CommandError, match="--as"):
        run("import", str(ledger_file))


def test_a_file_that_is_not_a_ledger_is_one_clear_error(tmp_path, db):
    path = tmp_path / "报告.xlsx"
    path.write_bytes(b"%PDF-1.7 not a workbook")

    with pytest.raises(CommandError) as raised:
        run("import", str(path), "--dry-run")
    assert "\n" not in str(raised.value)


def test_a_missing_file_is_named(tmp_path, db):
    with pytest.raises(CommandError, match="找不到文件"):
        run("import", str(tmp_path / "无.xlsx"), "--dry-run")


def test_export_writes_the_whole_ledger_and_it_imports_back_unchanged(
    tmp_path, world, make_problem
):
    make_problem(description="窗口人员脱岗")
    make_problem(unit=world.hexi, description="河西乡会议过多")
    out = tmp_path / "全县台账.xlsx"

    printed = run("export", "--out", str(out))

    assert "已导出 2 条整改措施" in printed
    again = run("import", str(out), "--as", "zhou", "--unit", "城关镇")
    assert "新增问题 0 个、措施 0 条，更新措施 0 条，未变 2 条" in again


def test_export_as_a_person_keeps_to_their_scope(tmp_path, world, make_problem):
    make_problem(description="窗口人员脱岗")
    make_problem(unit=world.hexi, description="河西乡会议过多")
    out = tmp_path / "河西乡.xlsx"

    run("export", "--out", str(out), "--as", "wang")

    printed = json.loads(run("import", str(out), "--dry-run", "--format", "json"))
    assert [p["text"] for p in printed["problems"]] == ["河西乡会议过多"]


def test_export_refuses_a_name_that_is_not_xlsx(tmp_path, db):
    with pytest.raises(CommandError, match=r"\.xlsx"):
        run("export", "--out", str(tmp_path / "台账.csv"))
    assert not (tmp_path / "台账.csv").exists()


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path, settings, db):
    settings.BIHUAN_IMPORT_MAX_BYTES = 1024
    path = tmp_path / "大.xlsx"
    path.write_bytes(b"x" * 2048)

    with pytest.raises(CommandError, match=r"超过 1\.0\xa0KB 的上限"):
        run("import", str(path), "--dry-run")
