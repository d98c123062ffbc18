"""Official documents (公文) in the national format, GB/T 9704-2012, written with python-docx.

Plain Python with no Django import: a `Document` of title, main recipients, blocks (paragraphs
with their heading level, tables), attachments, issuer and date, and optionally the red 版头
(`Masthead`) and the 版记 (`Colophon`), goes in; a .docx comes out.
Fonts are named, never embedded: the reader's Word or WPS has them.
"""

from bihuan.officedoc.model import (
    Attachment,
    Block,
    Colophon,
    Document,
    Masthead,
    Paragraph,
    Table,
)
from bihuan.officedoc.text import blocks_from_text
from bihuan.officedoc.writer import write_document

__all__ = [
    "Attachment",
    "Block",
    "Colophon",
    "Document",
    "Masthead",
    "Paragraph",
    "Table",
    "blocks_from_text",
    "write_document",
]
