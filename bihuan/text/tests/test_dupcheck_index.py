import random

import numpy as np

from bihuan.text.dupcheck import ContainmentIndex, fingerprints_of, keyed
from bihuan.text.dupcheck.fingerprint import SHINGLE, WINDOW, shingle_hashes
from bihuan.text.normalise import normalise

from .dupcheck_texts import INDEPENDENT, ORIGINAL, P3, UNRELATED

ALPHABET = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
)


def prints(text: str) -> np.ndarray:
    return fingerprints_of(keyed(normalise(text).text))


def random_text(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(ALPHABET, k=length))


def test_any_passage_of_44_characters_two_texts_share_gives_them_a_fingerprint_in_common():
    rng = random.Random(3)  # noqa: S311 (test data, not secrets)
    length = WINDOW + SHINGLE - 1
    for _ in range(200):
        passage = random_text(rng, length)
        mine = random_text(rng, rng.randint(0, 300)) + passage + random_text(rng, 50)
        theirs = random_text(rng, rng.randint(0, 3000)) + passage

        assert np.intersect1d(fingerprints_of(mine), fingerprints_of(theirs)).size


def test_a_text_keeps_about_one_5_gram_in_twenty_and_the_same_ones_in_every_process():
    text = keyed(normalise(ORIGINAL).text)

    found = fingerprints_of(text)

    assert (
        len(found) / len(shingle_hashes(np.frombuffer(text.text.encode("utf-32-le"), "<u4"))) < 0.08
    )
    assert found.dtype == np.uint32 and np.all(found[1:] > found[:-1])
    assert fingerprints_of(text).tobytes() == found.tobytes()
    # Arithmetic on code points, not Python's salted hash: the same on every machine.
    assert fingerprints_of("一二三四五").tolist() == [reference_hash("一二三四五")]


def reference_hash(gram: str) -> int:
    """The 5-gram hash as the scheme defines it, in plain integers."""
    mask = 0xFFFFFFFF
    h = 0
    for char in gram:
        h = (h * 0x01000193 + ord(char)) & mask
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & mask
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & mask
    return h ^ (h >> 16)


def test_a_text_too_short_for_a_5_gram_has_no_fingerprints_and_is_not_indexed():
    index = ContainmentIndex()

    index.add("tiny", fingerprints_of("一二三四"))

    assert (len(index), index.candidates(fingerprints_of("一二三四"))) == (0, [])


def test_the_index_finds_the_source_of_a_passage_among_many_documents_without_comparing_each():
    rng = random.Random(5)  # noqa: S311 (test data, not secrets)
    documents = [random_text(rng, 3000) for _ in range(300)]
    index = ContainmentIndex((n, fingerprints_of(d)) for n, d in enumerate(documents))
    material = random_text(rng, 4000) + documents[123][1000:1100]

    candidates = index.candidates(fingerprints_of(material), limit=20)

    assert candidates[0] == 123


def test_sources_rank_by_the_fingerprints_they_share_a_short_copy_finding_its_long_source():
    index = ContainmentIndex(
        [
            ("unrelated", prints(UNRELATED)),
            ("independent", prints(INDEPENDENT)),
            ("original", prints(ORIGINAL)),
        ]
    )

    assert index.candidates(prints(P3)) == ["original"]
    assert index.candidates(prints(f"{P3}\n{UNRELATED}"))[0] == "unrelated"


def test_documents_join_and_leave_the_index_after_it_was_built():
    index = ContainmentIndex([("original", prints(ORIGINAL))])

    index.add("independent", prints(INDEPENDENT))
    found = index.candidates(prints(INDEPENDENT))
    index.discard("independent")

    assert found == ["independent"]
    assert index.candidates(prints(INDEPENDENT)) == []
    assert (len(index), index.keys()) == (1, ["original"])


def test_a_fingerprint_most_documents_hold_ranks_nobody():
    rng = random.Random(9)  # noqa: S311 (test data, not secrets)
    slogan = "坚持以人民为中心的发展思想把群众的小事当成自己的大事来办一件一件抓落实确保取得实效"
    documents = [random_text(rng, 500) + slogan + random_text(rng, 500) for _ in range(100)]
    index = ContainmentIndex((n, fingerprints_of(d)) for n, d in enumerate(documents))

    assert index.candidates(fingerprints_of(random_text(rng, 300) + slogan)) == []
    assert index.candidates(fingerprints_of(documents[7][:300]))[0] == 7


def test_a_saved_index_opens_mapped_and_learns_documents_added_since(tmp_path):
    index = ContainmentIndex([("original", prints(ORIGINAL)), ("unrelated", prints(UNRELATED))])
    index.add("independent", prints(INDEPENDENT))
    index.discard("unrelated")

    index.save(tmp_path / "1")
    opened = ContainmentIndex.open(tmp_path / "1")
    opened.add("copy", prints(P3))

    assert isinstance(opened._hashes, np.memmap)
    assert (opened.keys(), opened.pending) == (["original", "independent", "copy"], 1)
    assert opened.candidates(prints(P3)) == ["original", "copy"]
    assert opened.candidates(prints(UNRELATED)) == []
    assert opened.candidates(prints(INDEPENDENT)) == ["independent"]
