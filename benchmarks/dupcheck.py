"""查重 at county scale: a pool of generated documents, then checking and adding materials.

    python benchmarks/dupcheck.py [--docs 100000] [--chars 5000] [--runs 20]

Builds a pool of `--docs` generated documents of 1,000 to 8,000 characters (random words of
common characters, in sentences; each made again from its number when it is needed, as the app
reads a text from the database), fingerprints them and writes the containment index to files,
as the app keeps it. Then, as a restarted process does, it opens the files (mapped, not read)
and checks `--runs` materials of `--chars` characters, each with 30 % copied from one document,
20 % from another (sentences reordered) and the rest new: keying the material, looking up its
candidates (20 at most), keying their texts and aligning them, as `material_dupcheck` does less
its queries. Last it adds materials to the opened index. Prints the figures; the issue's budget
at 100,000 documents is 300 ms a check and 100 ms an addition. Building takes a few minutes.
"""

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bihuan.text.dupcheck import ContainmentIndex, compare, fingerprints_of, keyed

CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内"
    "数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提"
    "直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计"
    "别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海"
)
SEED = 2024
BOILERPLATE = "下面是小编为大家整理的研讨发言材料，供大家参考。\n"


def vocabulary(size: int = 6000) -> np.ndarray:
    rng = random.Random(SEED)
    words = ["".join(rng.choices(CHARS, k=rng.choice((2, 2, 3, 4)))) for _ in range(size)]
    return np.array(words, dtype=object)


def generated(words: np.ndarray, number: int, chars: int | None = None) -> str:
    """Document `number` (the same every time): sentences of random words."""
    rng = np.random.default_rng([SEED, number])
    length = chars or int(rng.integers(1000, 8001))
    picked = words[rng.integers(0, len(words), length // 2)]
    ends = rng.random(len(picked))
    picked = np.where(ends < 0.08, picked + "，", np.where(ends < 0.14, picked + "。", picked))
    return "".join(picked.tolist())[:length]


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return value, (time.perf_counter() - start) * 1000


def build(words: np.ndarray, docs: int) -> ContainmentIndex:
    index = ContainmentIndex()
    for number in range(docs):
        index.add(number, fingerprints_of(keyed(generated(words, number))))
        if number and number % 10_000 == 0:
            print(f"  {number} documents fingerprinted", file=sys.stderr)
    return index


def material_of(words: np.ndarray, docs: int, chars: int, run: int) -> tuple[str, int, int]:
    """A material copying 30 % of one document and 20 % of another, reordered."""
    rng = random.Random(run)
    first, second = rng.sample(range(docs), 2)
    copied = generated(words, first, int(chars * 0.3))
    taken = generated(words, second, int(chars * 0.2)).split("。")
    rng.shuffle(taken)
    new = generated(words, docs + 1 + run, chars - len(copied) - int(chars * 0.2))
    return BOILERPLATE + copied + "。".join(taken) + new, first, second


def check(index: ContainmentIndex, words: np.ndarray, material: str):
    """The comparison, the milliseconds of candidate search and of alignment, and the
    processor time of both (what the check costs on a machine busy with other work too)."""
    cpu, start = time.process_time(), time.perf_counter()
    text = keyed(material)
    candidates = index.candidates(fingerprints_of(text), limit=20)
    middle = time.perf_counter()
    result = compare(text, [(key, keyed(generated(words, key))) for key in candidates])
    end = time.perf_counter()
    used = (time.process_time() - cpu) * 1000
    return result, (middle - start) * 1000, (end - middle) * 1000, used


def summary(label: str, values: list[float]) -> str:
    return f"{label} median {statistics.median(values):.1f} ms, max {max(values):.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--chars", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    words = vocabulary()
    scratch = Path(tempfile.mkdtemp(prefix="bihuan-dupcheck-"))
    try:
        index, build_ms = timed(build, words, args.docs)
        _, save_ms = timed(index.save, scratch / "1")
        size = sum(p.stat().st_size for p in (scratch / "1").iterdir())
        index, open_ms = timed(ContainmentIndex.open, scratch / "1")
        print(
            f"pool: {args.docs} documents fingerprinted and indexed in {build_ms / 1000:.0f} s, "
            f"written in {save_ms:.0f} ms ({size / 2**20:.0f} MB); "
            f"opened after a restart in {open_ms:.0f} ms"
        )
        # Generating a source's text stands in for reading it from the database.
        searches, alignments, totals, processor, found = [], [], [], [], 0
        for run in range(args.runs):
            material, first, second = material_of(words, args.docs, args.chars, run)
            result, search_ms, align_ms, cpu_ms = check(index, words, material)
            searches.append(search_ms)
            alignments.append(align_ms)
            totals.append(search_ms + align_ms)
            processor.append(cpu_ms)
            found += [m.key for m in result.matches[:2]] == [first, second]
        print(f"checking a {args.chars}-character material ({args.runs} runs):")
        print("  " + summary("candidate search:", searches))
        print("  " + summary("alignment:       ", alignments))
        print("  " + summary("check:           ", totals) + "  (budget 300 ms)")
        print("  " + summary("processor time:  ", processor))
        print(
            f"  the two planted sources ranked first and second in {found} of {args.runs} runs; "
            f"复制比 of the last {result.copy_ratio:.1%} (planted 50 %)"
        )
        adds = []
        for run in range(args.runs):
            text = generated(words, args.docs + 1000 + run, args.chars)
            _, add_ms = timed(
                lambda t=text, r=run: index.add(f"new-{r}", fingerprints_of(keyed(t)))
            )
            adds.append(add_ms)
        print(
            "  " + summary(f"adding a {args.chars}-character material:", adds) + "  (budget 100 ms)"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
