import pytest

from bihuan.text.extract import extract_items
from bihuan.text.normalise import normalise
from bihuan.text.outline import outline
from bihuan.text.sections import heading_role, intro_role

from . import materials


def extract(text: str):
    return extract_items(outline(normalise(text).text))


def texts(items):
    return [item.text for item in items]


@pytest.mark.parametrize(
    "heading",
    [
        "存在的问题",
        "查摆出的主要问题",
        "突出问题",
        "问题清单",
        "查找的差距和不足",
        "对照检查情况",
        "查摆问题情况",
        "检视出的问题",
        "存在问题及原因分析",
    ],
)
def test_problem_sections_are_recognised_in_their_many_wordings(heading):
    assert heading_role(heading) == "problems"


@pytest.mark.parametrize(
    "heading", ["原因剖析", "问题根源剖析", "产生问题的原因", "深挖思想根源", "问题产生的根子"]
)
def test_cause_sections_are_recognised_in_their_many_wordings(heading):
    assert heading_role(heading) == "causes"


@pytest.mark.parametrize(
    "heading",
    [
        "整改措施",
        "下一步整改措施及打算",
        "改进措施",
        "下一步打算",
        "努力方向",
        "今后的努力方向",
        "针对问题的整改措施",
    ],
)
def test_measure_sections_are_recognised_in_their_many_wordings(heading):
    assert heading_role(heading) == "measures"


@pytest.mark.parametrize(
    "heading",
    [
        "上年度整改措施落实情况",
        "取得的主要成效",
        "统一思想、凝聚共识,深刻领会活动的重要意义",
        "自我加压,查摆问题",
        "正视问题,大刀阔斧促整改",
    ],
)
def test_other_sections_are_not_taken_for_a_role(heading):
    assert heading_role(heading) is None


def test_an_introduction_names_the_role_of_the_list_after_it():
    assert intro_role("在活动中,我镇干部存在的突出问题主要有:") == "problems"
    assert intro_role("问题产生的原因主要有:") == "causes"
    assert intro_role("针对上述问题,我将从以下几个方面整改:") == "measures"
    assert intro_role("当前,我们有三种思想值得警惕:") is None


def test_a_check_material_gives_its_inline_items_grouped_under_their_headings():
    found = extract(materials.CHECK)

    assert [(p.category, p.text) for p in found.problems] == [
        ("理论学习不够深入", "学习缺乏系统性,满足于参加集中学习,个人自学时间少。"),
        ("理论学习不够深入", "学用结合不紧,用理论指导乡村振兴工作的能力还有欠缺。"),
        ("服务群众不够主动", "下村走访次数偏少,对群众急难愁盼问题掌握不全面。"),
        ("服务群众不够主动", "办事效率不高,个别事项一拖再拖。"),
    ]
    assert texts(found.causes) == [
        "理想信念有所松懈。放松了对主观世界的改造,把理论学习当成软任务。",
        "宗旨意识有所淡化。对群众感情不够深厚,主动服务的意识不强。",
    ]
    assert texts(found.measures) == [
        "坚持每周自学不少于5小时,每月撰写一篇学习体会。",
        "每月到联系村走访不少于4天,建立群众诉求台账,做到件件有回音。",
    ]


def test_achievements_listed_before_the_problems_are_not_problems():
    found = extract(materials.OUTLINE_SPEECH)

    assert texts(found.problems) == [
        "调查研究不深入,到基层蹲点调研的时间少,掌握情况不够全面",
        "攻坚克难劲头不足,遇到矛盾有时绕着走",
        "廉洁自律要求不严,对身边人管得不够紧。",
    ]
    assert texts(found.causes) == ["主要是党性修养有所放松,群众观点有所淡化。"]
    assert texts(found.measures) == [
        "加强党性锻炼,每季度对照党章党规检视一次自身言行。",
        "扑下身子抓落实,每月蹲点调研不少于5天。",
        "严守廉洁底线,管好家属和身边工作人员。",
    ]


@pytest.mark.parametrize("text", [materials.STUDY, materials.SPEECH])
def test_a_material_without_a_problems_section_yields_empty_lists(text):
    found = extract(text)

    assert (found.problems, found.causes, found.measures) == ((), (), ())


def test_a_summary_gives_the_problems_its_introduction_names_and_the_answer_to_them():
    found = extract(materials.SUMMARY)

    assert [(p.category, p.text) for p in found.problems] == [
        (None, "服务意识不强,群众办事有时要跑多次"),
        (None, "工作标准不高,满足于完成上级布置的任务。"),
    ]
    assert found.causes == ()
    assert texts(found.measures) == [
        "针对存在的问题,镇党委建立问题清单和整改台账,逐项明确责任人和整改时限,实行销号管理。"
    ]


