"""The read step: every file a cadre might upload becomes text, or one clear Chinese refusal.

All files are built here at test time: texts in each encoding, Word documents with automatic
numbering and tables, PDFs with and without a text layer, and the broken and hostile ones.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import stat
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from pypdf import PdfWriter

from bihuan.text import read_office
from bihuan.text.read import Material, MaterialFileError, read_material
from bihuan.text.read_numbers import format_number
from bihuan.text.read_office import convert_to_docx

MB = 1024 * 1024
SPEECH = (
    "一、存在的问题\n（一）理论学习不够深入，学用结合不紧。\n二、整改措施\n1、每周集中学习一次。\n"
)
TRADITIONAL_SPEECH = (
    "一、存在的問題\n（一）理論學習不夠深入，學用結合不緊。\n二、整改措施\n1、每週集中學習一次。\n"
)
GB_OUTLINE = [
    ("chineseCounting", "%1、"),
    ("chineseCounting", "（%2）"),
    ("decimal", "%3."),
    ("decimal", "（%4）"),
    ("decimalEnclosedCircle", "%5"),
]


def refusal(data: bytes, filename: str) -> MaterialFileError:
    with pytest.raises(MaterialFileError) as caught:
        read_material(data, filename=filename)
    message = str(caught.value)
    assert "\n" not in message
    return caught.value


# Plain text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (SPEECH.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SPEECH.encode("utf-8"), "utf-8"),
        (SPEECH.encode("gbk"), "gb18030"),
        (SPEECH.encode("gb18030"), "gb18030"),
        (b"\xff\xfe" + SPEECH.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + SPEECH.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_a_txt_is_decoded_in_whatever_encoding_it_was_saved(encoded, encoding):
    material = read_material(encoded, filename="剖析材料.txt")

    assert material == Material(
        SPEECH.rstrip("\n"), "txt", encoding=encoding, filename="剖析材料.txt"
    )


def test_a_big5_txt_is_not_mistaken_for_gb18030_although_gb18030_decodes_it_too():
    encoded = TRADITIONAL_SPEECH.encode("big5")
    encoded.decode("gb18030")  # the trap: this succeeds, into nonsense

    material = read_material(encoded, filename="材料.txt")

    assert (material.encoding, material.text) == ("big5", TRADITIONAL_SPEECH.rstrip("\n"))


def test_a_traditional_text_saved_as_gbk_stays_gbk():
    material = read_material(TRADITIONAL_SPEECH.encode("gbk"), filename="材料.txt")

    assert (material.encoding, material.text) == ("gb18030", TRADITIONAL_SPEECH.rstrip("\n"))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf16_txt_without_bom_is_recognised(encoding):
    material = read_material(SPEECH.encode(encoding), filename="a.txt")

    assert (material.encoding, material.text) == (encoding, SPEECH.rstrip("\n"))


def test_windows_and_old_mac_line_endings_become_newlines_and_trailing_spaces_go():
    encoded = "标题  \r\n\r\n\u3000\u3000第一段\r第二段\r\n".encode("gbk")

    material = read_material(encoded, filename="a.txt")

    assert material.text == "标题\n\n\u3000\u3000第一段\n第二段"


def test_a_txt_cut_off_mid_character_is_read_with_a_note():
    encoded = SPEECH.rstrip("\n").encode("gbk")[:-1]

    material = read_material(encoded, filename="a.txt")

    assert material.text == SPEECH.rstrip("\n")[:-1]
    assert material.encoding == "gb18030"
    assert material.notes == ("文件中有 1 处字节无法按 GB18030 解码，已略去。",)


def test_a_txt_of_only_whitespace_is_refused():
    error = refusal(" \r\n\u3000\n".encode(), "a.txt")

    assert error.reason == "no_text"
    assert str(error) == "文件里只有空白，没有文字；请确认选对了文件后重新上传。"


# Word ---------------------------------------------------------------------------------------


def new_document(*abstracts: tuple[int, list[tuple[str, ...]]], nums: tuple[str, ...] = ()):
    """A python-docx document with extra list definitions: `abstracts` as (id, [(numFmt,
    lvlText[, more w:lvl XML]), …]) and `nums` as raw w:num XML."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    first_num = numbering.find(parse_xml(f"<w:num {nsdecls('w')}/>").tag)
    for abstract_id, levels in abstracts:
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{"".join(more)}</w:lvl>'
            for i, (fmt, text, *more) in enumerate(levels)
        )
        first_num.addprevious(
            parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'
            )
        )
    for num in nums:
        numbering.append(parse_xml(num.replace("<w:num ", f"<w:num {nsdecls('w')} ", 1)))
    return document


