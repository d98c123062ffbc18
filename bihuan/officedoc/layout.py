"""The measures of GB/T 9704-2012, and the ones derived from them.

Page (5.2.1, 5.2.2): A4, 天头 (top margin) 37 mm, 订口 (left margin) 28 mm, 版心 (type area)
156 mm × 225 mm, so the right margin is 210 − 28 − 156 = 26 mm and the bottom one
297 − 37 − 225 = 35 mm.

Lines (5.2.3): 正文 in 3号仿宋, "一般每面排22行，每行排28个字，并撑满版心". Filling the 225 mm
type area with 22 lines gives a pitch of 225 mm / 22 = 637.8 pt / 22 = 28.99 pt. Word stores
exact line spacing in twentieths of a point, and Word fits ⌊type area ÷ pitch⌋ lines, so the
pitch is rounded down, not to the nearest: 579 twips = 28.95 pt gives 22 × 28.95 = 636.9 pt
≤ 637.8 pt (22 lines, 0.9 pt to spare), where 580 twips would give 638 pt and only 21 lines.
The commonly quoted "固定值28.9磅" also gives 22 lines; 28.95 pt is the one that fills the type
area, as the standard asks. The same pitch goes into the document grid.

28 characters per line: 156 mm = 442.2 pt / 28 = 15.79 pt per character, 0.21 pt less than the
16 pt font; the document grid carries that difference (in 4096ths of a point, as Word counts).

Page numbers (7.5): 4号半角宋体阿拉伯数字 with an 一字线 on each side, the 一字线 7 mm below
the type area; odd pages right, even pages left, each one character in from the edge.

Signature (7.3.5.1, a sealed document): 成文日期 右空四字, in Arabic digits (2012年…), and
发文机关署名 centred over the date.

版头 (7.2.4, 7.2.5, 7.2.7): the 发文机关标志 centred in red 小标宋, its top edge 35 mm under the
type area's; the 发文字号 two lines below it, centred; a red line as wide as the type area 4 mm
under the 发文字号; the title two lines under the line (7.3.1). The standard leaves the mark's
size to the office ("醒目、美观、庄重"): 初号 (42 pt), squeezed horizontally (as offices do with
long names) so that it stays on one line.

版记 (7.4): 4号仿宋, 抄送 above 印发机关 (左空一字) and 印发日期 (右空一字, "…印发"), between
lines as wide as the type area: the first and last thick (0.35 mm), the ones between thin
(0.25 mm); the last line lies on the type area's bottom edge of the last page.
"""

import math

from docx.shared import Length, Mm, Pt, Twips

MM_PER_INCH = 25.4
TWIPS_PER_PT = 20

PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
TOP_MARGIN_MM = 37
BOTTOM_MARGIN_MM = 35
LEFT_MARGIN_MM = 28
RIGHT_MARGIN_MM = 26
TYPE_AREA_WIDTH_MM = 210 - LEFT_MARGIN_MM - RIGHT_MARGIN_MM  # 156
TYPE_AREA_HEIGHT_MM = 297 - TOP_MARGIN_MM - BOTTOM_MARGIN_MM  # 225

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_INCH * 72


# 579 twips: the largest pitch Word can store that still fits 22 lines.
LINE_PITCH_TWIPS = math.floor(mm_to_pt(TYPE_AREA_HEIGHT_MM) * TWIPS_PER_PT / LINES_PER_PAGE)
LINE_PITCH = Twips(LINE_PITCH_TWIPS)

# Font sizes by their Chinese names (号).
SIZE_2 = Pt(22)  # 二号: the title
SIZE_3 = Pt(16)  # 三号: body, headings, signature
SIZE_4 = Pt(14)  # 四号: page numbers, table cells

BODY_PT = 16
CHAR_PITCH_PT = mm_to_pt(TYPE_AREA_WIDTH_MM) / CHARS_PER_LINE
# docGrid w:charSpace: the character pitch minus the default font size, in 4096ths of a point.
GRID_CHAR_SPACE = round((CHAR_PITCH_PT - BODY_PT) * 4096)

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_1_FONT = "黑体"
HEADING_2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

# The page number's 一字线 sits 7 mm under the type area; the footer distance Word takes is
# from the page's bottom edge to the footer line's bottom, one 四号 line lower.
PAGE_NUMBER_GAP_MM = 7
FOOTER_DISTANCE = Length(Mm(BOTTOM_MARGIN_MM - PAGE_NUMBER_GAP_MM) - SIZE_4)
HEADER_DISTANCE = Mm(15)

# Two characters of body text: the first-line indent of every paragraph.
TWO_CHARS = Pt(2 * BODY_PT)

# 版头 and 版记.
RED = "FF0000"
BLACK = "000000"
MASTHEAD_FONT = TITLE_FONT
MASTHEAD_PT = 42  # 初号
MASTHEAD_MIN_SCALE = 60  # percent: narrower reads as a smudge; below it the size gives way
MASTHEAD_TOP = Mm(35)
# Border widths are in eighths of a point and their spacing in whole points.
RED_LINE_SIZE = 12  # 1.5 pt
RED_LINE_GAP_PT = round(mm_to_pt(4))  # 11 pt under the 发文字号
COLOPHON_THICK = round(mm_to_pt(0.35) * 8)  # 8: 1 pt
COLOPHON_THIN = round(mm_to_pt(0.25) * 8)  # 6: 0.75 pt
COLOPHON_PT = 14  # 4号
TYPE_AREA_WIDTH_TWIPS = round(mm_to_pt(TYPE_AREA_WIDTH_MM) * TWIPS_PER_PT)


def text_width(text: str) -> float:
    """Width in characters of its own size: ASCII (half-width digits) counts one half."""
    return sum(0.5 if ord(char) < 128 else 1.0 for char in text)


def masthead_fit(mark: str) -> tuple[float, int]:
    """The mark's size in points and its horizontal scale in percent, so that it fills at most
    the type area's width on one line."""
    width = max(text_width(mark), 1)
    room = mm_to_pt(TYPE_AREA_WIDTH_MM)
    natural = width * MASTHEAD_PT
    if natural <= room:
        return MASTHEAD_PT, 100
    scale = math.floor(room / natural * 100)
    if scale >= MASTHEAD_MIN_SCALE:
        return MASTHEAD_PT, scale
    # Word stores sizes in half points.
    size = math.floor(room / (width * MASTHEAD_MIN_SCALE / 100) * 2) / 2
    return size, MASTHEAD_MIN_SCALE
