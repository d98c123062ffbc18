"""Lay a `Document` out as GB/T 9704-2012 prescribes (the measures are in layout.py).

Every run names its font for Latin and East Asian text alike (w:ascii, w:hAnsi, w:eastAsia,
w:cs) and carries no theme font, which Word would otherwise prefer over the name.
"""

from typing import IO

import docx
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Pt, RGBColor

from . import layout
from .model import Attachment, Block, Colophon, Document, Masthead, Paragraph, Table

HEADING_FONTS = {
    0: layout.BODY_FONT,
    1: layout.HEADING_1_FONT,
    2: layout.HEADING_2_FONT,
    3: layout.BODY_FONT,
    4: layout.BODY_FONT,
}
FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
EM_DASH = "\u2014"  # 一字线


def set_fonts(rpr, name: str) -> None:
    """Name `name` for every script in a run's (or style's) properties."""
    fonts = rpr.get_or_add_rFonts()
    for slot in THEME_SLOTS:
        fonts.attrib.pop(qn(slot), None)
    for slot in FONT_SLOTS:
        fonts.set(qn(slot), name)


def _add_run(paragraph, text: str, *, font: str, size: Length):
    run = paragraph.add_run(text)
    run.font.size = size
    set_fonts(run._element.get_or_add_rPr(), font)
    # Complex-script size too, so that no part of the run falls back to the default.
    size_cs = OxmlElement("w:szCs")
    size_cs.set(qn("w:val"), str(int(size.pt * 2)))
    run._element.get_or_add_rPr().append(size_cs)
    return run


def _format(paragraph, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line: Length | None = None):
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = layout.LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = first_line if first_line is not None else Length(0)
    if first_line == layout.TWO_CHARS:
        # In characters as well, so the indent stays two characters on the character grid.
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    return fmt


def _blank(container) -> None:
    _format(container.add_paragraph())


def date_text(date) -> str:
    # 7.3.5.1: Arabic digits, year in full, month and day without a leading zero.
    return f"{date.year}年{date.month}月{date.day}日"


# -- the document's parts -----------------------------------------------------------------


def _title(body, title: str) -> None:
    paragraph = body.add_paragraph()
    _format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER)
    # 7.3.2: a long title runs on several centred lines, broken where the user broke it.
    for index, line in enumerate(title.splitlines() or [""]):
        if index:
            _add_run(paragraph, "", font=layout.TITLE_FONT, size=layout.SIZE_2).add_break()
        _add_run(paragraph, line.strip(), font=layout.TITLE_FONT, size=layout.SIZE_2)
    paragraph.paragraph_format.keep_with_next = True


def _recipients(body, recipients: str) -> None:
    text = recipients.strip().rstrip(":：")
    paragraph = body.add_paragraph()
    _format(paragraph)
    _add_run(paragraph, f"{text}：", font=layout.BODY_FONT, size=layout.SIZE_3)


def _paragraph(body, block: Paragraph) -> None:
    paragraph = body.add_paragraph()
    _format(paragraph, first_line=layout.TWO_CHARS)
    _add_run(
        paragraph,
        block.text,
        font=HEADING_FONTS.get(block.level, layout.BODY_FONT),
        size=layout.SIZE_3,
    )
    if block.level:
        paragraph.paragraph_format.keep_with_next = True


def _borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    # The schema orders tblPr's children; Word refuses a file with tblBorders after tblLook.
    table._tbl.tblPr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


def _cell(cell, text: str, *, font: str, centred: bool) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    fmt = _format(
        paragraph, align=WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
    )
    # Cells are set in 四号 on single spacing: a table on the 22-line grid wastes half its height.
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _add_run(paragraph, text, font=font, size=layout.SIZE_4)