def num(num_id: int, abstract_id: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def numbered(document, text: str, *, num_id: int, ilvl: int | None = 0, style: str | None = None):
    paragraph = document.add_paragraph(text, style=style)
    level = "" if ilvl is None else f'<w:ilvl w:val="{ilvl}"/>'
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}>{level}<w:numId w:val="{num_id}"/></w:numPr>')
    )
    return paragraph


def docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_automatic_numbering_is_written_out_at_every_gbt_9704_level():
    document = new_document((90, GB_OUTLINE), nums=(num(90, 90),))
    document.add_paragraph("个人剖析材料")
    numbered(document, "存在的问题", num_id=90, ilvl=0)
    numbered(document, "理论学习不够深入", num_id=90, ilvl=1)
    numbered(document, "学习不系统", num_id=90, ilvl=2)
    numbered(document, "学用脱节", num_id=90, ilvl=2)
    numbered(document, "在学深悟透上用力不够", num_id=90, ilvl=3)
    numbered(document, "读原著少", num_id=90, ilvl=4)
    numbered(document, "记笔记少", num_id=90, ilvl=4)
    numbered(document, "担当作为不够", num_id=90, ilvl=1)
    numbered(document, "遇到难题绕着走", num_id=90, ilvl=2)
    numbered(document, "原因分析", num_id=90, ilvl=0)

    material = read_material(docx_bytes(document), filename="剖析材料.docx")

    assert material.source_format == "docx"
    assert material.text.split("\n") == [
        "个人剖析材料",
        "一、存在的问题",
        "（一）理论学习不够深入",
        "1. 学习不系统",
        "2. 学用脱节",
        "（1）在学深悟透上用力不够",
        "①读原著少",
        "②记笔记少",
        "（二）担当作为不够",
        "1. 遇到难题绕着走",
        "二、原因分析",
    ]


def test_word_lists_sharing_a_definition_continue_and_a_start_override_restarts():
    restart = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    document = new_document((90, GB_OUTLINE), nums=(num(90, 90), num(91, 90), num(92, 90, restart)))
    numbered(document, "存在的问题", num_id=90)
    numbered(document, "原因分析", num_id=91)
    numbered(document, "第二篇：存在的问题", num_id=92)
    numbered(document, "原因分析", num_id=92)

    material = read_material(docx_bytes(document), filename="a.docx")

    assert material.text.split("\n") == [
        "一、存在的问题",
        "二、原因分析",
        "一、第二篇：存在的问题",
        "二、原因分析",
    ]


def test_word_numbering_carried_by_a_paragraph_style_is_written_out_unless_switched_off():
    # "1.1" under "第一章": a legal-style level (w:isLgl) shows every counter in digits.
    chapters = [("chineseCounting", "第%1章"), ("decimal", "%1.%2", "<w:isLgl/>")]
    document = new_document((93, chapters), nums=(num(93, 93),))
    style = document.styles.add_style("ChapterHeading", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="93"/></w:numPr>')
    )
    document.add_paragraph("总体要求", style="ChapterHeading")
    numbered(document, "指导思想", num_id=93, ilvl=1)
    numbered(document, "不编号的章标题", num_id=0, style="ChapterHeading")
    document.add_paragraph("整改措施", style="ChapterHeading")
    numbered(document, "建立台账", num_id=93, ilvl=1)

    material = read_material(docx_bytes(document), filename="a.docx")

    assert material.text.split("\n") == [
        "第一章 总体要求",
        "1.1 指导思想",
        "不编号的章标题",
        "第二章 整改措施",
        "2.1 建立台账",
    ]


def test_word_bullets_give_no_prefix_and_ideographic_counters_are_written():
    document = new_document(
        (94, [("bullet", "\uf0b7")]),
        (95, [("ideographTraditional", "%1、")]),
        nums=(num(94, 94), num(95, 95)),
    )
    numbered(document, "要点", num_id=94)
    numbered(document, "甲方", num_id=95)
    numbered(document, "乙方", num_id=95)

    material = read_material(docx_bytes(document), filename="a.docx")

    assert material.text.split("\n") == ["要点", "甲、甲方", "乙、乙方"]


