"""A material's title and genre (剖析材料, 对照检查材料, 研讨材料, 讲话 …)."""

from __future__ import annotations

import re

from bihuan.text.articles import article_title
from bihuan.text.numbering import leading_number

__all__ = ["genre_of", "title_of"]

# In order: the first that the title (else the opening) names wins; 剖析 outranks 研讨
# because a "研讨和剖析材料" lists problems like any 剖析材料.
_GENRES = (
    ("对照检查材料", re.compile(r"对照检查|对照检视")),
    ("剖析材料", re.compile(r"剖析|党性分析|检视(?:问题|材料)")),
    ("发言提纲", re.compile(r"发言提纲")),
    ("整改方案", re.compile(r"整改(?:工作)?(?:方案|清单|台账)|实施方案")),
    ("整改报告", re.compile(r"整改(?:落实)?(?:情况)?(?:报告|汇报)")),
    ("研讨材料", re.compile(r"研讨|交流发言|发言材料|心得体会|学习体会|感悟|读后感")),
    ("讲话", re.compile(r"讲话|致辞|^同志们|会上的")),
    ("活动总结", re.compile(r"总结")),
    ("报告", re.compile(r"报告|汇报")),
)


def title_of(paragraphs: list[str]) -> str | None:
    """The first paragraph when it reads as a title: short, not a sentence, not numbered,
    not a salutation (`同志们：`); past a `目录` line, without an article marker (`【第一篇】`)."""
    paragraphs = [p for p in paragraphs if p.replace(" ", "") not in ("目录", "目次")]
    if not paragraphs:
        return None
    first = article_title(paragraphs[0].strip())
    if len(first) > 60 or re.search(r"[。;!?:]$|[。;!?]", first) or leading_number(first):
        return None
    return first or None


def genre_of(title: str | None, paragraphs: list[str]) -> str | None:
    """The genre named by the title, else by the opening paragraphs; None when neither says."""
    for text in (title or "", "\n".join(paragraphs[:2])[:400]):
        for genre, pattern in _GENRES:
            if pattern.search(text):
                return genre
    return None
