"""佐证材料 on a progress report: checked like the ledger's, downloaded by who sees the item."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bihuan.audit.models import AuditEntry
from bihuan.errors import DomainError
from bihuan.supervision.models import SupervisionEvidence, SupervisionProgress
from bihuan.supervision.services import item_transition, progress_post
from bihuan.workflow.states import Action

from .conftest import fresh

PDF = b"%PDF-1.4 the photos"


@pytest.fixture
def acknowledged(item, world, now, calendar):
    item_transition(item=item, action=Action.ACKNOWLEDGE, by=world.li, now=now, calendar=calendar)
    return fresh(item)


def test_progress_keeps_its_files(acknowledged, world, now):
    progress = progress_post(
        item=acknowledged,
        by=world.li,
        now=now,
        text="主街已整治",
        files=[SimpleUploadedFile("现场照片.pdf", PDF)],
    )

    evidence = progress.evidence.get()
    assert (evidence.original_name, evidence.size, evidence.content_type) == (
        "现场照片.pdf",
        len(PDF),
        "application/pdf",
    )
    assert evidence.file.read() == PDF


def test_a_renamed_program_is_refused_and_no_progress_is_written(acknowledged, world, now):
    with pytest.raises(DomainError, match="内容与扩展名不符"):
        progress_post(
            item=acknowledged,
            by=world.li,
            now=now,
            text="主街已整治",
            files=[SimpleUploadedFile("照片.pdf", b"MZ\x90\x00 a program")],
        )

    assert not SupervisionProgress.objects.exists()
    assert fresh(acknowledged).version == acknowledged.version


def test_the_file_is_downloaded_in_scope_and_the_download_audited(client, acknowledged, world, now):
    client.force_login(world.li)
    client.post(
        reverse("supervision:progress_post", args=[acknowledged.pk]),
        {"text": "主街已整治", "files": [SimpleUploadedFile("现场.pdf", PDF)]},
    )
    evidence = SupervisionEvidence.objects.get()
    url = reverse("supervision:evidence_download", args=[evidence.pk])
    page = client.get(acknowledged.get_absolute_url())
    assert url in page.text

    client.force_login(world.zhou)
    download = client.get(url)

    assert b"".join(download.streaming_content) == PDF
    assert AuditEntry.objects.filter(action="download", object_id=str(evidence.pk)).count() == 1
    client.force_login(world.chen)  # 东关村 neither leads nor helps
    assert client.get(url).status_code == 404