@pytest.mark.parametrize(
    ("value", "num_format", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCountingThousand", "十一"),
        (20, "chineseCounting", "二十"),
        (105, "chineseCounting", "一百零五"),
        (1010, "chineseCountingThousand", "一千零一十"),
        (12, "chineseLegalSimplified", "壹拾贰"),
        (10, "ideographDigital", "一〇"),
        (3, "ideographTraditional", "丙"),
        (12, "decimalEnclosedCircle", "⑫"),
        (21, "decimalEnclosedCircleChinese", "㉑"),
        (3, "decimalEnclosedParen", "⑶"),
        (4, "upperRoman", "IV"),
        (28, "lowerLetter", "bb"),
        (7, "decimalZero", "07"),
        (7, "someFutureFormat", "7"),
    ],
)
def test_list_counters_render_in_words_number_formats(value, num_format, expected):
    assert format_number(value, num_format) == expected


def test_a_word_table_row_becomes_one_line_of_cells_joined_by_pipes():
    document = new_document((90, GB_OUTLINE), nums=(num(90, 90),))
    document.add_paragraph("问题清单")
    table = document.add_table(rows=3, cols=3)
    rows = [["问题", "原因", "整改措施"], ["学习不深入", "重视不够", "每周学习"], ["", "", ""]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 2).add_paragraph("每月交流")
    numbered(document, "整改要求", num_id=90)

    material = read_material(docx_bytes(document), filename="a.docx")

    assert material.text.split("\n") == [
        "问题清单",
        "问题 | 原因 | 整改措施",
        "学习不深入 | 重视不够 | 每周学习 每月交流",
        "一、整改要求",
    ]


def test_a_vertically_merged_cell_is_given_once_and_the_columns_stay_aligned():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [["类别", "问题", "措施"], ["学习", "学得不深", "每周学"], ["", "学用脱节", "结合实际"]]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(2, 0))

    material = read_material(docx_bytes(document), filename="a.docx")

    assert material.text.split("\n") == [
        "类别 | 问题 | 措施",
        "学习 | 学得不深 | 每周学",
        " | 学用脱节 | 结合实际",
    ]


def test_a_custom_number_format_falls_back_to_the_format_word_writes_beside_it():
    custom = (
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        '<mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice>'
        '<mc:Fallback><w:numFmt w:val="decimalZero"/></mc:Fallback></mc:AlternateContent>'
    )
    document = new_document(nums=(num(96, 96),))
    numbering = document.part.numbering_part.element
    numbering.find(parse_xml(f"<w:num {nsdecls('w')}/>").tag).addprevious(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="96"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            f'{custom}<w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
        )
    )
    numbered(document, "存在的问题", num_id=96)

    material = read_material(docx_bytes(document), filename="a.docx")

    assert material.text == "01、存在的问题"


def test_a_single_cell_layout_table_gives_its_paragraphs_as_lines_and_numbering_runs_through():
    document = new_document((90, GB_OUTLINE), nums=(num(90, 90),))
    numbered(document, "存在的问题", num_id=90)
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "表格里的正文"
    paragraph = cell.add_paragraph("原因分析")
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>')
    )
    numbered(document, "整改措施", num_id=90)

    material = read_material(docx_bytes(document), filename="a.docx")

    assert material.text.split("\n") == [
        "一、存在的问题",
        "表格里的正文",
        "二、原因分析",
        "三、整改措施",
    ]


def test_word_soft_breaks_split_lines_while_hidden_and_deleted_text_is_left_out():
    document = docx.Document()
    paragraph = document.add_paragraph("第一行")
    paragraph.add_run().add_break()
    paragraph.add_run("第二行")
    hidden = paragraph.add_run("隐藏的水印")
    hidden.font.hidden = True
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="1" w:author="x"><w:r><w:delText>删掉的字</w:delText></w:r></w:del>'
        )
    )
    document.add_paragraph("")

    material = read_material(docx_bytes(document), filename="a.docx")

    assert material.text == "第一行\n第二行"


def test_a_word_document_without_text_is_refused():
    document = docx.Document()
    document.add_paragraph("")

    error = refusal(docx_bytes(document), "a.docx")

    assert error.reason == "no_text"
    assert (
        str(error)
        == "文档里没有文字（可能只有图片）；请上传含文字的文档，扫描件请先用 OCR 识别成文字。"
    )


def test_reading_a_long_word_document_takes_milliseconds():
    import time

    document = docx.Document()
    for _ in range(250):
        document.add_paragraph("坚持以人民为中心的发展思想，扎实推进整改落实。" * 2)
    data = docx_bytes(document)

    started = time.perf_counter()
    material = read_material(data, filename="a.docx")
    elapsed = time.perf_counter() - started

    assert len(material.text) > 10_000
    assert elapsed < 0.5


