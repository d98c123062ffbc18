import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ANALYSIS = """\
2024年度专题民主生活会个人剖析材料
一、存在的问题
（一）在理论学习方面。一是学习不够系统，满足于读文件。二是学用结合不紧。
二、产生问题的原因
理想信念有所松懈，放松了主观世界改造。
三、整改措施
（一）加强理论武装。一是每周自学不少于5小时。二是每月撰写一篇学习体会。
"""


def run_extract(path, *options):
    out = StringIO()
    call_command("extract", str(path), *options, stdout=out)
    return out.getvalue()


def test_json_output_follows_the_contract(tmp_path):
    material = tmp_path / "剖析材料.txt"
    material.write_bytes(ANALYSIS.encode("gb18030"))

    body = json.loads(run_extract(material, "--format", "json"))

    assert list(body) == [
        "title",
        "genre",
        "clean_text",
        "removed",
        "outline",
        "problems",
        "causes",
        "measures",
    ]
    assert body["title"] == "2024年度专题民主生活会个人剖析材料"
    assert body["problems"] == [
        {"category": "理论学习", "text": "学习不够系统,满足于读文件。"},
        {"category": "理论学习", "text": "学用结合不紧。"},
    ]
    assert body["causes"] == [{"text": "理想信念有所松懈,放松了主观世界改造。"}]
    assert body["measures"] == [
        {"group": "加强理论武装", "text": "每周自学不少于5小时。"},
        {"group": "加强理论武装", "text": "每月撰写一篇学习体会。"},
    ]


def test_text_output_is_an_outline_and_items_for_a_person(tmp_path):
    material = tmp_path / "剖析材料.txt"
    material.write_text(ANALYSIS, encoding="utf-8")

    view = run_extract(material)

    assert "  一、存在的问题  〔问题〕" in view
    assert "  1. 【理论学习】学习不够系统,满足于读文件。" in view
    assert "措施（2 条）：" in view


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        (bytes(range(256)) * 8, "无法读取这个文件"),
    ],
)
def test_an_unreadable_file_is_refused_with_one_line(tmp_path, content, message):
    material = tmp_path / "材料.txt"
    material.write_bytes(content)

    with pytest.raises(CommandError) as refused:
        run_extract(material, "--format", "json")

    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_missing_file_is_named_in_the_error(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run_extract(tmp_path / "没有这个文件.txt")


def test_the_bihuan_command_exits_non_zero_with_one_stderr_line_and_no_traceback(tmp_path):
    material = tmp_path / "空.docx"
    material.write_bytes(b"")
    env = {**os.environ, "BIHUAN_DATA_DIR": str(tmp_path / "data")}

    run = subprocess.run(  # noqa: S603 - the project's own CLI with this interpreter
        [sys.executable, "-m", "bihuan.cli", "extract", "--format", "json", str(material)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert run.returncode != 0
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1
    assert "文件是空的" in run.stderr
