"""bihuan dupcheck: files on disk against a folder (no database) or against the pool."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bihuan.materials.library import reference_add
from bihuan.materials.services import material_upload
from bihuan.text.normalise import normalise
from bihuan.text.tests.dupcheck_texts import (
    DISGUISED,
    INDEPENDENT,
    ORIGINAL,
    P4,
    SHORT_COPY,
    UNRELATED,
)


def dupcheck(*args):
    """(stdout, stderr, exit status) of the command."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("dupcheck", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exit:
        return out.getvalue(), err.getvalue(), exit.code
    return out.getvalue(), err.getvalue(), 0


@pytest.fixture
def folder(tmp_path):
    """Template texts as a download leaves them, one in a subfolder, and a hidden file."""
    (tmp_path / "范文" / "社区").mkdir(parents=True)
    (tmp_path / "范文" / "研讨发言.txt").write_bytes(ORIGINAL.encode("gb18030"))
    (tmp_path / "范文" / "社区" / "作风.txt").write_text(INDEPENDENT, encoding="utf-8")
    (tmp_path / "范文" / ".~lock").write_bytes(b"\x00")
    (tmp_path / "交来的.txt").write_text(DISGUISED, encoding="utf-8")
    return tmp_path / "范文"


def clean(text: str) -> str:
    return normalise(text).text


def test_json_against_a_folder_needs_no_database_and_follows_the_contract(folder):
    # No `db` fixture: any query would fail the test.
    out, err, status = dupcheck(
        "--against", folder, "--format", "json", folder.parent / "交来的.txt"
    )

    (line,) = out.splitlines()
    body = json.loads(line)
    assert (err, status) == ("", 0)
    assert list(body) == ["file", "markers", "copy_ratio", "matches"]
    assert body["file"] == str(folder.parent / "交来的.txt")
    assert [(m["line"], m["pattern"]) for m in body["markers"]][:2] == [
        (1, "^(?:下面|以下)(?:是|为)?(?:小编|本站|编辑)"),
        (1, "小编(?:为|给)(?:大家|您|你)"),
    ]
    assert sorted({m["line"] for m in body["markers"]}) == [1, 5, 10]
    assert all(list(m) == ["pattern", "line", "text"] for m in body["markers"])
    assert body["copy_ratio"] == 0.8769
    (match,) = body["matches"]
    assert list(match) == ["source", "similarity", "overlap_chars", "spans"]
    assert (match["source"], match["similarity"], match["overlap_chars"]) == (
        str(folder / "研讨发言.txt"),
        0.8769,
        634,
    )
    assert all(list(s) == ["start", "end", "source_start", "source_end"] for s in match["spans"])


def test_spans_are_offsets_into_both_normalised_texts_at_the_copied_passages(folder, tmp_path):
    copy = tmp_path / "抄的.txt"
    copy.write_text(f"{UNRELATED}\n{P4}", encoding="utf-8")

    out, _, _ = dupcheck("--against", folder, "--format", "json", copy)

    (match,) = json.loads(out)["matches"]
    (span,) = match["spans"]
    mine, theirs = clean(copy.read_text(encoding="utf-8")), clean(ORIGINAL)
    passage = mine[span["start"] : span["end"]]
    assert passage == theirs[span["source_start"] : span["source_end"]]
    assert passage == clean(P4).rstrip("。")


def test_several_files_give_a_json_line_each_and_a_file_in_the_folder_is_not_its_own_source(
    folder, tmp_path
):
    short = tmp_path / "短.txt"
    short.write_text(SHORT_COPY, encoding="utf-8")

    out, _, status = dupcheck(
        "--against", folder, "--format", "json", short, folder / "研讨发言.txt"
    )

    first, second = map(json.loads, out.splitlines())
    assert (first["copy_ratio"], len(first["matches"]), status) == (1.0, 1, 0)
    assert (second["copy_ratio"], second["matches"]) == (0.0, [])


def test_text_output_names_the_marked_lines_the_ratio_and_the_sources(folder):
    out, _, _ = dupcheck("--against", folder, folder.parent / "交来的.txt")

    lines = out.splitlines()
    assert lines[0] == f"== {folder.parent / '交来的.txt'}"
    assert lines[1] == "疑似网络下载：模板网站痕迹在第 1、5、10 行"
    assert lines[2].startswith("  第 1 行（网站用语、推广用语）：下面是小编为大家整理的")
    assert "复制比 87.7%：正文 723 字（不计标点、屏蔽词和常用提法），其中 634 字与来源重合" in lines
    assert f"  1. {folder / '研讨发言.txt'}：重合 634 字，占本文 87.7%，9 段" in lines


def test_each_missing_or_unreadable_file_is_one_line_on_stderr_and_the_status_is_1(
    folder, tmp_path
):
    (tmp_path / "坏.pdf").write_bytes(b"\x00\x01junk" * 50)
    good = tmp_path / "短.txt"
    good.write_text(SHORT_COPY, encoding="utf-8")

    out, err, status = dupcheck(
        "--against", folder, "--format", "json", tmp_path / "没有.txt", tmp_path / "坏.pdf", good
    )

    assert status == 1
    assert err.splitlines() == [
        f"{tmp_path / '没有.txt'}: 找不到文件。",
        f"{tmp_path / '坏.pdf'}: 文件扩展名是 .pdf，但内容不是 PDF（可能已损坏或改过扩展名）；请重新导出 PDF 后上传。",
    ]
    assert json.loads(out)["copy_ratio"] == 1.0


def test_a_folder_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(CommandError, match="找不到这个目录"):
        call_command("dupcheck", "--against", str(tmp_path / "没有"), str(tmp_path))


@pytest.mark.django_db
def test_without_a_folder_files_are_checked_against_the_library_and_the_materials(
    world, now, tmp_path
):
    reference, _ = reference_add(text=ORIGINAL, name="范文", source_name="某范文网", now=now)
    material = material_upload(
        data=INDEPENDENT.encode(),
        filename="社区发言.txt",
        kind="study",
        author=world.li,
        by=world.li,
        now=now,
    )
    both = tmp_path / "拼的.txt"
    both.write_text(f"{SHORT_COPY}\n{INDEPENDENT.split(chr(10))[3]}", encoding="utf-8")

    out, err, status = dupcheck("--format", "json", both)

    body = json.loads(out)
    assert (err, status, body["copy_ratio"]) == ("", 0, 1.0)
    assert [(m["source"], m["overlap_chars"]) for m in body["matches"]] == [
        (f"参考库#{reference.pk}《在作风建设专题研讨会上的发言》", 102),
        (f"材料#{material.pk}《关于改进社区工作作风的几点思考》", 67),
    ]