def test_the_rows_of_a_table_are_problems_causes_and_measures():
    found = extract(materials.PLAN_TABLE)

    assert [(p.category, p.text) for p in found.problems] == [
        ("工作作风", "文件办理时间过长"),
        ("服务群众", "窗口排队时间长"),
    ]
    assert texts(found.causes) == ["审核环节过多", "窗口设置不足"]
    assert texts(found.measures) == ["压缩审核环节,实行限时办结", "增设综合窗口,推行预约办理"]


def test_a_web_copy_in_traditional_characters_gives_clean_simplified_items():
    found = extract(materials.WEB_COPY)

    assert [(p.category, p.text) for p in found.problems] == [
        ("工作作风", "深入基层不够,到村(社区)走访次数偏少,对群众反映的问题研究不够"),
        ("工作作风", "落实《考核办法(试行)》不够到位,镇上布置的任务有时推一推才动一动。"),
        ("廉洁自律", "对身边人要求不严。"),
        ("廉洁自律", "执行财务制度不够严格。"),
    ]
    assert texts(found.measures) == ["每月到联系村走访不少于4天。", "严格执行财务审批制度。"]


def test_items_of_a_hard_wrapped_pdf_are_whole_paragraphs_with_their_area():
    found = extract(materials.PDF_WRAPPED)

    assert [p.category for p in found.problems] == [
        "落实意识形态工作责任制",
        "基层党组织建设",
        "作风建设",
    ]
    assert found.problems[1].text == (
        "在基层党组织建设方面,个别村党组织组织生活不规范,“三会一课”记录不完整,"
        "发展党员程序不够严谨,党员教育管理工作有待进一步加强。"
    )
    assert len(found.measures) == 2


def test_a_table_of_contents_adds_no_empty_items():
    found = extract(materials.WITH_CONTENTS)

    assert texts(found.problems) == [
        "学习上浮于表面,满足于学过了、读过了。",
        "工作上标准不高,满足于过得去、不出错。",
    ]
    assert texts(found.causes) == ["主要是理论武装不够、宗旨意识淡化。"]
    assert len(found.measures) == 2


def test_every_article_on_a_page_contributes_its_items():
    found = extract(materials.TWO_ARTICLES)

    assert texts(found.problems) == [
        "学习不够主动,满足于完成规定动作。",
        "服务意识不强,对群众诉求回应慢。",
        "工作缺乏创新,习惯按老办法办事。",
    ]
    assert len(found.measures) == 2


def test_a_document_cut_off_mid_sentence_keeps_its_unfinished_item():
    found = extract(materials.CUT_OFF)

    assert texts(found.problems) == [
        "担当作为不够。面对急难险重任务,有时存在畏难情绪,主动请缨少。",
        "调查研究不深。下基层调研的时间不多,调研成果转化不够,对一些",
    ]


def test_a_lead_phrase_gives_the_category_and_stays_in_the_text():
    found = extract(
        "一、存在的问题\n1.思想观念方面。遇到问题不敢闯。\n2.在担当作为方面,创新意识不强。"
    )

    assert [(p.category, p.text) for p in found.problems] == [
        ("思想观念", "思想观念方面。遇到问题不敢闯。"),
        ("担当作为", "在担当作为方面,创新意识不强。"),
    ]


def test_a_sub_heading_naming_another_section_switches_the_role():
    found = extract("一、存在的问题及原因\n(一)存在的问题\n学习不深入。\n(二)原因分析\n重视不够。")

    assert texts(found.problems) == ["学习不深入。"]
    assert texts(found.causes) == ["重视不够。"]


def test_introductions_and_sign_offs_are_not_items():
    found = extract(
        "三、整改措施\n针对以上问题,我将从以下几个方面整改:\n加强理论学习。\n改进工作作风。\n"
        "以上是我的剖析,请大家批评指正。\n张三\n2024年1月5日"
    )

    assert texts(found.measures) == ["加强理论学习。", "改进工作作风。"]


def test_every_item_points_at_its_passage_in_the_clean_text():
    text = normalise(materials.CHECK).text
    found = extract_items(outline(text))

    for item in found.problems + found.causes + found.measures:
        assert text[item.start : item.end] == item.text


def test_another_side_of_an_argument_is_not_an_area():
    found = extract("一、存在的问题\n另一方面,学用结合不够紧密,运用理论指导实践不够。")

    assert [(p.category, p.text) for p in found.problems] == [
        (None, "另一方面,学用结合不够紧密,运用理论指导实践不够。")
    ]
