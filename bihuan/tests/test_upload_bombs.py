"""Zip bombs through both doors that open Office files: a material (.docx) and a ledger import
(.xlsx). Each is about a megabyte that inflates to a gigabyte, declaring so or lying about it;
it must be refused in well under a second, without being inflated, and leave nothing."""

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bihuan.ledger.models import ImportBatch
from bihuan.materials.models import Material

GIB = 2**30
CHUNK = b" " * 2**20
# Well above a refusal's time on a busy machine, well below reading a gigabyte.
REFUSED_WITHIN_SECONDS = 1.5
PEAK_BYTES = 32 * 2**20


def _deflated(head: bytes, times: int, tail: bytes) -> bytes:
    """A raw deflate stream of `head`, CHUNK `times` over, and `tail`. A full flush resets the
    compressor, so compressed copies may follow one another: a gigabyte costs a megabyte."""

    def flushed(data: bytes) -> bytes:
        part = zlib.compressobj(9, zlib.DEFLATED, -15)
        return part.compress(data) + part.flush(zlib.Z_FULL_FLUSH)

    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    return flushed(head) + flushed(CHUNK) * times + last.compress(tail) + last.flush()


def zip_bytes(members: dict[str, bytes], *, bomb: str, head: bytes, tail: bytes, declared=None):
    """A zip of `members` and, under the name `bomb`, a part of a gigabyte: `head`, spaces,
    `tail`. `declared` forges the size its headers state."""
    times = GIB // len(CHUNK)
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(CHUNK, crc)
    size = len(head) + times * len(CHUNK) + len(tail)
    entries = [
        (name, zlib.crc32(data), zlib.compress(data)[2:-4], len(data))
        for name, data in members.items()
    ]
    entries.append((bomb, zlib.crc32(tail, crc), _deflated(head, times, tail), declared or size))
    body, directory = b"", b""
    for name, checksum, packed, size in entries:
        encoded = name.encode()
        local = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, checksum, len(packed), size, len(encoded), 0
        )
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50, 20, 20, 0, 8, 0, 0, checksum, len(packed), size, len(encoded),
            0, 0, 0, 0, 0, len(body),
        ) + encoded  # fmt: skip
        body += local + encoded + packed
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(body), 0
    )
    return body + directory + end


# Real packages but for the size of one part: without the size checks, python-docx and
# calamine would read every byte of it.
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCX = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
}
DOCX_PART = {
    "bomb": "word/document.xml",
    "head": b'<?xml version="1.0"?><w:document ' + W + b"><w:body><w:p><w:r><w:t>",
    "tail": b"</w:t></w:r></w:p></w:body></w:document>",
}
XLSX = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
XLSX_PART = {
    "bomb": "xl/worksheets/sheet1.xml",
    "head": b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>',
    "tail": b"</t></is></c></row></sheetData></worksheet>",
}


def measured(send):
    """The answer and the seconds it took; then, sent again, the peak of Python memory while
    it is answered (tracing slows Python down, so it is not timed)."""
    started = time.perf_counter()
    response = send()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    try:
        send()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response, elapsed, peak


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    return zip_bytes(DOCX, **DOCX_PART)


@pytest.fixture(scope="module")
def xlsx_bomb() -> bytes:
    return zip_bytes(XLSX, **XLSX_PART)


@pytest.fixture(autouse=True)
def _pages_loaded(client, world):
    """Both upload pages once, so what is measured is the refusal, not the first import of the
    URLconf and every view module behind it."""
    for user, page in ((world.sun, "materials:upload"), (world.zhou, "ledger:import")):
        client.force_login(user)
        assert client.get(reverse(page)).status_code == 200


def upload_material(client, world, data: bytes):
    client.force_login(world.sun)
    return client.post(
        reverse("materials:upload"),
        {
            "file": SimpleUploadedFile("对照检查材料.docx", data),
            "kind": "analysis",
            "author": world.sun.pk,
        },
    )


def upload_ledger(client, world, data: bytes):
    client.force_login(world.zhou)
    return client.post(
        reverse("ledger:import"),
        {
            "file": SimpleUploadedFile("城关镇整改台账.xlsx", data),
            "unit": world.chengguan.pk,
            "source": "self",
            "category": world.category.pk,
        },
    )


