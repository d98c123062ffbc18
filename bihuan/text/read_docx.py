"""Read the body of a .docx in reading order: paragraphs, numbering written out, tables as rows."""

from __future__ import annotations

import io
from collections.abc import Iterator

from lxml import etree

from bihuan.text.read_errors import MaterialFileError
from bihuan.text.read_numbering import Numbering

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_NUMBERING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"

CORRUPT = (
    "Word 文档已损坏或不是标准的 .docx，无法打开；请用 Word 或 WPS 打开后另存为 .docx 再上传。"
)


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (
    _w(t) for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent")
)
_T, _TAB, _BR, _CR = (_w(t) for t in ("t", "tab", "br", "cr"))
_NO_BREAK_HYPHEN, _R, _RPR, _VANISH = (_w(t) for t in ("noBreakHyphen", "r", "rPr", "vanish"))
_TXBX_CONTENT = _w("txbxContent")
# Deleted revisions, paragraph/run properties and the legacy copy of a drawing carry no text to show.
_SKIPPED = frozenset({_w("pPr"), _w("del"), _w("moveFrom"), f"{{{_MC}}}Fallback"})
_BLOCK_WRAPPERS = frozenset({_w("customXml"), _w("ins"), _w("moveTo")})


def read_docx(data: bytes) -> str:
    """The document body as lines: one per paragraph (soft line breaks split it further), Word's
    automatic numbering written before its paragraph, text boxes after the paragraph that
    anchors them, a table row as its cells joined by " | ", and a single-cell row (a layout
    table, or a cell spanning the whole width) as the paragraphs inside it.

    The caller has checked that `data` is a zip of sane size; anything python-docx or lxml
    cannot parse becomes a MaterialFileError.
    """
    try:
        # Imported here: python-docx takes ~100 ms to import, and many materials are .txt.
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering = Numbering(_numbering_root(document), document.styles.element)
        return "\n".join(_block_lines(body, numbering))
    except MaterialFileError:
        raise
    except Exception as error:  # python-docx and lxml raise a dozen kinds on broken packages
        raise MaterialFileError(CORRUPT, reason="corrupt") from error


def _numbering_root(document) -> etree._Element | None:
    # Not document.part.numbering_part: that creates an empty part when there is none.
    from docx.oxml.parser import parse_xml

    for rel in document.part.rels.values():
        if rel.reltype == _NUMBERING_REL and not rel.is_external:
            part = rel.target_part
            # A numbering part under an unexpected content type loads as a plain blob.
            element = getattr(part, "element", None)
            return element if element is not None else parse_xml(part.blob)
    return None


def _block_lines(container: etree._Element, numbering: Numbering) -> Iterator[str]:
    for child in container:
        if child.tag == _P:
            yield from _paragraph_lines(child, numbering)
        elif child.tag == _TBL:
            yield from _table_lines(child, numbering)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _block_lines(content, numbering)
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _block_lines(child, numbering)


def _paragraph_lines(paragraph: etree._Element, numbering: Numbering) -> Iterator[str]:
    prefix = numbering.prefix(paragraph)
    parts: list[str] = []
    text_boxes: list[etree._Element] = []
    _collect_runs(paragraph, parts, text_boxes)
    body = "".join(parts)
    if body.strip():
        yield from (prefix + body).split("\n")
    for box in text_boxes:
        yield from _block_lines(box, numbering)


def _collect_runs(
    element: etree._Element, parts: list[str], text_boxes: list[etree._Element]
) -> None:
    for child in element:
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == _TXBX_CONTENT:
            text_boxes.append(child)
        elif tag == _R and _is_hidden(child):
            continue
        elif tag not in _SKIPPED and tag != _RPR:
            _collect_runs(child, parts, text_boxes)


def _is_hidden(run: etree._Element) -> bool:
    vanish = run.find(f"{_RPR}/{_VANISH}")
    return vanish is not None and vanish.get(_w("val")) not in ("0", "false", "off")


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with `tag`, looking through the content controls that may wrap rows and cells."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


def _table_lines(table: etree._Element, numbering: Numbering) -> Iterator[str]:
    for row in _children(table, _TR):
        cells = list(_children(row, _TC))
        if len(cells) == 1:
            yield from _block_lines(cells[0], numbering)
            continue
        texts = [
            " ".join(line.strip() for line in _block_lines(cell, numbering) if line.strip())
            for cell in cells
        ]
        if any(texts):
            yield " | ".join(texts)
