import datetime as dt
import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from bihuan.officedoc import Attachment, Document, Paragraph, Table, write_document
from bihuan.officedoc.layout import GRID_CHAR_SPACE, LINE_PITCH_TWIPS

from .checks import (
    BODY,
    HEI,
    KAI,
    TITLE,
    assert_body,
    assert_font,
    assert_gbt9704,
    assert_page,
    assert_page_numbers,
    assert_title,
    fonts_of,
)

NOTICE = Document(
    title="关于2026年11月各乡镇整改落实工作情况的通报",
    recipients="各乡镇党委、政府",
    blocks=(
        Paragraph("为及时传导压力，现将11月各乡镇整改落实工作排名情况通报如下。"),
        Paragraph("一、总体情况", 1),
        Paragraph("11月，全县共交办整改措施48条，按期办结率91.7%。"),
        Paragraph("（一）签收情况", 2),
        Paragraph("各乡镇均在1个工作日内签收。"),
        Table(header=("排名", "单位", "得分"), rows=(("1", "城关镇", "96.50"),), centred={0, 2}),
    ),
    issuer="中共青山县委办公室",
    date=dt.date(2026, 11, 23),
    attachments=(Attachment("11月各乡镇排名情况", (Paragraph("附表内容"),)),),
)


def _read(spec: Document):
    out = io.BytesIO()
    write_document(spec, out)
    out.seek(0)
    return docx.Document(out)


def test_a_notice_reads_back_in_the_national_format():
    document = _read(NOTICE)

    assert_gbt9704(
        document, title=NOTICE.title, issuer="中共青山县委办公室", date_text="2026年11月23日"
    )


def test_the_page_is_a4_with_the_standard_margins_and_numbers_at_the_outer_bottom():
    document = _read(NOTICE)

    assert_page(document)
    assert_page_numbers(document)


def test_the_title_is_centred_in_xiaobiaosong_22pt_and_may_run_on_two_lines():
    document = _read(
        Document(title="关于某事项的\n通报", blocks=(), issuer="县委办", date=dt.date(2026, 1, 5))
    )

    title = document.paragraphs[0]
    assert_title(title)
    assert title.text == "关于某事项的\n通报"


def test_body_headings_follow_the_standards_four_levels():
    document = _read(
        Document(
            title="标题",
            blocks=(
                Paragraph("正文", 0),
                Paragraph("一、一级", 1),
                Paragraph("（一）二级", 2),
                Paragraph("1．三级", 3),
                Paragraph("（1）四级", 4),
            ),
            issuer="县委办",
            date=dt.date(2026, 1, 5),
        )
    )

    by_text = {p.text: p for p in document.paragraphs}
    assert_body(by_text["正文"], BODY)
    assert_body(by_text["一、一级"], HEI)
    assert_body(by_text["（一）二级"], KAI)
    assert_body(by_text["1．三级"], BODY)
    assert_body(by_text["（1）四级"], BODY)


def test_the_main_recipient_is_flush_left_with_a_full_width_colon():
    document = _read(NOTICE)

    recipient = document.paragraphs[2]
    assert recipient.text == "各乡镇党委、政府："
    assert recipient.paragraph_format.first_line_indent == 0
    assert_font(recipient, BODY, 16)


def test_the_date_is_in_arabic_digits_four_characters_from_the_right_under_the_issuer():
    document = _read(NOTICE)

    texts = [p.text for p in document.paragraphs]
    at = texts.index("2026年11月23日")
    issuer, date = document.paragraphs[at - 1], document.paragraphs[at]
    assert issuer.text == "中共青山县委办公室"
    assert date.paragraph_format.right_indent == Pt(64)
    # Centred over the date: the date is 7 characters wide, the issuer 9.
    assert issuer.paragraph_format.right_indent == Pt(16 * 3)


def test_an_attachment_is_noted_under_the_body_and_starts_a_page_of_its_own():
    document = _read(NOTICE)

    texts = [p.text for p in document.paragraphs]
    note = document.paragraphs[texts.index("附件：11月各乡镇排名情况")]
    assert note.paragraph_format.first_line_indent == Pt(-48)
    assert note.paragraph_format.left_indent == Pt(80)
    label = document.paragraphs[texts.index("附件")]
    assert label.paragraph_format.page_break_before
    assert_font(label, HEI, 16)
    assert texts.index("附件") > texts.index("2026年11月23日")
    assert_title(document.paragraphs[texts.index("附件") + 2])


def test_tables_have_borders_a_heiti_header_and_fangsong_cells():
    document = _read(NOTICE)

    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["排名", "单位", "得分"]
    assert_font(table.rows[0].cells[0].paragraphs[0], HEI, 14)
    assert_font(table.rows[1].cells[1].paragraphs[0], BODY, 14)
    assert table.rows[1].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert table._tbl.tblPr.find(qn("w:tblBorders")) is not None


def test_defaults_name_fangsong_for_east_asian_text_without_theme_fonts():
    document = _read(NOTICE)

    normal = document.styles["Normal"]
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == BODY
    assert normal.font.size == Pt(16)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    default_fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert default_fonts.get(qn("w:eastAsiaTheme")) is None
    assert default_fonts.get(qn("w:eastAsia")) == BODY


def test_the_document_grid_holds_22_lines_of_28_characters():
    document = _read(NOTICE)

    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert int(grid.get(qn("w:linePitch"))) == LINE_PITCH_TWIPS == 579
    # 156 mm / 28 = 15.79 pt a character: 0.21 pt under 16 pt, in 4096ths of a point.
    assert int(grid.get(qn("w:charSpace"))) == GRID_CHAR_SPACE == -848


def test_every_run_names_its_east_asian_font():
    document = _read(NOTICE)

    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if run.text:
                assert fonts_of(run)["eastAsia"] in {BODY, TITLE, HEI, KAI}, paragraph.text
