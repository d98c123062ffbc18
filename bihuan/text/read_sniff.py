"""Tell what an uploaded file really is from its bytes; the filename is only a hint."""

from __future__ import annotations

import io
import zipfile

from bihuan.text.read_errors import MaterialFileError
from bihuan.zipguard import zip_bomb

MB = 1024 * 1024
_MEDIA_FOLDERS = ("word/media/", "word/embeddings/", "Pictures/")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_ARCHIVES = ((b"Rar!\x1a\x07", "RAR"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"\x1f\x8b", "gz"))
_ODF_TEXT = b"application/vnd.oasis.opendocument.text"
_OTHER_OFFICE = {
    "xl/": "Excel 表格（.xlsx）",
    "ppt/": "PowerPoint 演示文稿（.pptx）",
}

ENCRYPTED_OFFICE = (
    "这个 Word 文档设置了打开密码（已加密），无法读取；请在 Word 或 WPS 中取消密码后重新上传。"
)
ZIP_BOMB = (
    "文件解压后超过 100 MB 或压缩比异常，不是正常的 Word 文档，已拒绝读取；"
    "请用 Word 打开后另存为 .docx 再上传。"
)


def sniff_format(data: bytes, *, extension: str) -> str:
    """One of "pdf", "docx", "doc", "wps", "odt", "rtf", "html" or "text", from the content.

    Refuses, with a message naming what the file is, images, archives, spreadsheets and
    slides, encrypted Office files and zip bombs. "text" means only "not a known binary
    format": whether the bytes decode as text is the caller's next question.
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data, extension=extension)
    if data.startswith(_OLE_MAGIC):
        return _sniff_ole(data, extension=extension)
    image = _image_kind(data)
    if image:
        raise MaterialFileError(
            f"这是一张图片（{image}），不是文字材料；请上传 Word、文字版 PDF 或 .txt 文件，"
            "照片或扫描件请先用 OCR 识别成文字。",
            reason="unsupported",
        )
    for magic, kind in _ARCHIVES:
        if data.startswith(magic):
            raise MaterialFileError(
                f"这是一个 {kind} 压缩包，不是文字材料；请解压后上传其中的 Word、PDF 或 .txt 文件。",
                reason="unsupported",
            )
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    # Document sites often serve a web page saved under a .doc name.
    if extension in ("doc", "wps") and (
        b"<html" in stripped or stripped.startswith(b"mime-version")
    ):
        return "html"
    return "text"


def _image_kind(data: bytes) -> str | None:
    for magic, kind in _IMAGES:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "HEIC"
    # A BMP header records the file's size, which tells it apart from text starting "BM".
    if data[:2] == b"BM" and len(data) >= 6 and int.from_bytes(data[2:6], "little") == len(data):
        return "BMP"
    return None


def _sniff_zip(data: bytes, *, extension: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise MaterialFileError(_broken_zip_message(extension), reason="corrupt") from error
    if zip_bomb(data, entries, media=_MEDIA_FOLDERS):
        raise MaterialFileError(ZIP_BOMB, reason="zip_bomb")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise MaterialFileError(
            "这个压缩文件设置了密码，无法读取；请取消密码后上传 Word、PDF 或 .txt 文件。",
            reason="encrypted",
        )
    names = [entry.filename for entry in entries]
    if any(name.startswith("word/") for name in names):
        return "docx"
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:100]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise MaterialFileError(_broken_zip_message(extension), reason="corrupt") from error
        if mimetype.strip() == _ODF_TEXT:
            return "odt"
    for folder, label in _OTHER_OFFICE.items():
        if any(name.startswith(folder) for name in names):
            raise MaterialFileError(
                f"这是 {label}，不是文字材料；请上传 Word、PDF 或 .txt 文件。", reason="unsupported"
            )
    if extension == "docx":
        raise MaterialFileError(_broken_zip_message(extension), reason="corrupt")
    raise MaterialFileError(
        "这是一个 ZIP 压缩包，不是文字材料；请解压后上传其中的 Word、PDF 或 .txt 文件。",
        reason="unsupported",
    )


def _broken_zip_message(extension: str) -> str:
    if extension in ("docx", "doc", "wps", ""):
        return "Word 文档已损坏，无法打开（可能没有上传完整）；请用 Word 或 WPS 打开后另存为 .docx 再上传。"
    return "文件已损坏，无法打开；请重新保存后上传 Word、PDF 或 .txt 文件。"


def _sniff_ole(data: bytes, *, extension: str) -> str:
    """An OLE2 container: an encrypted .docx/.xlsx, a legacy .doc/.wps, or .xls/.ppt.

    Stream names sit in the container's directory as UTF-16LE; looking for them is enough to
    tell the kinds apart without parsing the container.
    """

    def has_stream(name: str) -> bool:
        return name.encode("utf-16-le") + b"\x00\x00" in data

    if has_stream("EncryptionInfo") and has_stream("EncryptedPackage"):
        raise MaterialFileError(ENCRYPTED_OFFICE, reason="encrypted")
    if has_stream("WordDocument"):
        return "wps" if extension == "wps" else "doc"
    if has_stream("Workbook") or has_stream("Book"):
        raise MaterialFileError(
            "这是 Excel 表格（.xls），不是文字材料；请上传 Word、PDF 或 .txt 文件。",
            reason="unsupported",
        )
    if has_stream("PowerPoint Document"):
        raise MaterialFileError(
            "这是 PowerPoint 演示文稿（.ppt），不是文字材料；请上传 Word、PDF 或 .txt 文件。",
            reason="unsupported",
        )
    if extension in ("wps", "doc"):
        return extension
    raise MaterialFileError(
        "无法识别这个 Office 文件的格式；请在 Word 或 WPS 中另存为 .docx 后重新上传。",
        reason="unsupported",
    )
