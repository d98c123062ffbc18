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
class Document:
    title: str
    blocks: tuple[Block, ...]
    issuer: str
    date: dt.date
    # 主送机关, e.g. "各乡镇党委、政府"; the colon is added.
    recipients: str = ""
    attachments: tuple[Attachment, ...] = ()
