"""红头: the 版头 and 版记 of a notice or report (GB/T 9704-2012 7.2 and 7.4), as the user fills
them in. A 通报 always carries them; a report may."""

import datetime as dt
from dataclasses import dataclass

from bihuan import officedoc


@dataclass(frozen=True)
class Letterhead:
    # 发文机关标志: "中共青山县委办公室文件", or the organisation's name alone.
    mark: str
    number: str = ""  # 发文字号: 青办发〔2026〕12号
    copies_to: str = ""  # 抄送机关
    printer: str = ""  # 印发机关; blank: the issuer

    def masthead(self) -> officedoc.Masthead:
        return officedoc.Masthead(self.mark.strip(), self.number.strip())

    def colophon(self, *, issuer: str, printed_on: dt.date) -> officedoc.Colophon:
        return officedoc.Colophon(
            printer=self.printer.strip() or issuer, printed_on=printed_on, copies_to=self.copies_to
        )


def default_mark(issuer: str) -> str:
    """A report's 发文机关标志 as offices make it: the issuer's name and “文件”."""
    return issuer if issuer.endswith("文件") else f"{issuer}文件"
