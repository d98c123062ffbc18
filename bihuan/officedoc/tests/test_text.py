from bihuan.officedoc import Paragraph, blocks_from_text


def test_lines_with_a_heading_number_become_headings_of_its_level():
    text = "为推进整改，现通报如下。\n\n一、总体情况\n　　（一）签收\n1．及时签收\n（1）城关镇\n2026年11月，全县……"

    assert blocks_from_text(text) == (
        Paragraph("为推进整改，现通报如下。", 0),
        Paragraph("一、总体情况", 1),
        Paragraph("（一）签收", 2),
        Paragraph("1．及时签收", 3),
        Paragraph("（1）城关镇", 4),
        Paragraph("2026年11月，全县……", 0),
    )


def test_a_number_that_starts_a_sentence_is_not_a_heading():
    assert blocks_from_text("12.5%的措施逾期。")[0].level == 0
