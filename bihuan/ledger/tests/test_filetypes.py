import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bihuan.errors import DomainError
from bihuan.ledger.filetypes import content_agrees
from bihuan.ledger.models import Progress
from bihuan.ledger.services import progress_post


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("整改报告.pdf", b"%PDF-1.7\n%\xe2\xe3"),
        ("现场照片.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("截图.png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("台账.xlsx", b"PK\x03\x04\x14\x00\x06\x00"),
        ("通知.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00"),
        ("会议视频.mp4", b"\x00\x00\x00\x18ftypmp42"),
        ("名单.csv", "姓名,单位\n张三,城关镇".encode()),
    ],
)
def test_files_whose_content_matches_their_name_are_accepted(name, head):
    assert content_agrees(name, head)


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("整改报告.pdf", b"MZ\x90\x00\x03\x00"),  # a Windows program renamed
        ("现场照片.jpg", b"<html><script>"),
        ("说明.txt", b"#!/bin/sh\nrm -rf /"),
        ("说明.txt", b"<!DOCTYPE html><html>"),
        ("台账.xlsx", b"%PDF-1.7"),
        ("工具.exe", b"MZ\x90\x00"),
        ("无扩展名", b"%PDF-1.7"),
    ],
)
def test_files_whose_content_contradicts_their_name_are_refused(name, head):
    assert not content_agrees(name, head)


def test_a_renamed_program_is_refused_as_evidence_and_nothing_is_written(in_progress, world, now):
    fake = SimpleUploadedFile("整改报告.pdf", b"MZ\x90\x00" + b"\x00" * 100)

    with pytest.raises(DomainError, match="内容与扩展名不符"):
        progress_post(measure=in_progress, by=world.li, now=now, text="已整改", files=[fake])

    assert Progress.objects.count() == 0
