import datetime as dt
import io
from dataclasses import replace

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from bihuan.officedoc import (
    Attachment,
    Colophon,
    Document,
    Masthead,
    Paragraph,
    Table,
    write_document,
)
from bihuan.officedoc.layout import GRID_CHAR_SPACE, LINE_PITCH_TWIPS

from .checks import (
    BODY,
    HEI,
    KAI,
    TITLE,
    assert_body,
    assert_colophon,
    assert_font,
    assert_gbt9704,
    assert_masthead,
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


RED_HEADED = Document(
    title="关于2026年11月各乡镇整改落实工作情况的通报",
    recipients="各乡镇党委、政府",
    blocks=(Paragraph("现将有关情况通报如下。"),),
    issuer="中共青山县委办公室",
    date=dt.date(2026, 11, 23),
    attachments=(Attachment("排名情况", (Paragraph("附表内容"),)),),
    masthead=Masthead("中共青山县委办公室文件", "青办发〔2026〕12号"),
    colophon=Colophon("中共青山县委办公室", dt.date(2026, 11, 24), "县纪委监委，县委组织部"),
)


def test_a_red_headed_document_has_the_mark_the_number_and_the_red_line_over_its_title():
    document = _read(RED_HEADED)

    assert_gbt9704(
        document,
        title=RED_HEADED.title,
        issuer="中共青山县委办公室",
        date_text="2026年11月23日",
        masthead=("中共青山县委办公室文件", "青办发〔2026〕12号"),
    )


def test_the_mark_is_initial_size_and_a_long_one_is_squeezed_onto_one_line():
    short = _read(replace(RED_HEADED, masthead=Masthead("青山县文件"))).paragraphs[0]
    long = _read(replace(RED_HEADED, masthead=Masthead("中共青山县委办公室文件"))).paragraphs[0]
    very_long = _read(
        replace(RED_HEADED, masthead=Masthead("中共青山县委全面深化改革委员会办公室文件"))
    ).paragraphs[0]

    def scale(paragraph):
        squeeze = paragraph.runs[0]._element.rPr.find(qn("w:w"))
        return 100 if squeeze is None else int(squeeze.get(qn("w:val")))

    assert (short.runs[0].font.size, scale(short)) == (Pt(42), 100)
    # 11 characters of 42 pt are 462 pt: squeezed into the 442 pt type area.
    assert (long.runs[0].font.size, scale(long)) == (Pt(42), 95)
    # 20 characters at 60 % are still too wide at 42 pt: 442.2 / (20 × 0.6) = 36.85, in half points.
    assert (very_long.runs[0].font.size, scale(very_long)) == (Pt(36.5), 60)


def test_without_a_number_the_red_line_still_runs_under_its_place():
    document = _read(replace(RED_HEADED, masthead=Masthead("中共青山县委办公室")))

    assert assert_masthead(document, mark="中共青山县委办公室", number="") == 6
    assert document.paragraphs[6].text == RED_HEADED.title


def test_the_colophon_sits_at_the_foot_of_the_last_page_between_black_lines():
    document = _read(RED_HEADED)

    assert_colophon(
        document,
        printer="中共青山县委办公室",
        printed="2026年11月24日",
        copies_to="县纪委监委，县委组织部。",
    )
    # After the attachment: the 版记 closes the document (7.4).
    body = document.element.body
    tables = body.findall(qn("w:tbl"))
    assert body.index(tables[-1]) > body.index(document.paragraphs[-2]._p)
    copies = document.tables[-1].rows[0].cells[0].paragraphs[0].paragraph_format
    # 左右各空一字; a second line aligns after "抄送：".
    assert (copies.left_indent, copies.first_line_indent, copies.right_indent) == (
        Pt(56),
        Pt(-42),
        Pt(14),
    )


def test_without_copies_the_colophon_is_one_row_and_a_plain_document_has_neither():
    document = _read(replace(RED_HEADED, colophon=Colophon("县委办", dt.date(2026, 11, 24))))
    plain = _read(NOTICE)

    assert_colophon(document, printer="县委办", printed="2026年11月24日")
    assert all(t._tbl.tblPr.find(qn("w:tblpPr")) is None for t in plain.tables)
    assert plain.paragraphs[0].text == NOTICE.title
