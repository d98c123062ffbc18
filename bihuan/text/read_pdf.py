"""Read the text layer of a PDF, page by page."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from bihuan.text.read_errors import MaterialFileError

SCANNED = "这个 PDF 是扫描件，没有文字层，读不出文字；请上传 Word 或文字版 PDF（扫描件请先用 OCR 识别成文字）。"
ENCRYPTED = "这个 PDF 设置了打开密码，无法读取；请去掉密码后重新导出再上传，或上传 Word 版本。"
CORRUPT = "PDF 文件已损坏，无法打开；请重新导出 PDF 后上传，或上传 Word 版本。"
GARBLED = "这个 PDF 的文字层读出来是乱码（字体缺少编码信息）；请上传 Word 版本，或用其他软件重新导出 PDF。"

# Page furniture from GB/T 9704 layouts and office exports: "- 3 -", "—3—", "第 3 页 共 9 页", "3/9".
_PAGE_NUMBER = re.compile(
    r"[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页\s*[,，、/／]?\s*(共\s*\d+\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
)
_MAX_GARBLED_SHARE = 0.3

# pypdf logs every malformed object it repairs; without a handler of its own, Python would print
# those to stderr and bury the one-line message a broken upload deserves.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class PdfText:
    text: str
    page_count: int
    notes: tuple[str, ...] = ()


def read_pdf(data: bytes) -> PdfText:
    """The text of every page, pages separated by a line break, bare page numbers dropped.

    Refuses encrypted PDFs that need a password to open (one restricted only by an owner
    password opens with the empty password and is read), PDFs without a text layer, and text
    layers whose fonts carry no Unicode mapping.
    """
    # Imported here: pypdf takes ~150 ms to import, and most materials are not PDFs.
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise MaterialFileError(ENCRYPTED, reason="encrypted")
        page_objects = list(reader.pages)
    except MaterialFileError:
        raise
    except (FileNotDecryptedError, DependencyError) as error:
        raise MaterialFileError(ENCRYPTED, reason="encrypted") from error
    except Exception as error:  # pypdf raises a dozen kinds on broken files
        raise MaterialFileError(CORRUPT, reason="corrupt") from error
    pages = [_page_lines(page) for page in page_objects]
    broken = [str(number) for number, page in enumerate(pages, start=1) if page is None]
    if page_objects and len(broken) == len(page_objects):
        raise MaterialFileError(CORRUPT, reason="corrupt")
    text = "\n".join(line for page in pages for line in page or ())
    if not "".join(text.split()):
        raise MaterialFileError(SCANNED, reason="scanned")
    if _garbled_share(text) > _MAX_GARBLED_SHARE:
        raise MaterialFileError(GARBLED, reason="garbled")
    blank = [str(number) for number, page in enumerate(pages, start=1) if page == []]
    notes = []
    if blank:
        notes.append(f"PDF 第 {'、'.join(blank)} 页没有文字层（可能是扫描页），其内容未读取。")
    if broken:
        notes.append(f"PDF 第 {'、'.join(broken)} 页已损坏，其内容未读取。")
    return PdfText(text, len(pages), tuple(notes))


def _page_lines(page) -> list[str] | None:
    """The page's lines without a page number at top or bottom; None if pypdf fails on it."""
    try:
        extracted = page.extract_text() or ""
    except Exception:  # one broken content stream should not cost the other pages
        return None
    lines = [line.rstrip() for line in extracted.splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and _PAGE_NUMBER.fullmatch(lines[-1].strip()):
        lines.pop()
    if lines and _PAGE_NUMBER.fullmatch(lines[0].strip()):
        lines.pop(0)
    return lines


def _garbled_share(text: str) -> float:
    visible = [ch for ch in text if not ch.isspace()]
    garbled = sum(1 for ch in visible if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd" or ch < " ")
    return garbled / len(visible)