def _table(body, block: Table) -> None:
    table = body.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table)
    header = table.rows[0]
    # The header row repeats on every page the table runs over.
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, block.header, strict=True):
        _cell(cell, text, font=layout.HEADING_1_FONT, centred=True)
    for row, values in zip(table.rows[1:], block.rows, strict=True):
        for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            _cell(cell, str(text), font=layout.BODY_FONT, centred=index in block.centred)


def _blocks(body, blocks: tuple[Block, ...]) -> None:
    for block in blocks:
        if isinstance(block, Table):
            _table(body, block)
        else:
            _paragraph(body, block)


def _attachment_note(body, attachments: tuple[Attachment, ...]) -> None:
    """7.3.4: 正文下空一行左空二字编排“附件”，后标全角冒号和附件名称；several are numbered."""
    _blank(body)
    label = "附件："
    indent = Pt(layout.BODY_PT * (2 + len(label)))
    for index, attachment in enumerate(attachments, start=1):
        number = f"{index}．" if len(attachments) > 1 else ""
        paragraph = body.add_paragraph()
        fmt = _format(paragraph)
        fmt.left_indent = indent
        fmt.first_line_indent = layout.TWO_CHARS - indent if index == 1 else Length(0)
        text = f"{label if index == 1 else ''}{number}{attachment.title}"
        _add_run(paragraph, text, font=layout.BODY_FONT, size=layout.SIZE_3)


def _signature(body, issuer: str, date) -> None:
    """7.3.5.1: the date 右空四字; the issuer centred over it."""
    _blank(body)
    _blank(body)
    date_line = date_text(date)
    offset = 4 + (layout.text_width(date_line) - layout.text_width(issuer)) / 2
    for text, right in ((issuer, max(offset, 0)), (date_line, 4)):
        paragraph = body.add_paragraph()
        fmt = _format(paragraph, align=WD_ALIGN_PARAGRAPH.RIGHT)
        fmt.right_indent = Pt(layout.BODY_PT * right)
        if text == issuer:
            fmt.keep_with_next = True
        _add_run(paragraph, text, font=layout.BODY_FONT, size=layout.SIZE_3)


def _attachment(body, attachment: Attachment, number: str) -> None:
    """7.3.4 and 8: 另面编排; “附件” in 3号黑体 顶格 on the first line, the title centred on
    the third."""
    label = body.add_paragraph()
    _format(label, align=WD_ALIGN_PARAGRAPH.LEFT).page_break_before = True
    _add_run(label, f"附件{number}", font=layout.HEADING_1_FONT, size=layout.SIZE_3)
    _blank(body)
    _title(body, attachment.title)
    _blank(body)
    _blocks(body, attachment.blocks)


# -- 版头 and 版记 ----------------------------------------------------------------------------

# What may follow w:pBdr in a paragraph's properties, and w:w in a run's (the schema's order).
AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
AFTER_SCALE = (
    "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
    "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip


def _line(edge: str, *, size: int, color: str, space: int = 0):
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    return line


def _red_line_under(paragraph) -> None:
    """7.2.7: the red separator, a bottom border 4 mm under the line, as wide as the type area
    (the paragraph has no indent)."""
    borders = OxmlElement("w:pBdr")
    borders.append(
        _line("bottom", size=layout.RED_LINE_SIZE, color=layout.RED, space=layout.RED_LINE_GAP_PT)
    )
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *AFTER_PBDR)