# PDF ----------------------------------------------------------------------------------------


def pdf_bytes(pages: list[list[str] | None]) -> bytes:
    """A PDF whose pages hold `pages`' lines in a CID font with a ToUnicode map (as Word's PDF
    export writes Chinese), or nothing at all for None (a scanned page, minus the image)."""
    chars = sorted({ch for page in pages if page for line in page for ch in line})
    cid = {ch: i + 1 for i, ch in enumerate(chars)}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(content: bytes) -> bytes:
        return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"

    bfchars = "".join(f"<{cid[ch]:04X}> <{ord(ch):04X}>\n" for ch in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def "
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{bfchars}endbfchar endcmap "
        "CMapName currentdict /CMap defineresource pop end end"
    )
    to_unicode = add(stream(cmap.encode()))
    cid_font = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>"
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid_font, to_unicode)
    )
    contents = []
    for page in pages:
        shown = b"".join(
            b"<" + "".join(f"{cid[ch]:04X}" for ch in line).encode() + b"> Tj T*\n"
            for line in page or []
        )
        contents.append(
            add(stream(b"BT /F1 12 Tf 72 750 Td 14 TL\n" + shown + b"ET" if page else b""))
        )
    pages_id = len(objects) + len(pages) + 1
    kids = [
        add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
            % (pages_id, font, content)
        )
        for content in contents
    ]
    add(
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    )
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, xref)
    )
    return out.getvalue()


