"""What a 公文 is made of, as frozen dataclasses: the writer lays them out, nothing else."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the body. `level` 0 is body text; 1 to 4 are the four levels of
    heading the standard orders as 一、 / （一） / 1. / (1) (the text carries its own number)."""

    text: str
    level: int = 0


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Columns whose cells read best centred (numbers, ranks, short labels).
    centred: frozenset[int] = frozenset()


Block = Paragraph | Table


@dataclass(frozen=True)
class Attachment:
    """附件: named in the 附件说明 under the body, laid out on pages of its own after the date."""

    title: str
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Masthead:
    """版头 (7.2): the 发文机关标志 in red, the 发文字号 under it, and the red separator line."""

    # "中共青山县委办公室文件", or the organisation's name alone (a 通报, a 信函).
    mark: str
    # "青办发〔2026〕12号"; left blank, its line stays for the office to fill in by hand.
    number: str = ""


@dataclass(frozen=True)
class Colophon:
    """版记 (7.4): 抄送, 印发机关 and 印发日期 between black lines at the foot of the last page."""

    printer: str
    printed_on: dt.date
    # "县纪委监委，县委组织部": the 抄送机关, separated as the office writes them.
    copies_to: str = ""


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    issuer: str
    date: dt.date
    # 主送机关, e.g. "各乡镇党委、政府"; the colon is added.
    recipients: str = ""
    attachments: tuple[Attachment, ...] = ()
    masthead: Masthead | None = None
    colophon: Colophon | None = None