def _masthead(body, masthead: Masthead) -> None:
    mark = body.add_paragraph()
    fmt = _format(mark, align=WD_ALIGN_PARAGRAPH.CENTER)
    # A 42 pt line on the 28.95 pt pitch would be cut off: single spacing, off the grid.
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = layout.MASTHEAD_TOP
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    mark._p.get_or_add_pPr().insert_element_before(
        snap, *AFTER_PBDR[AFTER_PBDR.index("w:spacing") :]
    )
    size, scale = layout.masthead_fit(masthead.mark)
    run = _add_run(mark, masthead.mark, font=layout.MASTHEAD_FONT, size=Pt(size))
    run.font.color.rgb = RGBColor.from_string(layout.RED)
    if scale != 100:
        squeeze = OxmlElement("w:w")
        squeeze.set(qn("w:val"), str(scale))
        run._element.get_or_add_rPr().insert_element_before(squeeze, *AFTER_SCALE)
    _blank(body)
    _blank(body)
    number = body.add_paragraph()
    _format(number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _add_run(number, masthead.number.strip(), font=layout.BODY_FONT, size=layout.SIZE_3)
    _red_line_under(number)
    # 7.3.1: the title 红色分隔线下空二行.
    _blank(body)
    _blank(body)


def _table_property(table, element, *successors) -> None:
    existing = table._tbl.tblPr.find(element.tag)
    if existing is not None:
        table._tbl.tblPr.remove(existing)
    table._tbl.tblPr.insert_element_before(element, *successors)


TBL_AFTER_W = ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
               "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")  # fmt: skip


