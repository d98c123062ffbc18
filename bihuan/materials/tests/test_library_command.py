import io

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bihuan.audit.models import AuditAction, AuditEntry
from bihuan.materials.models import PoolEntry, ReferenceText
from bihuan.text.tests.dupcheck_texts import INDEPENDENT, ORIGINAL, UNRELATED


def library(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("library", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


@pytest.fixture
def templates(tmp_path):
    """A folder as a download leaves it: a GB18030 .txt, a .docx in a subfolder, junk, an
    empty file and a hidden file."""
    folder = tmp_path / "范文"
    (folder / "篇二").mkdir(parents=True)
    (folder / "研讨发言.txt").write_bytes(ORIGINAL.encode("gb18030"))
    document = docx.Document()
    for paragraph in INDEPENDENT.split("\n"):
        document.add_paragraph(paragraph)
    document.save(folder / "篇二" / "社区作风.docx")
    (folder / "损坏.pdf").write_bytes(b"\x00\x01junk" * 50)
    (folder / "空.txt").write_bytes(b"")
    (folder / ".DS_Store").write_bytes(b"\x00\x00")
    return folder


@pytest.mark.django_db
def test_adding_a_folder_loads_every_readable_file_and_names_each_bad_one(templates):
    out, err, failure = library("add", templates)

    assert err.splitlines() == [
        f"{templates / '损坏.pdf'}: 文件扩展名是 .pdf，但内容不是 PDF（可能已损坏或改过扩展名）；请重新导出 PDF 后上传。",
        f"{templates / '空.txt'}: 文件是空的（0 字节）；请确认选对了文件后重新上传。",
    ]
    assert out.splitlines()[-1] == "加入 2 篇，已在库中 0 篇，失败 2 个文件。"
    assert failure == "2 个文件未能加入。"
    assert sorted(ReferenceText.objects.values_list("title", "source_name")) == [
        ("关于改进社区工作作风的几点思考", "篇二/社区作风.docx"),
        ("在作风建设专题研讨会上的发言", "研讨发言.txt"),
    ]
    assert PoolEntry.objects.filter(reference__isnull=False).count() == 2
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.CREATE, object_type="materials.referencetext"
        ).count()
        == 2
    )


@pytest.mark.django_db
def test_adding_the_same_text_again_adds_nothing(templates):
    library("add", templates / "研讨发言.txt")

    out, err, failure = library("add", templates / "研讨发言.txt", "--source", "某范文网")

    assert (err, failure) == ("", None)
    assert out.splitlines()[-1] == "加入 0 篇，已在库中 1 篇，失败 0 个文件。"
    assert ReferenceText.objects.count() == 1


@pytest.mark.django_db
def test_list_shows_the_library_and_remove_takes_texts_out(tmp_path):
    (tmp_path / "a.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "b.txt").write_text(UNRELATED, encoding="utf-8")
    library("add", tmp_path, "--source", "某范文网")
    first, second = ReferenceText.objects.all()

    out, err, failure = library("remove", first.pk, 999)
    listed, _, _ = library("list")

    assert out == f"已移出 {first.pk}：在作风建设专题研讨会上的发言\n"
    assert (err, failure) == ("999: 库中没有这个编号。\n", "1 个编号不在库中。")
    lines = listed.splitlines()
    assert lines[0].split("\t")[:3] == [str(second.pk), "柳河村2024年春耕生产情况汇报", "某范文网"]
    assert lines[1:] == ["共 1 篇。"]
    first.refresh_from_db()
    assert first.removed_at is not None
    assert not PoolEntry.objects.filter(reference=first).exists()


@pytest.mark.django_db
def test_a_removed_text_added_again_comes_back(tmp_path):
    (tmp_path / "a.txt").write_text(ORIGINAL, encoding="utf-8")
    library("add", tmp_path / "a.txt")
    reference = ReferenceText.objects.get()
    library("remove", reference.pk)

    out, _, _ = library("add", tmp_path / "a.txt")

    assert out.splitlines()[-1] == "加入 1 篇，已在库中 0 篇，失败 0 个文件。"
    reference.refresh_from_db()
    assert reference.removed_at is None
    assert PoolEntry.objects.filter(reference=reference).count() == 1
