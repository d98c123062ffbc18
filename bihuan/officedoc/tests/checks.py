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


def assert_gbt9704(document, *, title: str, issuer: str, date_text: str) -> None:
    """Page, title, body fonts and spacing, headings, signature and page numbers."""
    assert_page(document)
    assert_page_numbers(document)
    paragraphs = document.paragraphs
    assert paragraphs[0].text == title
    assert_title(paragraphs[0])
    assert_signature(paragraphs, issuer, date_text)
    end = [p.text for p in paragraphs].index(issuer)
    for paragraph in paragraphs[1:end]:
        text = paragraph.text
        if not text or text.startswith("附件：") or text.endswith("："):
            continue
        if text[0] in "一二三四五六七八九十" and "、" in text[:4]:
            assert_body(paragraph, HEI)
        elif text.startswith("（") and "）" in text[:5]:
            assert_body(paragraph, KAI)
        else:
            assert_body(paragraph)