def encrypted(pdf: bytes, *, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_text_layer_is_read_page_by_page_without_page_numbers():
    pdf = pdf_bytes(
        [["一、存在的问题", "（一）理论学习不够深入。"], ["- 2 -"], ["二、整改措施", "- 3 -"]]
    )

    material = read_material(pdf, filename="材料.pdf")

    assert material.source_format == "pdf"
    assert material.text == "一、存在的问题\n（一）理论学习不够深入。\n二、整改措施"
    assert material.notes == ("PDF 第 2 页没有文字层（可能是扫描页），其内容未读取。",)


def test_a_pdf_with_only_an_owner_password_is_read():
    pdf = encrypted(pdf_bytes([["一、存在的问题"]]), user_password="")

    assert read_material(pdf, filename="a.pdf").text == "一、存在的问题"


def test_a_scanned_pdf_is_refused_with_advice_to_upload_word():
    error = refusal(pdf_bytes([None, None]), "扫描件.pdf")

    assert error.reason == "scanned"
    assert str(error).startswith("这个 PDF 是扫描件，没有文字层")
    assert "请上传 Word 或文字版 PDF" in str(error)


def test_a_password_protected_pdf_is_refused():
    error = refusal(encrypted(pdf_bytes([["一、存在的问题"]]), user_password="123456"), "a.pdf")

    assert error.reason == "encrypted"
    assert (
        str(error)
        == "这个 PDF 设置了打开密码，无法读取；请去掉密码后重新导出再上传，或上传 Word 版本。"
    )


def test_a_broken_pdf_is_refused_as_corrupt():
    error = refusal(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "a.pdf")

    assert error.reason == "corrupt"


def test_a_pdf_renamed_to_txt_is_read_as_the_pdf_it_is():
    material = read_material(pdf_bytes([["一、存在的问题"]]), filename="材料.txt")

    assert (material.source_format, material.text) == ("pdf", "一、存在的问题")


# Refusals by content ------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    error = refusal(b"", "a.docx")

    assert (error.reason, str(error)) == (
        "empty",
        "文件是空的（0 字节）；请确认选对了文件后重新上传。",
    )


def test_a_file_over_the_size_limit_is_refused_with_its_size():
    error = refusal(b"a" * int(31.2 * MB), "a.txt")

    assert error.reason == "too_large"
    assert str(error).startswith("文件大小 31.2 MB，超过 30 MB 的上限；")


def test_the_size_limit_can_be_set_by_the_caller():
    with pytest.raises(MaterialFileError, match="超过 1 MB 的上限"):
        read_material(b"a" * (MB + 1), filename="a.txt", max_bytes=MB)


def junk_bytes(size: int) -> bytes:
    """Reproducible bytes with no structure at all."""
    blocks = (hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(size // 32 + 1))
    return b"".join(blocks)[:size]


def test_binary_junk_is_refused_whatever_its_name():
    junk = junk_bytes(4096)

    generic = refusal(junk, "材料.bin")
    as_docx = refusal(junk, "材料.docx")

    assert generic.reason == as_docx.reason == "unsupported"
    assert str(generic).startswith("无法读取这个文件：内容既不是 UTF-8、GBK 或 Big5 编码的文本")
    assert str(as_docx).startswith("文件扩展名是 .docx，但内容不是 Word 文档")


def test_an_image_is_refused_as_an_image():
    png = b"\x89PNG\r\n\x1a\n" + junk_bytes(200)

    error = refusal(png, "剖析材料.docx")

    assert error.reason == "unsupported"
    assert str(error).startswith("这是一张图片（PNG），不是文字材料")


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


DOCX_SKELETON = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
}


def test_a_zip_bomb_disguised_as_docx_is_refused_before_inflating():
    bomb = zip_bytes({**DOCX_SKELETON, "word/document.xml": b"<" + b" " * (20 * MB)})

    error = refusal(bomb, "剖析材料.docx")

    assert len(bomb) < MB
    assert error.reason == "zip_bomb"
    assert str(error).startswith("文件解压后超过 100 MB 或压缩比异常")


def test_a_docx_declaring_gigabytes_of_content_is_refused():
    honest = zip_bytes({**DOCX_SKELETON, "word/document.xml": b"<w:document/>"})
    entry = honest.rindex(b"PK\x01\x02")  # the central directory entry of the last member
    forged = honest[: entry + 24] + struct.pack("<I", 2_000_000_000) + honest[entry + 28 :]

    error = refusal(forged, "a.docx")

    assert error.reason == "zip_bomb"


def test_a_corrupt_or_truncated_docx_is_refused_as_corrupt():
    document = docx.Document()
    document.add_paragraph("存在的问题")
    whole = docx_bytes(document)
    broken_xml = zip_bytes({**DOCX_SKELETON, "word/document.xml": b"<w:document><w:body>"})

    truncated = refusal(whole[: len(whole) // 2], "a.docx")
    unparsable = refusal(broken_xml, "a.docx")

    assert truncated.reason == unparsable.reason == "corrupt"
    assert str(truncated).startswith("Word 文档已损坏")
    assert str(unparsable).startswith("Word 文档已损坏")


def test_an_excel_workbook_is_refused_as_not_a_material():
    xlsx = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})

    error = refusal(xlsx, "台账.xlsx")

    assert (error.reason, str(error)) == (
        "unsupported",
        "这是 Excel 表格（.xlsx），不是文字材料；请上传 Word、PDF 或 .txt 文件。",
    )


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding `streams`, each padded
    to 4 KiB: streams that size live in regular sectors, so no mini stream is needed."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    sectors_per_stream = 8
    fat = [fat_sector, end]
    directory = []

    def entry(
        name: str, kind: int, start: int, size: int, child: int = free, right: int = free
    ) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(encoded), kind, 1, free, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory.append(entry("Root Entry", 5, end, 0, child=1))
    body = b""
    for index, (name, content) in enumerate(streams.items()):
        start = len(fat)
        fat.extend(range(start + 1, start + sectors_per_stream))
        fat.append(end)
        right = index + 2 if index + 1 < len(streams) else free
        padded = content.ljust(512 * sectors_per_stream, b"\0")
        directory.append(entry(name, 2, start, len(padded), right=right))
        body += padded
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIII", 0, 1, 1, 0, 4096, end, 0, end)
        + struct.pack("<II", 0, 0)  # no DIFAT sectors; the one FAT sector is sector 0
        + struct.pack("<I", free) * 108
    )
    fat_bytes = b"".join(struct.pack("<I", value) for value in fat).ljust(512, b"\xff")
    directory_bytes = b"".join(directory).ljust(512, b"\0")
    return header + fat_bytes + directory_bytes + body


def test_a_password_protected_docx_is_refused_as_encrypted():
    encrypted_docx = ole_file(
        {"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 64}
    )

    error = refusal(encrypted_docx, "剖析材料.docx")

    assert error.reason == "encrypted"
    assert (
        str(error)
        == "这个 Word 文档设置了打开密码（已加密），无法读取；请在 Word 或 WPS 中取消密码后重新上传。"
    )


def test_an_old_excel_workbook_is_refused_as_not_a_material():
    xls = ole_file({"Workbook": b"\x09\x08\x10\x00"})

    error = refusal(xls, "台账.xls")

    assert (error.reason, str(error)) == (
        "unsupported",
        "这是 Excel 表格（.xls），不是文字材料；请上传 Word、PDF 或 .txt 文件。",
    )


# .doc and .wps through LibreOffice ----------------------------------------------------------


def legacy_doc() -> bytes:
    return ole_file({"WordDocument": b"\xec\xa5" + bytes(30), "1Table": bytes(16)})


def test_a_doc_without_libreoffice_installed_asks_to_save_as_docx(monkeypatch):
    monkeypatch.setattr(read_office.shutil, "which", lambda name: None)

    error = refusal(legacy_doc(), "剖析材料.doc")

    assert error.reason == "needs_libreoffice"
    assert str(error) == (
        "这是旧版 Word（.doc）文件，需要 LibreOffice 才能读取，但服务器上没有安装；"
        "请在 Word 或 WPS 中另存为 .docx 后重新上传，或请管理员安装 LibreOffice。"
    )


@pytest.mark.parametrize(
    ("data", "filename", "named"),
    [
        (legacy_doc(), "剖析材料.wps", "这是 WPS（.wps）文件"),
        (
            b"<html><body><p>\xe5\xad\x98\xe5\x9c\xa8</p></body></html>",
            "范文.doc",
            "这是网页格式的 Word（.doc）文件",
        ),
        (b"{\\rtf1\\ansi \\par }", "a.rtf", "这是 RTF（.rtf）文件"),
        (
            zip_bytes(
                {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}
            ),
            "a.odt",
            "这是 OpenDocument（.odt）文件",
        ),
    ],
    ids=["wps", "web-page-saved-as-doc", "rtf", "odt"],
)
def test_other_word_processor_formats_name_themselves_when_libreoffice_is_missing(
    monkeypatch, data, filename, named
):
    monkeypatch.setattr(read_office.shutil, "which", lambda name: None)

    error = refusal(data, filename)

    assert error.reason == "needs_libreoffice"
    assert str(error).startswith(f"{named}，需要 LibreOffice")


def fake_soffice(tmp_path: Path, monkeypatch, script: str) -> None:
    program = tmp_path / "bin" / "soffice"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n" + script)
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{program.parent}:/usr/bin:/bin")


def test_a_doc_is_converted_by_soffice_headless_in_a_private_directory(tmp_path, monkeypatch):
    converted = new_document((90, GB_OUTLINE), nums=(num(90, 90),))
    numbered(converted, "存在的问题", num_id=90)
    (tmp_path / "converted.docx").write_bytes(docx_bytes(converted))
    # Stands in for LibreOffice: checks the arguments, then "converts" to the prepared file.
    fake_soffice(
        tmp_path,
        monkeypatch,
        f"""[ "$1" = --headless ] || exit 1
while [ "$1" != --outdir ]; do shift; done
mkdir -p "$2" && cat "{tmp_path}/converted.docx" > "$2/$(basename "$3" .doc).docx"
""",
    )

    material = read_material(legacy_doc(), filename="剖析材料.doc")

    assert (material.source_format, material.text) == ("doc", "一、存在的问题")


def test_a_conversion_that_hangs_is_stopped_and_refused(tmp_path, monkeypatch):
    fake_soffice(tmp_path, monkeypatch, "exec sleep 30\n")

    with pytest.raises(MaterialFileError) as caught:
        convert_to_docx(legacy_doc(), source_format="doc", timeout=0.5)

    assert caught.value.reason == "conversion_failed"
    assert str(caught.value).startswith("旧版 Word（.doc）文件转换超时")


def test_a_conversion_that_produces_nothing_is_refused(tmp_path, monkeypatch):
    fake_soffice(tmp_path, monkeypatch, "exit 0\n")

    error = refusal(legacy_doc(), "a.doc")

    assert error.reason == "conversion_failed"
    assert str(error).startswith("旧版 Word（.doc）文件转换失败")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_real_doc_is_read_through_libreoffice(tmp_path):
    import subprocess

    document = new_document((90, GB_OUTLINE), nums=(num(90, 90),))
    numbered(document, "存在的问题", num_id=90)
    source = tmp_path / "material.docx"
    source.write_bytes(docx_bytes(document))
    subprocess.run(  # noqa: S603
        [
            shutil.which("soffice"),
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )

    material = read_material((tmp_path / "material.doc").read_bytes(), filename="剖析材料.doc")

    assert (material.source_format, material.text) == ("doc", "一、存在的问题")
