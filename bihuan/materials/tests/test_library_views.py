"""The reference library in the web app: the system admin adds, reads and removes texts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bihuan.materials.library import reference_add
from bihuan.materials.models import PoolEntry, ReferenceText
from bihuan.text.tests.dupcheck_texts import INDEPENDENT, ORIGINAL, UNRELATED


def upload(name: str, text: str | bytes, encoding: str = "utf-8") -> SimpleUploadedFile:
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return SimpleUploadedFile(name, data, content_type="text/plain")


@pytest.fixture
def admin(client, world):
    client.force_login(world.wu)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_system_admin_adds_several_files_at_once(admin):
    response = admin.post(
        reverse("materials:library_add"),
        {
            "files": [upload("研讨发言.txt", ORIGINAL, "gb18030"), upload("社区.txt", INDEPENDENT)],
            "source_name": "某范文网",
        },
        follow=True,
    )

    assert messages_of(response) == [
        "已加入 2 篇：在作风建设专题研讨会上的发言、关于改进社区工作作风的几点思考。"
    ]
    assert sorted(ReferenceText.objects.values_list("source_name", "added_by__username")) == [
        ("某范文网", "wu"),
        ("某范文网", "wu"),
    ]
    assert PoolEntry.objects.filter(reference__isnull=False).count() == 2
    page = response.content.decode()
    assert "在作风建设专题研讨会上的发言" in page and "某范文网" in page


def test_a_file_already_in_the_library_and_an_unreadable_one_are_reported(admin, now):
    reference_add(text=ORIGINAL, name="范文", now=now)

    response = admin.post(
        reverse("materials:library_add"),
        {
            "files": [
                upload("again.txt", ORIGINAL),
                upload("坏.pdf", b"\x00\x01junk" * 50),
                upload("新.txt", UNRELATED),
            ]
        },
        follow=True,
    )

    assert messages_of(response) == [
        "已加入 1 篇：柳河村2024年春耕生产情况汇报。",
        "1 篇已在库中：在作风建设专题研讨会上的发言。",
        "未能加入 坏.pdf：文件扩展名是 .pdf，但内容不是 PDF（可能已损坏或改过扩展名）；请重新导出 PDF 后上传。",
    ]
    assert ReferenceText.objects.get(title__startswith="柳河村").source_name == "新.txt"


def test_the_system_admin_reads_and_removes_a_text(admin, now, world):
    reference, _ = reference_add(text=ORIGINAL, name="范文", now=now)

    text = admin.get(reverse("materials:library_text", args=[reference.pk]))
    removed = admin.post(reverse("materials:library_remove", args=[reference.pk]), follow=True)

    assert "制度管用关键在执行" in text.content.decode()
    assert messages_of(removed) == [
        "已将《在作风建设专题研讨会上的发言》移出参考库，此后的查重不再与它比对。"
    ]
    reference.refresh_from_db()
    assert reference.removed_at is not None
    assert not PoolEntry.objects.filter(reference=reference).exists()
    assert "参考库中还没有文本" in removed.content.decode()


@pytest.mark.parametrize("username", ["zhou", "qian", "sun"])
def test_nobody_else_manages_the_library(client, world, now, username):
    reference, _ = reference_add(text=ORIGINAL, name="范文", now=now)
    client.force_login(getattr(world, username))

    pages = [
        client.get(reverse("materials:library")),
        client.get(reverse("materials:library_text", args=[reference.pk])),
        client.post(reverse("materials:library_add"), {"files": [upload("a.txt", UNRELATED)]}),
        client.post(reverse("materials:library_remove", args=[reference.pk])),
    ]

    assert [page.status_code for page in pages] == [403, 403, 403, 403]
    assert ReferenceText.objects.active().count() == 1
