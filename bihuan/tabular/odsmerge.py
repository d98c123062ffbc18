"""Merged cells of an .ods file, which calamine reads as values but does not report as merges.

A ledger's merges carry meaning (a problem owning the rows beside it, a deadline shared by a
problem's measures), so they are read from content.xml directly.
"""

import io
import zipfile
from xml.etree import ElementTree

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ROW, CELL, COVERED = f"{TABLE}table-row", f"{TABLE}table-cell", f"{TABLE}covered-table-cell"
MAX_CONTENT = 200 * 2**20  # refuse a zip bomb rather than expand it

Range = tuple[tuple[int, int], tuple[int, int]]


def ods_merged_ranges(data: bytes) -> dict[str, list[Range]]:
    """Sheet name → its merged ranges, with 0-based inclusive corners as calamine gives them."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if archive.getinfo("content.xml").file_size > MAX_CONTENT:
            raise ValueError("content.xml too large")
        content = archive.read("content.xml")
    if b"<!ENTITY" in content:  # entity expansion has no place in an ODF document
        raise ValueError("content.xml declares entities")
    root = ElementTree.fromstring(content)  # noqa: S314 - entities refused above
    return {
        table.get(f"{TABLE}name", ""): _table_merges(table) for table in root.iter(f"{TABLE}table")
    }


def _table_merges(table: ElementTree.Element) -> list[Range]:
    merges: list[Range] = []
    row_index = 0
    for row in table.iter(ROW):
        column = 0
        for cell in row:
            if cell.tag not in (CELL, COVERED):
                continue
            rows = int(cell.get(f"{TABLE}number-rows-spanned", "1"))
            columns = int(cell.get(f"{TABLE}number-columns-spanned", "1"))
            if cell.tag == CELL and (rows > 1 or columns > 1):
                merges.append(((row_index, column), (row_index + rows - 1, column + columns - 1)))
            column += int(cell.get(f"{TABLE}number-columns-repeated", "1"))
        row_index += int(row.get(f"{TABLE}number-rows-repeated", "1"))
    return merges
