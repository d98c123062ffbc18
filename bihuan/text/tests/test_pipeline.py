import subprocess
import sys

from bihuan.text import extract_text, extraction_json, extraction_text

from .materials import CHECK, SPEECH, WEB_COPY


def test_the_json_has_exactly_the_contract_shape():
    body = extraction_json(extract_text(CHECK))

    assert list(body) == [
        "title",
        "genre",
        "clean_text",
        "removed",
        "outline",
        "problems",
        "causes",
        "measures",
    ]
    assert (body["title"], body["genre"]) == ("2024年度组织生活会个人对照检查材料", "对照检查材料")
    assert body["problems"][0] == {
        "category": "理论学习不够深入",
        "text": "学习缺乏系统性,满足于参加集中学习,个人自学时间少。",
    }
    assert body["causes"][0] == {
        "text": "理想信念有所松懈。放松了对主观世界的改造,把理论学习当成软任务。"
    }
    assert body["measures"][0] == {
        "group": None,
        "text": "坚持每周自学不少于5小时,每月撰写一篇学习体会。",
    }


def test_the_json_outline_nests_headings_with_their_roles_and_inline_items():
    outline = extraction_json(extract_text(CHECK))["outline"]

    problems = outline[0]
    assert (problems["level"], problems["number"], problems["heading"], problems["role"]) == (
        1,
        "",
        "存在的问题",
        "problems",
    )
    first = problems["children"][0]
    assert (first["number"], first["heading"], first["role"]) == (
        "(一)",
        "理论学习不够深入",
        "problems",
    )
    assert [(c["level"], c["number"], c["heading"]) for c in first["children"]] == [
        (3, "一是", "学习缺乏系统性,满足于参加集中学习,个人自学时间少"),
        (3, "二是", "学用结合不紧,用理论指导乡村振兴工作的能力还有欠缺"),
    ]
    assert [node["role"] for node in outline] == ["problems", "causes", "measures"]


def test_the_json_reports_the_boilerplate_removed():
    body = extraction_json(extract_text(WEB_COPY))

    assert body["removed"] == [
        "当前位置:首页 > 范文大全 > 剖析材料",
        "发布时间:2023-11-05 浏览量:2381",
        "范文先生网www.fwsir.com",
        "此处隐藏3580字",
        "版权声明:本站文章均来自网络,如有侵权请联系删除。",
        "联系客服",
    ]
    assert "(zhèn)" not in body["clean_text"] and "村(社区)" in body["clean_text"]


def test_a_speech_has_no_title_and_empty_lists():
    body = extraction_json(extract_text(SPEECH))

    assert (body["title"], body["genre"]) == (None, "讲话")
    assert (body["problems"], body["causes"], body["measures"]) == ([], [], [])


def test_the_text_view_shows_outline_items_and_removed_boilerplate():
    view = extraction_text(extract_text(WEB_COPY))

    assert view.splitlines()[:6] == [
        "标题：个人剖析材料",
        "体裁：剖析材料",
        "",
        "大纲：",
        "  一、存在的问题  〔问题〕",
        "    (一)在工作作风方面",
    ]
    assert "问题（4 条）：" in view
    assert "  1. 【工作作风】深入基层不够,到村(社区)走访次数偏少,对群众反映的问题研究不够" in view
    assert "  - 范文先生网www.fwsir.com" in view


def test_the_text_package_imports_no_django():
    code = (
        "import sys, bihuan.text, bihuan.text.read\n"
        "bihuan.text.extract_text('一、存在的问题\\n学习不深入。')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    run = subprocess.run(  # noqa: S603 - a fixed script run with this interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert run.stdout.strip() == "[]"
