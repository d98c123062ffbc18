import random

import numpy as np

from bihuan.text.dupcheck import ShortTexts, resemblance

# The same problem a year apart, as two cadres word it.
STUDY = "学习不够系统，满足于读文件、记笔记，对新思想的核心要义理解不深。"
STUDY_AGAIN = "理论学习系统性不强，满足于读读文件、记记笔记，对核心要义理解不深不透。"
VISITS = "深入群众不够，到村走访多是听汇报，直接同群众面对面交流少。"
VISITS_AGAIN = "联系群众不够紧密，下村走访多是听听汇报，与群众面对面交流少。"
SPEED = "办事效率不高，对群众反映的问题有时推一推才动一动。"


def test_the_same_problem_reworded_resembles_it_and_another_problem_does_not():
    assert round(resemblance(STUDY_AGAIN, STUDY), 2) == 0.63
    assert round(resemblance(VISITS_AGAIN, VISITS), 2) == 0.65
    assert resemblance(STUDY, VISITS) < 0.1
    assert resemblance(SPEED, STUDY) == 0.0


def test_punctuation_spacing_and_common_phrases_make_no_difference():
    slogan = "今天再晚也是早，明天再早也是晚。"

    assert resemblance(f"{slogan}{SPEED}", SPEED.replace("，", " ")) == 1.0


def test_texts_too_short_to_tell_resemble_nothing():
    assert resemblance("作风不实", "作风不实") == 0.0


def test_the_closest_texts_come_first_and_only_among_those_asked_for():
    earlier = ShortTexts([VISITS, STUDY, SPEED, STUDY_AGAIN])

    found = earlier.resembling(STUDY, threshold=0.6)
    among = earlier.resembling(STUDY, threshold=0.6, among=np.array([1, 1, 1, 0], dtype=bool))

    assert [(number, round(score, 2)) for number, score in found] == [(1, 1.0), (3, 0.63)]
    assert [number for number, _ in among] == [1]
    assert earlier.resembling(STUDY, threshold=0.6, limit=1) == [(1, 1.0)]


def test_one_text_is_scored_against_thousands():
    rng = random.Random(7)  # noqa: S311 (test data)
    alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    texts = ["".join(rng.choices(alphabet, k=rng.randint(20, 80))) for _ in range(5000)]
    earlier = ShortTexts(texts)

    found = earlier.resembling(texts[4321][:-3] + "不够系统", threshold=0.6)

    assert [number for number, _ in found] == [4321]
