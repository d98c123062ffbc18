"""Reading a written .docx back and checking it against GB/T 9704-2012, for any test that
generates an official document (this package's and the apps' that use it)."""

import math

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY, TITLE, HEI, KAI, SONG = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"


def fonts_of(run) -> dict[str, str | None]:
    """The font named for each script; a theme font in any slot would override the name."""
    fonts = run._element.rPr.rFonts
    slots = ("ascii", "hAnsi", "eastAsia", "cs", "asciiTheme", "eastAsiaTheme", "hAnsiTheme")
    return {slot: fonts.get(qn(f"w:{slot}")) for slot in slots}


def assert_font(paragraph, name: str, size_pt: float) -> None:
    runs = [run for run in paragraph.runs if run.text]
    assert runs, f"no text in {paragraph.text!r}"
    for run in runs:
        fonts = fonts_of(run)
        assert fonts["eastAsia"] == name, (paragraph.text, fonts)
        assert fonts["ascii"] == fonts["hAnsi"] == name, (paragraph.text, fonts)
        assert fonts["asciiTheme"] is fonts["eastAsiaTheme"] is fonts["hAnsiTheme"] is None
        assert run.font.size == Pt(size_pt), (paragraph.text, run.font.size)


def assert_close_mm(length, mm: float) -> None:
    # Word stores lengths in twips: 1/56.7 mm.
    assert abs(length - Mm(mm)) <= Mm(0.02), (length.mm, mm)


def assert_page(document) -> None:
    for section in document.sections:
        assert_close_mm(section.page_width, 210)
        assert_close_mm(section.page_height, 297)
        assert_close_mm(section.top_margin, 37)
        assert_close_mm(section.bottom_margin, 35)
        assert_close_mm(section.left_margin, 28)
        assert_close_mm(section.right_margin, 26)


def assert_22_lines(paragraph) -> None:
    fmt = paragraph.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY, paragraph.text
    type_area_pt = Mm(297 - 37 - 35).pt
    assert math.floor(type_area_pt / fmt.line_spacing.pt) == 22, fmt.line_spacing.pt
    assert fmt.line_spacing == Pt(28.95)


def assert_body(paragraph, font: str = BODY) -> None:
    assert_font(paragraph, font, 16)
    assert paragraph.paragraph_format.first_line_indent == Pt(32), paragraph.text
    assert_22_lines(paragraph)


def assert_title(paragraph) -> None:
    assert_font(paragraph, TITLE, 22)
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER


def assert_page_numbers(document) -> None:
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align, indent in (
        (document.sections[0].footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
        (document.sections[0].even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
    ):
        (paragraph,) = footer.paragraphs
        assert paragraph.text == "— 1 —"
        assert paragraph.alignment == align
        assert getattr(paragraph.paragraph_format, indent) == Pt(14)
        assert " PAGE " in [text.text for text in paragraph._p.iter(qn("w:instrText"))]
        assert_font(paragraph, SONG, 14)


def assert_signature(paragraphs, issuer: str, date_text: str) -> None:
    """The issuer's line and then the date's, both right-aligned, the date 右空四字."""
    texts = [p.text for p in paragraphs]
    at = texts.index(date_text)
    assert texts[at - 1] == issuer
    for paragraph in paragraphs[at - 1 : at + 1]:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert_font(paragraph, BODY, 16)
    assert paragraphs[at].paragraph_format.right_indent == Pt(4 * 16)


RED = "FF0000"


def _border(p_pr, edge: str):
    borders = p_pr.find(qn("w:pBdr")) if p_pr is not None else None
    return None if borders is None else borders.find(qn(f"w:{edge}"))


def assert_masthead(document, *, mark: str, number: str) -> int:
    """7.2: the 发文机关标志 in red 小标宋, centred, 35 mm under the type area's top; the 发文字号
    two lines below, centred; the red line 4 mm under it; the title two lines under the line.
    Returns the title's index among the document's paragraphs."""
    paragraphs = document.paragraphs
    head = paragraphs[0]
    assert head.text == mark
    assert head.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert_close_mm(head.paragraph_format.space_before, 35)
    for run in head.runs:
        assert fonts_of(run)["eastAsia"] == fonts_of(run)["ascii"] == TITLE, fonts_of(run)
        assert str(run.font.color.rgb) == RED
    assert [p.text for p in paragraphs[1:3]] == ["", ""]
    line = paragraphs[3]
    assert line.text == number
    assert line.alignment == WD_ALIGN_PARAGRAPH.CENTER
    if number:
        assert_font(line, BODY, 16)
    bottom = _border(line._p.pPr, "bottom")
    assert bottom is not None, "no red separator line under the 发文字号"
    assert bottom.get(qn("w:val")) == "single"
    assert bottom.get(qn("w:color")) == RED
    assert int(bottom.get(qn("w:space"))) == 11  # 4 mm, in points
    assert int(bottom.get(qn("w:sz"))) >= 8
    # As wide as the type area: no indent narrows the line.
    assert not line.paragraph_format.left_indent and not line.paragraph_format.right_indent
    assert [p.text for p in paragraphs[4:6]] == ["", ""]
    return 6


def colophon_table(document):
    """The 版记: the last table, floated to the foot of the type area."""
    table = document.tables[-1]
    position = table._tbl.tblPr.find(qn("w:tblpPr"))
    assert position is not None, "the 版记 is not a floating table"
    assert position.get(qn("w:vertAnchor")) == "margin"
    assert position.get(qn("w:tblpYSpec")) == "bottom"
    assert position.get(qn("w:tblpXSpec")) == "center"
    return table


def assert_colophon(document, *, printer: str, printed: str, copies_to: str = "") -> None:
    """7.4: 抄送 over 印发机关 (左空一字) and 印发日期 (右空一字), 4号仿宋, between black lines,
    the first and last 0.35 mm, the middle one 0.25 mm, as wide as the type area."""
    table = colophon_table(document)
    width = table._tbl.tblPr.find(qn("w:tblW"))
    assert (width.get(qn("w:type")), int(width.get(qn("w:w")))) == ("dxa", 8844)  # 156 mm
    borders = {line.tag.split("}")[1]: line for line in table._tbl.tblPr.find(qn("w:tblBorders"))}
    assert set(borders) == {"top", "bottom", "insideH"}
    for edge, size in (("top", 8), ("bottom", 8), ("insideH", 6)):
        assert borders[edge].get(qn("w:val")) == "single"
        assert borders[edge].get(qn("w:color")) == "000000"
        assert int(borders[edge].get(qn("w:sz"))) == size, edge
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    expected = [[printer, f"{printed}印发"]]
    if copies_to:
        expected.insert(0, [f"抄送：{copies_to}", f"抄送：{copies_to}"])
    assert rows == expected
    left, right = (cell.paragraphs[0] for cell in table.rows[-1].cells)
    assert left.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert left.paragraph_format.left_indent == Pt(14)
    assert right.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert right.paragraph_format.right_indent == Pt(14)
    for row in table.rows:
        assert_font(row.cells[0].paragraphs[0], BODY, 14)


def assert_gbt9704(
    document, *, title: str, issuer: str, date_text: str, masthead: tuple[str, str] | None = None
) -> None:
    """Page, 版头 if `masthead` (mark, number) is given, title, body fonts and spacing, headings,
    signature and page numbers."""
    assert_page(document)
    assert_page_numbers(document)
    paragraphs = document.paragraphs
    start = 0
    if masthead is not None:
        start = assert_masthead(document, mark=masthead[0], number=masthead[1])
    else:
        assert str(paragraphs[0].runs[0].font.color.rgb or "") != RED
    assert paragraphs[start].text == title
    assert_title(paragraphs[start])
    assert_signature(paragraphs, issuer, date_text)
    end = [p.text for p in paragraphs].index(issuer)
    for paragraph in paragraphs[start + 1 : end]:
        text = paragraph.text
        if not text or text.startswith("附件：") or text.endswith("："):
            continue
        if text[0] in "一二三四五六七八九十" and "、" in text[:4]:
            assert_body(paragraph, HEI)
        elif text.startswith("（") and "）" in text[:5]:
            assert_body(paragraph, KAI)
        else:
            assert_body(paragraph)
