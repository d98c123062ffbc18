"""The whole text pipeline on one material's text: normalise → outline → extract.

extraction = extract_text(material.text)
extraction_json(extraction)   # the `bihuan extract --format json` object
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bihuan.text.boilerplate import Rules
from bihuan.text.extract import extract_items
from bihuan.text.items import Item
from bihuan.text.meta import genre_of, title_of
from bihuan.text.normalise import normalise
from bihuan.text.outline import Node, Outline, outline, paragraph_spans

__all__ = ["Extraction", "extract_text", "extraction_json", "extraction_text"]

ROLE_NAMES = {"problems": "问题", "causes": "原因", "measures": "措施", "other": ""}


@dataclass(frozen=True)
class Extraction:
    """Everything read from one material: its title and genre (None when it names none),
    the normalised text, the boilerplate removed from it, its outline with each section's
    role, and the problems, causes and measures found, in text order."""

    title: str | None
    genre: str | None
    clean_text: str
    removed: tuple[str, ...]
    outline: Outline
    problems: tuple[Item, ...]
    causes: tuple[Item, ...]
    measures: tuple[Item, ...]


def extract_text(text: str, *, rules: Rules | None = None) -> Extraction:
    """Run the pipeline on a material's raw text (from `read_material`); never raises on
    text. `rules` replaces the maintained boilerplate list (boilerplate.json)."""
    cleaned = normalise(text, rules=rules)
    paragraphs = [span.text for span in paragraph_spans(cleaned.text)]
    title = title_of(paragraphs)
    genre = genre_of(title, paragraphs)
    found = extract_items(outline(cleaned.text), genre=genre)
    return Extraction(
        title=title,
        genre=genre,
        clean_text=cleaned.text,
        removed=cleaned.removed,
        outline=found.outline,
        problems=found.problems,
        causes=found.causes,
        measures=found.measures,
    )


def _lead(text: str) -> str:
    """An inline item's heading: its lead phrase, up to the first full stop or colon."""
    match = re.search(r"[。:;!?]", text)
    return text[: match.start()] if match and match.start() <= 40 else text[:20]


def _inline_nodes(node: Node, text: str) -> list[dict[str, Any]]:
    return [
        {
            "level": node.level + 1,
            "number": segment.number,
            "heading": _lead(text[segment.start : segment.end]),
            "role": node.role,
            "children": [],
        }
        for run in node.runs
        for segment in run.items
    ]


def _node_json(node: Node, text: str) -> dict[str, Any]:
    return {
        "level": node.level,
        "number": node.number,
        "heading": node.heading,
        "role": node.role,
        "children": _inline_nodes(node, text) + [_node_json(c, text) for c in node.children],
    }


def extraction_json(extraction: Extraction) -> dict[str, Any]:
    """The contract's JSON object (eval/extract-contract.md): title, genre, clean_text,
    removed, outline (nested nodes, inline 一是/二是 items included), problems
    [{category, text}], causes [{text}], measures [{group, text}]."""
    root = extraction.outline.root
    text = extraction.clean_text
    return {
        "title": extraction.title,
        "genre": extraction.genre,
        "clean_text": text,
        "removed": list(extraction.removed),
        "outline": _inline_nodes(root, text) + [_node_json(c, text) for c in root.children],
        "problems": [{"category": i.category, "text": i.text} for i in extraction.problems],
        "causes": [{"text": i.text} for i in extraction.causes],
        "measures": [{"group": i.group, "text": i.text} for i in extraction.measures],
    }


def _outline_lines(node: Node, depth: int) -> list[str]:
    lines = []
    for child in node.children:
        role = ROLE_NAMES[child.role]
        mark = f"  〔{role}〕" if role and child.role != node.role else ""
        lines.append(f"{'  ' * depth}{child.number}{child.heading}{mark}")
        lines += _outline_lines(child, depth + 1)
    return lines


def extraction_text(extraction: Extraction) -> str:
    """A person's view: title, genre, outline with section roles, the items, and what
    boilerplate was removed."""
    lines = [
        f"标题：{extraction.title or '（无）'}",
        f"体裁：{extraction.genre or '（未识别）'}",
        "",
        "大纲：",
        *(_outline_lines(extraction.outline.root, 1) or ["  （无标题层次）"]),
    ]
    for role, items in (
        ("problems", extraction.problems),
        ("causes", extraction.causes),
        ("measures", extraction.measures),
    ):
        lines += ["", f"{ROLE_NAMES[role]}（{len(items)} 条）："]
        for number, item in enumerate(items, 1):
            label = item.category if role == "problems" else item.group
            prefix = f"【{label}】" if label else ""
            lines.append(f"  {number}. {prefix}{item.text}")
    if extraction.removed:
        lines += ["", f"已去除的模板网站内容（{len(extraction.removed)} 处）："]
        lines += [f"  - {snippet}" for snippet in extraction.removed]
    return "\n".join(lines)
