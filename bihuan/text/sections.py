"""What a heading or an introduction is about: problems, causes, measures, or none of them.

Sections are recognised by meaning, from the many ways materials word them (存在的问题,
查摆出的突出问题, 问题清单, 差距和不足 …; 原因剖析, 问题根源, 产生问题的原因 …; 整改措施,
下一步打算, 努力方向 …), never by one fixed wording.
"""

from __future__ import annotations

import re

__all__ = ["CAUSES", "MEASURES", "PROBLEMS", "heading_role", "intro_role", "lead_role"]

PROBLEMS, CAUSES, MEASURES = "problems", "causes", "measures"

_FLAW = r"(?:问题|不足|差距|短板|弱项|毛病)"
# A report on what has been done (整改落实情况, 取得的成效) is not a plan of measures.
_PAST = re.compile(
    r"(?:整改|落实|进展|完成|推进|执行|开展)(?:的)?情况|(?:取得|主要)(?:的)?(?:成效|成绩|成果)"
    r"|成效|经验做法|主要做法"
)
_MEASURES = re.compile(
    r"措施|举措|对策|打算|下一步|下步|今后|(?:努力|改进|提高|提升|整改)[^,。]{0,4}方向|整改思路|整改目标"
    r"|整改承诺|整改计划|(?:如何|怎样)(?:整改|改进)"
)
_CAUSES = re.compile(r"原因|根源|根子|症结|病根")
_PROBLEMS_WITH_CAUSES = re.compile(rf"{_FLAW}(?:及|和|与|以及)(?:其)?(?:产生(?:的)?)?(?:原因|根源)")
_PROBLEMS = re.compile(
    rf"(?:存在|查摆|查找|梳理|检视|检查|对照|发现|暴露|反映|剖析)(?:出|到)?(?:来)?的"
    rf"(?:主要|突出|具体|重点)?{_FLAW}"
    rf"|存在(?:的)?(?:主要|突出)?{_FLAW}"
    rf"|(?:主要|突出|具体|重点)(?:问题|不足|差距)"
    r"|问题(?:清单|表现|查摆|检视|梳理|查找|剖析)"
    rf"|(?:不足|差距|短板|弱项|问题)(?:和|与|及)(?:不足|差距|短板|弱项)"
    r"|不足之处|对照.{0,12}?(?:检查|检视|查摆)|(?:找|查|查找|寻找)(?:差距|不足)"
)
# 查摆问题 names the list only when it leads the heading (一、查摆问题情况); after a comma it
# is one step of a campaign being reported (二、自我加压，查摆问题).
_PROBLEMS_FIRST = re.compile(rf"(?:认真|深入|全面)?(?:查摆|查找|检视|剖析)?{_FLAW}(?:情况)?")

# Whole headings that name a section even with no number (存在的问题 on its own line).
_STRICT = {
    PROBLEMS: re.compile(
        rf"(?:我|本人|个人|自身|班子|领导班子)?(?:存在|查摆出?|查找出?|检视出?|对照检查出?)?(?:来)?的?"
        rf"(?:主要|突出|具体)?{_FLAW}(?:和不足|及不足|和差距|及表现|表现|清单|查摆|检视)?(?:情况)?"
        rf"|(?:对照检查|查摆问题|检视问题|问题查摆)(?:情况)?"
    ),
    CAUSES: re.compile(
        r"(?:问题)?(?:产生|存在)?(?:问题)?(?:的)?(?:主要)?(?:原因|根源|思想根源)(?:分析|剖析|查找)?"
        r"|(?:深挖|剖析|分析)(?:问题)?(?:根源|原因)"
    ),
    MEASURES: re.compile(
        r"(?:下一步|今后|个人)?(?:的)?(?:整改|改进|努力)?(?:措施|举措|方向|打算|计划)"
        r"(?:及打算|和打算|及方向)?|下一步(?:工作)?(?:打算|计划|努力方向)?"
    ),
}


def _clean(heading: str) -> str:
    return re.sub(r"[\s。.:;!?,]+$", "", heading).strip()


def heading_role(heading: str, *, strict: bool = False) -> str | None:
    """The role a section heading announces, or None for any other section.

    With `strict`, only a heading that is nothing but a section name counts (for a line
    with no number, or a sub-heading inside another role's section, where a phrase like
    "认真整改存在的问题" is an item, not a section).
    """
    text = _clean(heading)
    if strict:
        for role, pattern in _STRICT.items():
            if pattern.fullmatch(text):
                return role
        return None
    if _PAST.search(text):
        return None
    if _MEASURES.search(text):
        return MEASURES
    if _CAUSES.search(text):
        return PROBLEMS if _PROBLEMS_WITH_CAUSES.search(text) else CAUSES
    if _PROBLEMS.search(text):
        return PROBLEMS
    first_clause = re.split(r"[,、;]", text, maxsplit=1)[0]
    return PROBLEMS if _PROBLEMS_FIRST.fullmatch(first_clause) else None


_INTRO = {
    MEASURES: re.compile(
        r"针对|整改措施|改进措施|(?:采取|制定|落实)[^。;]{0,6}?措施|下一步|今后"
        r"|(?:从|在)(?:以下|如下)[^。;]{0,10}?(?:整改|改进|努力|着力|加以)"
    ),
    CAUSES: re.compile(r"原因|根源|根子|症结"),
    PROBLEMS: re.compile(
        rf"(?:存在|查摆|查找|检视|梳理|发现|暴露|反映)[^。;]{{0,12}}?{_FLAW}"
        rf"|{_FLAW}[^。;]{{0,6}}?(?:主要|集中)?(?:有|是|表现(?:在|为)|如下|体现在)"
    ),
}


def intro_role(intro: str) -> str | None:
    """The role of the list an introduction announces (`…存在的突出问题主要有：`), judged
    on its last sentence; None when it announces something else (`三种思想值得警惕：`)."""
    sentences = [s for s in re.split(r"[。!?\n]", intro) if s.strip()]
    if not sentences:
        return None
    last = sentences[-1]
    for role in (MEASURES, CAUSES, PROBLEMS):
        if _INTRO[role].search(last):
            return role
    return None


_LEAD_MEASURES = re.compile(rf"^针对(?:[^,。;]{{0,14}}){_FLAW}")


def lead_role(paragraph: str) -> str | None:
    """A paragraph that answers the problems by its opening words (`针对存在的问题，…`)
    is a measure wherever it stands."""
    return MEASURES if _LEAD_MEASURES.match(paragraph) else None
