"""The read step of the text pipeline: an uploaded file's bytes in, its plain text out.

    material = read_material(data, filename="剖析材料.docx")

Plain text, Word (.docx; .doc, .wps, .odt and .rtf through LibreOffice when installed) and PDFs
with a text layer are read; anything else raises MaterialFileError with one Chinese line for
the uploader. The format is judged from the content: the filename only words the messages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import PureWindowsPath

from bihuan.text.read_docx import read_docx
from bihuan.text.read_errors import MaterialFileError
from bihuan.text.read_office import convert_to_docx
from bihuan.text.read_pdf import read_pdf
from bihuan.text.read_sniff import MB, sniff_format
from bihuan.text.read_txt import decode_text

__all__ = ["DEFAULT_MAX_BYTES", "Material", "MaterialFileError", "read_material"]

DEFAULT_MAX_BYTES = 30 * MB
_LINE_BREAKS = {
    0x0B: "\n",
    0x0C: "\n",
    0x85: "\n",
    0x2028: "\n",
    0x2029: "\n",
    0x00: None,
    0xFEFF: None,
}


@dataclass(frozen=True)
class Material:
    """The text of one uploaded material.

    text: paragraphs separated by "\\n", each heading and list item on its own line, Word's
        automatic numbering written out ("一、", "（一）", "1. "), a table row as its cells joined
        by " | "; no trailing spaces, no leading or trailing blank lines; otherwise as written
        (boilerplate, hard wraps and traditional characters are the normaliser's business).
    source_format: what the content turned out to be: "txt", "docx", "pdf", "doc", "wps",
        "odt", "rtf" or "html" (a web page saved as .doc), whatever the filename said.
    encoding: the encoding a .txt was decoded with ("utf-8", "gb18030", "big5", "utf-16-le",
        …); "" for other formats.
    filename: the name the file was uploaded under.
    notes: Chinese remarks on what could not be read (a PDF's scanned pages, undecodable
        bytes), to show beside the text.
    """

    text: str
    source_format: str
    encoding: str = ""
    filename: str = ""
    notes: tuple[str, ...] = ()


def read_material(data: bytes, *, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Material:
    """Read `data`, the bytes of an uploaded file called `filename`, into a Material.

    Raises MaterialFileError for an empty or oversized file, a format that is not a text
    material, an encrypted or corrupt file, a zip bomb, or a file with no text in it.
    No other exception escapes for any input.
    """
    if not data:
        raise MaterialFileError(
            "文件是空的（0 字节）；请确认选对了文件后重新上传。", reason="empty"
        )
    if len(data) > max_bytes:
        size = math.ceil(len(data) * 10 / MB) / 10
        raise MaterialFileError(
            f"文件大小 {size:.1f} MB，超过 {max_bytes / MB:g} MB 的上限；"
            "请删去其中的图片或拆分成几份后重新上传。",
            reason="too_large",
        )
    extension = PureWindowsPath(filename).suffix.lower().lstrip(".")
    source_format = sniff_format(data, extension=extension)
    encoding = ""
    notes: tuple[str, ...] = ()
    if source_format == "text":
        decoded = decode_text(data)
        if decoded is None:
            raise MaterialFileError(_not_text_message(extension), reason="unsupported")
        source_format, text, encoding, notes = "txt", decoded.text, decoded.encoding, decoded.notes
    elif source_format == "pdf":
        pdf = read_pdf(data)
        text, notes = pdf.text, pdf.notes
    elif source_format == "docx":
        text = read_docx(data)
    else:
        text = read_docx(convert_to_docx(data, source_format=source_format))
    text = _tidy(text)
    if not text:
        raise MaterialFileError(_no_text_message(source_format), reason="no_text")
    return Material(text, source_format, encoding=encoding, filename=filename, notes=notes)


def _tidy(text: str) -> str:
    """One kind of line break, no trailing spaces, no blank lines at either end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def _not_text_message(extension: str) -> str:
    if extension in ("docx", "doc", "wps"):
        return (
            f"文件扩展名是 .{extension}，但内容不是 Word 文档（可能已损坏或改过扩展名）；"
            "请用 Word 或 WPS 打开后另存为 .docx 再上传。"
        )
    if extension == "pdf":
        return (
            "文件扩展名是 .pdf，但内容不是 PDF（可能已损坏或改过扩展名）；请重新导出 PDF 后上传。"
        )
    return (
        "无法读取这个文件：内容既不是 UTF-8、GBK 或 Big5 编码的文本，也不是 Word 或 PDF；"
        "请上传 .docx、.pdf，或另存为 UTF-8 编码的 .txt。"
    )


def _no_text_message(source_format: str) -> str:
    if source_format == "txt":
        return "文件里只有空白，没有文字；请确认选对了文件后重新上传。"
    return "文档里没有文字（可能只有图片）；请上传含文字的文档，扫描件请先用 OCR 识别成文字。"
