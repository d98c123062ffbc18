"""Reading, normalising and extracting one 10,000-character material: prints the timings.

    python benchmarks/text_extract.py [--chars 10000] [--runs 200]

The material is generated here (a 剖析材料 with every numbering level, inline 一是/二是, a
watermark, hard wraps and traditional characters), saved as GB18030 .txt bytes, and each run
goes from those bytes to the extraction. Budget: under 50 ms on a 2-core machine.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bihuan.text.pipeline import extract_text
from bihuan.text.read import read_material

AREAS = ("理论学习", "政治素质", "能力本领", "担当作为", "工作作风", "廉洁自律")
PROBLEM = (
    "{n}是{area}的第{i}项要求落实得“不够到位”。对照上级部署和群众期盼，自己在{area}上还有差距，"
    "有时满足于完成规定动作，研究得不够深入、把握得不够精准，推动工作的办法不多，"
    "群众反映的问题有时回应不够及时。"
)
CAUSE = "（{n}）{area}方面的第{i}个原因。對主觀世界的改造重視不夠，放鬆了對自身的嚴格要求。"
MEASURE = "{i}、持续加强{area}。每月制定第{i}项计划，逐项明确时限，做到件件有着落、事事有回音。"
WRAPPED = (
    "按照统一安排，本人认真查摆了自身在思想、学习、工作等方面存在的问题，深入剖析了问题\n"
    "产生的根源，研究制定了整改措施。笔杆儿网www.example-site.cn现将有关情况报告如下。"
)


def material(chars: int) -> str:
    """A generated 剖析材料 of at least `chars` characters."""
    parts = ["2024年度专题民主生活会个人剖析材料", WRAPPED, "一、存在的主要问题"]
    causes, measures = ["二、问题产生的原因"], ["三、整改措施"]
    numbers = "一二三四五六七八九十"
    index = 0
    while sum(map(len, parts + causes + measures)) < chars:
        area = AREAS[index % len(AREAS)]
        parts.append(f"（{numbers[index % 10]}）在{area}方面。")
        parts.append("".join(PROBLEM.format(n=n, i=index, area=area) for n in "一二三"))
        causes.append(CAUSE.format(n=numbers[index % 10], i=index, area=area))
        measures.append(MEASURE.format(i=index + 1, area=area))
        index += 1
    return "\n".join(parts + causes + measures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    text = material(args.chars)
    data = text.encode("gb18030")
    extract_text(read_material(data, filename="剖析材料.txt").text)  # OpenCC loads once
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        extraction = extract_text(read_material(data, filename="剖析材料.txt").text)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    print(
        f"read + normalise + extract of {len(text)} characters, {args.runs} runs: "
        f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms "
        f"({len(extraction.problems)} problems, {len(extraction.causes)} causes, "
        f"{len(extraction.measures)} measures)"
    )


if __name__ == "__main__":
    main()
