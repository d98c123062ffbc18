"""Plain text, as a user edits it in a text box, into paragraphs with their heading level.

A line that starts with a heading number of the standard's four levels is a heading of that
level (一、 → 1, （一） → 2, 1. → 3, (1) → 4); every other non-blank line is a body paragraph.
"""

import re

from .model import Paragraph

CHINESE_DIGITS = "一二三四五六七八九十百零〇"
LEVELS = (
    (1, re.compile(rf"^[{CHINESE_DIGITS}]+、")),
    (2, re.compile(rf"^[（(][{CHINESE_DIGITS}]+[）)]")),
    (3, re.compile(r"^[0-9０-９]+[.．、](?![0-9０-９])")),
    (4, re.compile(r"^[（(][0-9０-９]+[）)]")),
)


def heading_level(line: str) -> int:
    for level, pattern in LEVELS:
        if pattern.match(line):
            return level
    return 0


def blocks_from_text(text: str) -> tuple[Paragraph, ...]:
    """Each non-blank line one paragraph; the indentation people type is the writer's job."""
    lines = (line.strip().lstrip("\u3000").strip() for line in text.splitlines())
    return tuple(Paragraph(line, heading_level(line)) for line in lines if line)