def _colophon_frame(table) -> None:
    """Float the table to the foot of the type area on the page it falls on: the last line of
    the 版记 lies on the type area's bottom edge (7.4.1), whatever the body's length."""
    position = OxmlElement("w:tblpPr")
    for name, value in (
        ("vertAnchor", "margin"),
        ("horzAnchor", "margin"),
        ("tblpXSpec", "center"),
        ("tblpYSpec", "bottom"),
    ):
        position.set(qn(f"w:{name}"), value)
    _table_property(table, position, "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                    "w:tblStyleColBandSize", "w:tblW", *TBL_AFTER_W)  # fmt: skip
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(layout.TYPE_AREA_WIDTH_TWIPS))
    width.set(qn("w:type"), "dxa")
    _table_property(table, width, *TBL_AFTER_W)
    borders = OxmlElement("w:tblBorders")
    borders.append(_line("top", size=layout.COLOPHON_THICK, color=layout.BLACK))
    borders.append(_line("bottom", size=layout.COLOPHON_THICK, color=layout.BLACK))
    borders.append(_line("insideH", size=layout.COLOPHON_THIN, color=layout.BLACK))
    _table_property(table, borders, *TBL_AFTER_W[TBL_AFTER_W.index("w:shd") :])
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    _table_property(table, margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _colophon_cell(cell, text: str, *, align, left: float = 0, first: float = 0, right: float = 0):
    paragraph = cell.paragraphs[0]
    fmt = _format(paragraph, align=align)
    one = layout.COLOPHON_PT
    fmt.left_indent = Pt(one * left)
    fmt.first_line_indent = Pt(one * first)
    fmt.right_indent = Pt(one * right)
    _add_run(paragraph, text, font=layout.BODY_FONT, size=layout.SIZE_4)


def _colophon(document, colophon: Colophon) -> None:
    copies_to = colophon.copies_to.strip().rstrip("。.，,")
    table = document.add_table(rows=2 if copies_to else 1, cols=2)
    _colophon_frame(table)
    half = docx.shared.Mm(layout.TYPE_AREA_WIDTH_MM / 2)
    for row in table.rows:
        for cell in row.cells:
            cell.width = half
    if copies_to:
        row = table.rows[0]
        merged = row.cells[0].merge(row.cells[1])
        # 7.4.2: 左右各空一字; a second line aligns with the first name after the colon.
        _colophon_cell(
            merged, f"抄送：{copies_to}。", align=WD_ALIGN_PARAGRAPH.LEFT, left=4, first=-3, right=1
        )
    printer, printed = table.rows[-1].cells
    # 7.4.3: 印发机关左空一字，印发日期右空一字.
    _colophon_cell(printer, colophon.printer, align=WD_ALIGN_PARAGRAPH.LEFT, left=1)
    _colophon_cell(
        printed, f"{date_text(colophon.printed_on)}印发", align=WD_ALIGN_PARAGRAPH.RIGHT, right=1
    )
    # Word ends a body with a paragraph; this one takes no room under the floating table.
    end = document.add_paragraph()
    fmt = _format(end)
    fmt.line_spacing = Pt(1)
    _add_run(end, "", font=layout.BODY_FONT, size=Pt(1))


# -- the page: size, margins, grid, page numbers -----------------------------------------------


def _page(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = layout.PAGE_WIDTH, layout.PAGE_HEIGHT
    section.top_margin = docx.shared.Mm(layout.TOP_MARGIN_MM)
    section.bottom_margin = docx.shared.Mm(layout.BOTTOM_MARGIN_MM)
    section.left_margin = docx.shared.Mm(layout.LEFT_MARGIN_MM)
    section.right_margin = docx.shared.Mm(layout.RIGHT_MARGIN_MM)
    section.header_distance = layout.HEADER_DISTANCE
    section.footer_distance = layout.FOOTER_DISTANCE
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(layout.LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(layout.GRID_CHAR_SPACE))
    sect_pr.append(grid)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, align=WD_ALIGN_PARAGRAPH.LEFT)


def _field_char(paragraph, kind: str) -> None:
    run = _add_run(paragraph, "", font=layout.PAGE_NUMBER_FONT, size=layout.SIZE_4)
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._element.append(char)


def _page_number(footer, *, align) -> None:
    """“— 1 —”: odd pages right, even pages left, one 四号 character in from the edge."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    fmt = _format(paragraph, align=align)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = layout.SIZE_4
    else:
        fmt.left_indent = layout.SIZE_4
    font = {"font": layout.PAGE_NUMBER_FONT, "size": layout.SIZE_4}
    _add_run(paragraph, f"{EM_DASH} ", **font)
    _field_char(paragraph, "begin")
    instruction = _add_run(paragraph, "", **font)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instruction._element.append(text)
    _field_char(paragraph, "separate")
    _add_run(paragraph, "1", **font)
    _field_char(paragraph, "end")
    _add_run(paragraph, f" {EM_DASH}", **font)


# -- styles and defaults ------------------------------------------------------------------------


def _defaults(document) -> None:
    """Normal: 3号仿宋 on the 22-line pitch, justified, no widow control (it breaks the grid)."""
    styles = document.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr_default, layout.BODY_FONT)
    for lang in rpr_default.findall(qn("w:lang")):
        rpr_default.remove(lang)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr_default.append(lang)
    normal = document.styles["Normal"]
    normal.font.size = layout.SIZE_3
    set_fonts(normal.element.get_or_add_rPr(), layout.BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = layout.LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def build(document_spec: Document):
    """The python-docx document, for callers that add to it before saving."""
    document = docx.Document()
    body = document
    # The template's body holds only its section properties: start from an empty page.
    for paragraph in list(document.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    _defaults(document)
    _page(document)
    properties = document.core_properties
    properties.title = document_spec.title.replace("\n", "")
    properties.author = properties.last_modified_by = document_spec.issuer
    properties.comments = ""
    if document_spec.masthead is not None:
        _masthead(body, document_spec.masthead)
    _title(body, document_spec.title)
    _blank(body)
    if document_spec.recipients.strip():
        _recipients(body, document_spec.recipients)
    _blocks(body, document_spec.blocks)
    if document_spec.attachments:
        _attachment_note(body, document_spec.attachments)
    _signature(body, document_spec.issuer, document_spec.date)
    numbered = len(document_spec.attachments) > 1
    for index, attachment in enumerate(document_spec.attachments, start=1):
        _attachment(body, attachment, str(index) if numbered else "")
    if document_spec.colophon is not None:
        _colophon(document, document_spec.colophon)
    return document


def write_document(document_spec: Document, out: str | IO[bytes]) -> None:
    """Write `document_spec` as a .docx to a path or a binary file object."""
    build(document_spec).save(out)
