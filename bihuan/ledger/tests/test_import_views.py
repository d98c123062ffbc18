import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bihuan.ledger.models import ImportBatch, ImportState, Measure, NameMapping, Problem
from bihuan.org.models import Unit
from bihuan.workflow.states import State

from .workbooks import ledger_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def supervisor(client, world):
    client.force_login(world.zhou)
    return client


def upload(client, world, data=None, name="城关镇整改台账.xlsx"):
    return client.post(
        reverse("ledger:import"),
        {
            "file": SimpleUploadedFile(name, data or ledger_xlsx(), content_type=XLSX),
            "unit": world.chengguan.pk,
            "source": "self",
            "category": world.category.pk,
        },
    )


def test_only_supervisors_reach_the_import_page(client, world):
    client.force_login(world.li)

    assert client.get(reverse("ledger:import")).status_code == 403


def test_upload_shows_a_preview_and_writes_nothing(supervisor, world):
    response = upload(supervisor, world)

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("ledger:import_preview", args=[batch.pk])
    page = supervisor.get(response.url).content.decode()
    assert "新增问题 <strong>2</strong> 个" in page
    assert "实行午间轮班值守" in page and "2024年10月31日" in page and "已销号" in page
    assert Measure.objects.count() == 0


def test_commit_imports_everything_and_a_second_import_changes_nothing(supervisor, world):
    # The same bytes twice: a workbook written again carries a new timestamp inside.
    workbook = ledger_xlsx()
    batch = ImportBatch.objects.get(pk=upload(supervisor, world, data=workbook).url.split("/")[-2])

    supervisor.post(reverse("ledger:import_commit", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.state == ImportState.COMMITTED
    assert batch.result["measures_new"] == 3
    states = dict(Measure.objects.values_list("text", "state"))
    assert states == {
        "实行午间轮班值守": State.CLOSED,
        "值守情况每周抽查通报": State.IN_PROGRESS,
        "东关村每月5日前更新公开栏": State.PENDING,
    }
    again = upload(supervisor, world, data=workbook)
    page = supervisor.get(again.url).content.decode()
    assert "同一文件已于" in page and "没有变化 <strong>3</strong> 条" in page
    supervisor.post(again.url + "commit/")
    assert Measure.objects.count() == 3 and Problem.objects.count() == 2


def test_a_batch_commits_only_once(supervisor, world):
    preview = upload(supervisor, world).url
    supervisor.post(preview + "commit/")

    response = supervisor.post(preview + "commit/", follow=True)

    assert "不能再次导入" in response.content.decode()
    assert Measure.objects.count() == 3


def test_a_word_document_renamed_xlsx_is_refused_with_one_message(supervisor, world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", "<w:document/>")

    response = upload(supervisor, world, data=buffer.getvalue())

    assert response.status_code == 200
    assert "Word 文档" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_an_unknown_unit_is_mapped_once_and_then_the_file_imports(supervisor, world):
    rows = [
        [
            1,
            "工作作风",
            "会议室预约混乱",
            "建立线上预约",
            "钱书记",
            "城关镇党政办",
            "李承办",
            "2024年12月底前",
            None,
        ]
    ]
    preview = upload(supervisor, world, data=ledger_xlsx(rows)).url
    page = supervisor.get(preview).content.decode()
    assert "找不到单位“城关镇党政办”" in page
    assert 'disabled title="请先改正下列错误"' in page

    supervisor.post(preview + "units/", {"text": "城关镇党政办", "parent": world.chengguan.pk})
    supervisor.post(preview + "commit/")

    office = Unit.objects.get(name="城关镇党政办")
    assert office.parent == world.chengguan
    assert Measure.objects.get().owner_unit == office
    assert NameMapping.objects.get().unit == office


def test_mapping_to_an_existing_unit_is_remembered(supervisor, world):
    rows = [
        [
            1,
            "工作作风",
            "会议室预约混乱",
            "建立线上预约",
            "钱书记",
            "关城镇",
            "李承办",
            "2024年12月底前",
            None,
        ]
    ]
    preview = upload(supervisor, world, data=ledger_xlsx(rows)).url

    supervisor.post(preview + "units/", {"text": "关城镇", "unit": world.chengguan.pk})

    assert "找不到单位" not in supervisor.get(preview).content.decode()
    other = upload(supervisor, world, data=ledger_xlsx(rows)).url
    assert "找不到单位" not in supervisor.get(other).content.decode()


def test_someone_elses_batch_is_not_found(supervisor, client, world):
    preview = upload(supervisor, world).url
    client.force_login(world.qian)

    assert client.get(preview).status_code == 404
    assert client.post(preview + "commit/").status_code == 404
    assert Measure.objects.count() == 0


def test_discarding_writes_nothing(supervisor, world):
    preview = upload(supervisor, world).url

    supervisor.post(preview + "discard/")

    assert ImportBatch.objects.get().state == ImportState.DISCARDED
    assert supervisor.post(preview + "commit/", follow=True).status_code == 200
    assert Measure.objects.count() == 0
