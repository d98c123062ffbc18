from bihuan.text.normalise import normalise
from bihuan.text.numbering import find_runs, leading_number
from bihuan.text.outline import outline

from .materials import TWO_ARTICLES, WITH_CONTENTS


def shape(node, depth=0):
    """(level, number, heading) of every node below `node`, depth first."""
    rows = []
    for child in node.children:
        rows.append((child.level, child.number, child.heading))
        rows += shape(child, depth + 1)
    return rows


def test_every_gbt9704_level_nests_under_the_one_before():
    tree = outline(
        "一、存在的问题\n(一)理论学习方面\n1.学习不深\n(1)满足于读文件\n2.学用脱节\n二、整改措施"
    )

    assert shape(tree.root) == [
        (1, "一、", "存在的问题"),
        (2, "(一)", "理论学习方面"),
        (3, "1.", "学习不深"),
        (4, "(1)", "满足于读文件"),
        (3, "2.", "学用脱节"),
        (1, "二、", "整改措施"),
    ]


def test_levels_follow_the_order_a_document_nests_its_styles_in():
    tree = outline("1、存在的问题\n(1)学习不深\n①满足于读文件\n2、整改措施\n(1)制定计划")

    assert shape(tree.root) == [
        (1, "1、", "存在的问题"),
        (2, "(1)", "学习不深"),
        (3, "①", "满足于读文件"),
        (1, "2、", "整改措施"),
        (2, "(1)", "制定计划"),
    ]


def test_numbers_that_open_a_list_or_a_figure_are_not_enumerators():
    for text in ("一、二年级学生", "12、13日召开会议", "1.5倍于去年", "2023年工作总结"):
        assert leading_number(text) is None, text
    assert leading_number("(一) 在理论学习方面").rest == "在理论学习方面"
    assert leading_number("第二部分 存在的问题").style == "part"


def test_a_heading_that_runs_into_its_body_ends_at_its_first_full_stop():
    tree = outline("(一)加强理论武装,在解放思想上下功夫。一是加强理论学习。二是坚定理想信念。")
    node = tree.root.children[0]

    assert (node.heading, node.heading_only) == ("加强理论武装,在解放思想上下功夫", False)
    assert node.body[0].text == "一是加强理论学习。二是坚定理想信念。"


def test_a_heading_with_no_punctuation_ends_where_its_body_starts():
    tree = outline(
        "二、整改措施 第一,加强学习,每周学习不少于5小时。第二,改进作风。\n"
        "三、存在的主要问题通过认真查摆发现自身在学习上还不够深入在工作上还不够扎实在作风上还不够过硬"
        "在服务群众上还不够主动,需要下大力气加以整改"
    )
    measures, problems = tree.root.children

    assert measures.heading == "整改措施"
    assert [s.number for s in measures.runs[0].items] == ["第一,", "第二,"]
    assert problems.heading == "存在的主要问题"


def test_inline_items_exclude_their_enumerator_and_trailing_separators():
    text = "存在的问题主要有:一是学习不深入,满足于读文件;二是作风不扎实。三是服务意识不强"
    (run,) = find_runs(text)

    assert text[run.intro_start : run.intro_end] == "存在的问题主要有:"
    assert [text[s.start : s.end] for s in run.items] == [
        "学习不深入,满足于读文件",
        "作风不扎实。",
        "服务意识不强",
    ]


def test_an_inline_run_counts_up_from_one_at_a_clause_boundary():
    assert find_runs("坚持统一是关键,唯一是方法,二是要点。") == ()
    assert find_runs("一是加强学习。") == ()
    assert find_runs("完成1、2月份任务,3、4月份完成。") == ()
    (run,) = find_runs("首先,要学习。其次,要实践。最后,要总结。")
    assert [s.number for s in run.items] == ["首先,", "其次,", "最后,"]


def test_achievements_and_problems_listed_in_one_paragraph_are_two_runs():
    text = "取得了进步:一是站位有提升,二是能力有提高。但还存在不足:一是调研不深;二是担当不够。"
    first, second = find_runs(text)

    assert [text[s.start : s.end] for s in first.items] == ["站位有提升", "能力有提高。"]
    assert text[second.intro_start : second.intro_end] == "但还存在不足:"
    assert [text[s.start : s.end] for s in second.items] == ["调研不深", "担当不够。"]


def test_a_line_that_lists_its_items_inline_is_not_a_heading():
    tree = outline("(一)作风建设方面\n①深入基层调研。②建立问题台账。")
    (group,) = tree.root.children

    assert group.children == ()
    assert [s.number for s in group.runs[0].items] == ["①", "②"]


def test_an_unnumbered_line_naming_a_section_is_a_heading():
    tree = outline("个人剖析材料\n存在的问题\n学习不深入。\n整改措施:\n加强学习。")

    assert shape(tree.root) == [(1, "", "存在的问题"), (1, "", "整改措施")]


def test_a_table_of_contents_before_the_body_is_left_out_of_the_tree():
    tree = outline(normalise(WITH_CONTENTS).text)

    assert [p.text for p in tree.toc] == ["目录", "一、存在的问题", "二、原因分析", "三、整改措施"]
    assert [(n.number, n.heading, len(n.children)) for n in tree.root.children] == [
        ("一、", "存在的问题", 2),
        ("二、", "原因分析", 0),
        ("三、", "整改措施", 2),
    ]


def test_several_articles_on_one_page_become_one_node_each():
    tree = outline(normalise(TWO_ARTICLES).text)

    articles = tree.root.children
    assert [(a.level, a.style, a.number, a.heading) for a in articles] == [
        (0, "article", "第一篇", "党员个人剖析材料"),
        (0, "article", "第二篇", "党员个人剖析材料"),
    ]
    assert [n.heading for n in articles[1].children] == ["存在的问题", "整改措施"]


def test_titles_repeated_with_a_running_number_start_articles():
    tree = outline(
        "专题研讨材料合集\n作风建设专题研讨发言1\n近日学习了规定。\n作风建设专题研讨发言2\n结合工作谈体会。"
    )

    assert [(a.number, a.heading) for a in tree.root.children] == [
        ("1", "作风建设专题研讨发言1"),
        ("2", "作风建设专题研讨发言2"),
    ]
    assert [p.text for p in tree.root.body] == ["专题研讨材料合集"]


def test_table_rows_are_kept_out_of_the_sections():
    tree = outline("一、存在的问题\n问题 | 原因\n学习不深 | 重视不够\n学习不深入。")

    assert [p.text for p in tree.tables] == ["问题 | 原因", "学习不深 | 重视不够"]
    assert [p.text for p in tree.root.children[0].body] == ["学习不深入。"]
