"""Which problems a cause or measure belongs to, proposed before the reviewer adjusts it.

Materials list problems, causes and measures in separate sections; a measure answers the problem
it shares the most words with (理论学习 ↔ 加强理论武装), and a problem left without one gets its
closest measure, so every problem starts with something to confirm.
"""

import re

from .models import ItemRole, Material

_HAN = re.compile(r"[\u4e00-\u9fff]")


def _bigrams(text: str) -> set[str]:
    chars = "".join(_HAN.findall(text))
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def _score(a: set[str], b: set[str]) -> float:
    return len(a & b) / (len(b) or 1)


def default_links(material: Material) -> None:
    items = list(material.items.all())
    problems = [item for item in items if item.role == ItemRole.PROBLEM]
    if not problems:
        return
    grams = {item.pk: _bigrams(f"{item.label}{item.text}") for item in items}
    for role in (ItemRole.CAUSE, ItemRole.MEASURE):
        others = [item for item in items if item.role == role]
        if not others:
            continue
        links: dict[int, set[int]] = {item.pk: set() for item in others}
        for item in others:
            best = max(problems, key=lambda p: _score(grams[p.pk], grams[item.pk]))
            links[item.pk].add(best.pk)
        covered = {pk for targets in links.values() for pk in targets}
        for problem in problems:
            if problem.pk not in covered:
                best = max(others, key=lambda o: _score(grams[problem.pk], grams[o.pk]))
                links[best.pk].add(problem.pk)
        for item in others:
            item.problems.set(links[item.pk])