@pytest.mark.parametrize(("bomb", "part"), [("docx_bomb", DOCX_PART), ("xlsx_bomb", XLSX_PART)])
def test_the_bombs_are_small_files_that_really_inflate_to_a_gigabyte(bomb, part, request):
    data = request.getfixturevalue(bomb)
    inside = zipfile.ZipFile(io.BytesIO(data)).getinfo(part["bomb"])

    assert len(data) < 2 * 2**20
    assert inside.file_size > GIB > 500 * inside.compress_size
    with zipfile.ZipFile(io.BytesIO(data)).open(inside) as stream:
        assert stream.read(len(part["head"]) + 3 * len(CHUNK)) == part["head"] + CHUNK * 3


def test_a_docx_bomb_material_is_refused_quickly_and_writes_nothing(
    client, world, docx_bomb, settings
):
    response, elapsed, peak = measured(lambda: upload_material(client, world, docx_bomb))

    assert "文件解压后超过 100 MB 或压缩比异常" in response.text
    assert elapsed < REFUSED_WITHIN_SECONDS
    assert peak < PEAK_BYTES
    assert not Material.objects.exists()
    assert not any(settings.MEDIA_ROOT.rglob("*.docx"))


def test_an_xlsx_bomb_ledger_is_refused_quickly_and_writes_nothing(
    client, world, xlsx_bomb, settings
):
    response, elapsed, peak = measured(lambda: upload_ledger(client, world, xlsx_bomb))

    assert "文件解压后超过 100 MB 或压缩比异常，不是正常的 Excel 台账" in response.text
    assert elapsed < REFUSED_WITHIN_SECONDS
    assert peak < PEAK_BYTES
    assert not ImportBatch.objects.exists()
    assert not any(settings.MEDIA_ROOT.rglob("*.xlsx"))


def test_an_xlsx_that_understates_its_size_is_refused_as_a_bomb(client, world):
    """Declaring a kilobyte passes the size checks; inflating stops a byte past it."""
    forged = zip_bytes(XLSX, **XLSX_PART, declared=1024)

    response, elapsed, peak = measured(lambda: upload_ledger(client, world, forged))

    assert "文件解压后超过 100 MB 或压缩比异常，不是正常的 Excel 台账" in response.text
    assert elapsed < REFUSED_WITHIN_SECONDS
    assert peak < PEAK_BYTES
    assert not ImportBatch.objects.exists()


def test_a_docx_that_understates_its_size_is_refused_as_a_bomb(client, world):
    forged = zip_bytes(DOCX, **DOCX_PART, declared=1024)

    response, elapsed, peak = measured(lambda: upload_material(client, world, forged))

    assert "文件解压后超过 100 MB 或压缩比异常，不是正常的 Word 文档" in response.text
    assert elapsed < REFUSED_WITHIN_SECONDS
    assert peak < PEAK_BYTES
    assert not Material.objects.exists()


# "Billion laughs": nine levels of entities, ten of the one before each, a gigabyte of "lol".
LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10))
    + b"]>"
)


def small_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def laughing(part: dict) -> bytes:
    """The part's XML with the entities declared and the biggest one used in its text."""
    head = part["head"].replace(b"?>", b"?>" + LAUGHS, 1)
    return head + "存在的问题 &lol9;".encode() + part["tail"]


def test_a_docx_with_an_entity_bomb_is_refused_quickly_and_writes_nothing(client, world):
    bomb = small_zip(DOCX | {DOCX_PART["bomb"]: laughing(DOCX_PART)})

    response, elapsed, peak = measured(lambda: upload_material(client, world, bomb))

    assert "Word 文档已损坏" in response.text
    assert elapsed < REFUSED_WITHIN_SECONDS
    assert peak < PEAK_BYTES
    assert not Material.objects.exists()


def test_an_xlsx_with_an_entity_bomb_is_refused_quickly_and_writes_nothing(client, world):
    bomb = small_zip(XLSX | {XLSX_PART["bomb"]: laughing(XLSX_PART)})

    response, elapsed, peak = measured(lambda: upload_ledger(client, world, bomb))

    assert "文件已损坏或格式不对" in response.text
    assert elapsed < REFUSED_WITHIN_SECONDS
    assert peak < PEAK_BYTES
    assert not ImportBatch.objects.exists()
