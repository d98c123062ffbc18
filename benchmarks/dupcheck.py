"""查重 against a generated library: prints candidate search and alignment times.

    python benchmarks/dupcheck.py [--docs 2000] [--chars 10000] [--runs 20]

The library holds `--docs` generated documents of 1,000 to 8,000 characters (random words of
common characters, in sentences); the material checked has `--chars` characters, of which 30 %
is copied from one library document, 20 % from another (sentences reordered) and the rest is
new. Each run keys the material, looks up its candidates in the containment index (MinHash LSH
Ensemble, no scan of the library) and aligns them; the source texts are keyed in the run, as the
web app does with the texts it fetches.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bihuan.text.dupcheck import ContainmentIndex, compare, keyed, query_of, signature_of

CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内"
    "数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提"
    "直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计"
    "别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海"
)
PUNCTUATION = "，，，，。。；"


def words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choices(CHARS, k=rng.choice((2, 2, 3, 4)))) for _ in range(count)]


def text(rng: random.Random, vocabulary: list[str], chars: int) -> str:
    parts, size = [], 0
    while size < chars:
        sentence = "".join(rng.choices(vocabulary, k=rng.randint(6, 14))) + rng.choice(PUNCTUATION)
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts)[:chars]


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return value, (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(2024)
    vocabulary = words(rng, 6000)
    library = [text(rng, vocabulary, rng.randint(1000, 8000)) for _ in range(args.docs)]

    signatures, sign_ms = [], []
    for number, document in enumerate(library):
        signature, ms = timed(lambda d: signature_of(keyed(d)), document)
        signatures.append((number, signature))
        sign_ms.append(ms)
    index, build_ms = timed(ContainmentIndex, signatures)

    first, second = [number for number, d in enumerate(library) if len(d) >= args.chars * 0.3][:2]
    copied = library[first][: int(args.chars * 0.3)]
    taken = library[second][: int(args.chars * 0.2)].split("。")
    rng.shuffle(taken)
    material = copied + "。".join(taken) + text(rng, vocabulary, args.chars)
    material = material[: args.chars]

    searches, alignments, result = [], [], None
    for _ in range(args.runs):
        start = time.perf_counter()
        query = query_of(keyed(material))
        candidates = index.candidates(query, limit=20)
        middle = time.perf_counter()
        result = compare(keyed(material), [(key, keyed(library[key])) for key in candidates])
        end = time.perf_counter()
        searches.append((middle - start) * 1000)
        alignments.append((end - middle) * 1000)

    extra = text(rng, vocabulary, 5000)
    _, add_ms = timed(lambda: index.add("new", signature_of(keyed(extra))))
    print(
        f"library: {args.docs} documents, index built in {build_ms:.0f} ms, "
        f"signatures {statistics.median(sign_ms):.1f} ms each (median)"
    )
    print(f"material: {len(material)} characters, {len(candidates)} candidates aligned")
    print(
        f"candidate search: median {statistics.median(searches):.1f} ms, max {max(searches):.1f} ms"
    )
    print(
        f"alignment:        median {statistics.median(alignments):.1f} ms, "
        f"max {max(alignments):.1f} ms"
    )
    print(f"adding one 5,000-character document: {add_ms:.1f} ms")
    print(
        f"复制比 {result.copy_ratio:.1%} (planted 50%: 30% from #{first}, 20% from #{second}); "
        "sources: " + ", ".join(f"#{m.key} {m.ratio:.1%}" for m in result.matches[:5])
    )


if __name__ == "__main__":
    main()
