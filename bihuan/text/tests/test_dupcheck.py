import json
import re

import pytest

from bihuan.text.boilerplate import DEFAULT_RULES_PATH
from bihuan.text.dupcheck import TextPool, compare, find_markers, keyed
from bihuan.text.dupcheck.keyed import load_phrases
from bihuan.text.dupcheck.markers import load_marker_rules
from bihuan.text.normalise import normalise

from .dupcheck_texts import (
    DISGUISED,
    INDEPENDENT,
    MASKED,
    ORIGINAL,
    P1,
    P2,
    P3,
    P4,
    P5,
    P6,
    P7,
    SHORT_COPY,
    UNRELATED,
)

NO_PHRASES = re.compile("(?!)")


def clean(text: str) -> str:
    return normalise(text).text


def check(material: str, *sources: str, phrases=None):
    return compare(
        keyed(clean(material), phrases=phrases),
        [(number, keyed(clean(s), phrases=phrases)) for number, s in enumerate(sources)],
    )


def test_markers_name_the_raw_lines_that_carry_a_template_sites_fingerprints():
    raw = "\n".join(
        [
            "下面是小编为大家整理的作风建设研讨发言，供大家参考。",
            "作风建设研讨发言",
            "第一点体会，效率来自责任的清晰。笔杆儿网www.bgzjy.cn过去一件事情涉及两个站所。",
            "##paidbegin##",
            "第二点体会，办事要走到田间地头。",
            "作者原創(chuàng)，一經(jīng)發(fā)現(xiàn)收回會員權(quán)益。",
            "聯(lián)系客服",
        ]
    )

    markers = find_markers(raw)

    assert [(m.line, m.kind) for m in markers] == [
        (1, "line"),
        (1, "line"),
        (1, "line"),
        (1, "promo"),
        (3, "url"),
        (3, "site"),
        (3, "site"),
        (4, "paywall"),
        (6, "promo"),
        (6, "promo"),
        (6, "promo"),
        (7, "line"),
        (7, "promo"),
        (7, "footer"),
    ]
    assert [m.pattern for m in markers if m.line == 3] == ["www.bgzjy.cn", "笔杆儿网", "bgzjy.cn"]
    assert markers[-1].text == "聯(lián)系客服"


def test_a_material_written_by_hand_has_no_markers_and_a_government_address_is_none():
    raw = ORIGINAL + "\n详情请登录县政府网站 www.qingshan.gov.cn 查询。"

    assert find_markers(raw) == ()


def test_a_site_added_to_the_pattern_file_is_found_without_touching_code(tmp_path):
    data = json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))
    data["sites"].append("青苹果范文站")
    extended = tmp_path / "boilerplate.json"
    extended.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    markers = find_markers(
        "第一段。\n第二段内容，摘自青苹果范文站。", rules=load_marker_rules(extended)
    )

    assert [(m.kind, m.pattern, m.line) for m in markers] == [("site", "青苹果范文站", 2)]


def test_a_short_text_copied_whole_out_of_a_long_one_is_100_percent_copied():
    result = check(SHORT_COPY, ORIGINAL)

    assert (result.copied_chars, result.chars, result.copy_ratio) == (102, 102, 1.0)
    match = result.matches[0]
    assert (match.overlap_chars, match.source_overlap_chars) == (102, 102)
    assert match.source_chars == len(keyed(clean(ORIGINAL))) == 723


def test_spans_on_both_sides_point_at_the_same_characters():
    material, source = clean(SHORT_COPY), clean(ORIGINAL)

    (span,) = check(SHORT_COPY, ORIGINAL).matches[0].spans

    assert material[span.start : span.end] == source[span.source_start : span.source_end]
    assert material[span.start : span.end] == material.rstrip("。")
    assert source.index(clean(P3)) == span.source_start


def test_masked_words_are_no_difference():
    material = clean(MASKED)

    result = check(MASKED, ORIGINAL)

    assert (result.copied_chars, result.chars) == (211, 211)
    paragraphs = [p.rstrip("。") for p in material.split("\n")]
    assert [material[s.start : s.end] for s in result.matches[0].spans] == paragraphs


def test_an_unrelated_text_shares_nothing():
    result = check(UNRELATED, ORIGINAL)

    assert (result.copied_chars, result.matches) == (0, ())


def test_a_text_written_independently_on_the_same_topic_shares_only_common_phrases():
    assert check(INDEPENDENT, ORIGINAL).copy_ratio == 0.0
    # The set phrases both repeat are what the list of common phrases keeps out.
    assert check(INDEPENDENT, ORIGINAL, phrases=NO_PHRASES).copy_ratio == pytest.approx(
        0.1026, abs=1e-4
    )


def test_separately_written_texts_stay_under_5_percent_of_each_other():
    texts = {"original": ORIGINAL, "independent": INDEPENDENT, "unrelated": UNRELATED}

    ratios = {(a, b): check(texts[a], texts[b]).copy_ratio for a in texts for b in texts if a != b}

    assert max(ratios.values()) < 0.05


def test_a_phrase_added_to_the_common_list_no_longer_counts_without_touching_code(tmp_path):
    shared = "把群众的小事当成自己的大事"
    data = json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))
    data["common_phrases"].append(shared)
    extended = tmp_path / "boilerplate.json"
    extended.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    mine = f"作风建设要落到实处，{shared}，一件一件抓落实，确保群众满意。"
    theirs = f"基层干部要{shared}，说到做到，一诺千金，久久为功。"

    before = check(mine, theirs)
    after = check(mine, theirs, phrases=load_phrases(extended))

    assert (before.copied_chars, after.copied_chars) == (len(shared), 0)


def test_a_copy_reworded_in_places_reordered_and_dressed_in_boilerplate_stays_above_60_percent():
    material = clean(DISGUISED)

    result = check(DISGUISED, ORIGINAL)

    assert result.copy_ratio == pytest.approx(0.8769, abs=1e-4)
    source = clean(ORIGINAL)
    shared = [material[s.start : s.end] for s in result.matches[0].spans]
    assert clean(P4).rstrip("。") in shared  # a paragraph left as it was is one passage
    for span in result.matches[0].spans:
        mine = keyed(material[span.start : span.end]).text
        theirs = keyed(source[span.source_start : span.source_end]).text
        assert mine[:6] == theirs[:6] and mine[-6:] == theirs[-6:]


def test_each_span_of_the_disguised_copy_pairs_a_paragraph_with_the_one_it_was_copied_from():
    material, source = clean(DISGUISED), clean(ORIGINAL)
    mine, theirs = material.split("\n"), source.split("\n")

    spans = check(DISGUISED, ORIGINAL).matches[0].spans

    def paragraph(text: str, offset: int) -> int:
        return text.count("\n", 0, offset)

    pairs = []
    for span in spans:
        here, there = paragraph(material, span.start), paragraph(source, span.source_start)
        assert paragraph(material, span.end - 1) == here
        assert paragraph(source, span.source_end - 1) == there
        pairs.append((mine[here][:12], theirs[there][:12]))
    assert all(a == b for a, b in pairs)  # reordered, yet each with its own original
    assert {a for a, _ in pairs} == {clean(p)[:12] for p in (P1, P2, P3, P4, P5, P6, P7)}


def test_sources_are_ranked_by_the_characters_they_share():
    meetings = INDEPENDENT.split("\n")[3]
    material = "\n".join([P2, P4, meetings])

    result = check(material, INDEPENDENT, ORIGINAL)

    from_original = len(keyed(clean(P2))) + len(keyed(clean(P4)))
    assert [(m.key, m.overlap_chars) for m in result.matches] == [
        (1, from_original),
        (0, len(keyed(clean(meetings)))),
    ]
    assert (from_original, result.copied_chars, result.chars) == (220, 287, 287)


def test_texts_compared_in_memory_find_the_source_among_them_and_never_the_text_itself():
    pool = TextPool([("original", clean(ORIGINAL)), ("unrelated", clean(UNRELATED))])

    copied = pool.check(clean(DISGUISED))
    itself = pool.check(clean(ORIGINAL), exclude={"original"})

    assert ([m.key for m in copied.matches], round(copied.copy_ratio, 4)) == (["original"], 0.8769)
    assert itself.matches == ()
