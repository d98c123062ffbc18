import pytest

from bihuan.errors import DomainError, NotAllowed
from bihuan.ledger.models import Measure, Problem, Source
from bihuan.materials.models import ItemRole, Material, MaterialItem, MaterialState
from bihuan.materials.services import ItemEdit, material_confirm, material_review, material_upload
from bihuan.workflow.states import DeadlineKind, State

from .materials_texts import ANALYSIS


@pytest.fixture
def material(world, now):
    return material_upload(
        data=ANALYSIS.encode("gb18030"),
        filename="孙干部对照检查材料.txt",
        kind="analysis",
        author=world.sun,
        by=world.sun,
        now=now,
    )


def items_of(material, role):
    return list(material.items.filter(role=role).order_by("order", "pk"))


def test_upload_keeps_the_file_and_extracts_problems_causes_and_measures(material, world):
    assert material.title == "2024年度专题民主生活会个人对照检查材料"
    assert material.unit == world.chengguan
    problems = items_of(material, ItemRole.PROBLEM)
    assert [p.text[:6] for p in problems] == [
        "学习不够系统",
        "学用结合不紧",
        "深入群众不够",
        "办事效率不高",
    ]
    assert [p.label for p in problems] == ["理论学习", "理论学习", "工作作风", "工作作风"]
    assert len(items_of(material, ItemRole.CAUSE)) == 2
    assert len(items_of(material, ItemRole.MEASURE)) == 2
    first = problems[0]
    assert material.clean_text[first.start : first.end].startswith("学习不够系统")
    assert material.file.read() == ANALYSIS.encode("gb18030")


def test_every_problem_starts_linked_to_the_measure_closest_to_it(material):
    study, practice, visits, speed = items_of(material, ItemRole.PROBLEM)
    theory, style = items_of(material, ItemRole.MEASURE)

    assert set(theory.problems.all()) >= {study}
    assert set(style.problems.all()) >= {visits}
    linked = {p for m in (theory, style) for p in m.problems.all()}
    assert linked == {study, practice, visits, speed}


def test_confirming_creates_draft_ledger_rows_linked_back_to_their_passages(material, world, now):
    problems = material_confirm(
        material=material, by=world.sun, now=now, default_category=world.category
    )

    assert len(problems) == 4
    problem = Problem.objects.get(description__startswith="学习不够系统")
    assert (problem.unit, problem.person, problem.source) == (
        world.chengguan,
        world.sun,
        Source.MEETING,
    )
    assert problem.category.name == "理论学习"
    measure = problem.measures.get()
    assert (measure.state, measure.deadline_kind, measure.owner) == (
        State.DRAFT,
        DeadlineKind.UNSET,
        world.sun,
    )
    assert measure.text.startswith("加强理论武装") or "理论" in measure.text
    item = MaterialItem.objects.get(problem=problem)
    assert item.material == material and item.passage.startswith("学习不够系统")
    assert MaterialItem.objects.filter(measure__problem=problem).exists()
    material.refresh_from_db()
    assert material.state == MaterialState.CONFIRMED


def test_a_material_is_confirmed_only_once(material, world, now):
    material_confirm(material=material, by=world.sun, now=now, default_category=world.category)
    count = Problem.objects.count()

    with pytest.raises(DomainError, match="已转入台账"):
        material_confirm(material=material, by=world.sun, now=now, default_category=world.category)
    assert Problem.objects.count() == count


def test_a_problem_left_without_a_measure_stops_the_whole_confirmation(material, world, now):
    for measure in items_of(material, ItemRole.MEASURE):
        measure.problems.clear()

    with pytest.raises(DomainError, match="没有整改措施"):
        material_confirm(material=material, by=world.sun, now=now, default_category=world.category)
    assert Problem.objects.count() == Measure.objects.count() == 0
    material.refresh_from_db()
    assert material.state == MaterialState.REVIEW


def test_review_drops_merges_splits_and_adds(material, world):
    study, practice, visits, speed = items_of(material, ItemRole.PROBLEM)
    merged = study.text + practice.text
    edits = [
        ItemEdit(item=study, text=study.text, label="理论学习", included=True),
        ItemEdit(item=practice, text=practice.text, label="理论学习", included=True, merge_up=True),
        ItemEdit(item=visits, text="到村走访少\n\n与群众交流少", label="工作作风", included=True),
        ItemEdit(item=speed, text=speed.text, label="工作作风", included=False),
    ]

    material_review(
        material=material, edits=edits, added=[("problem", "会议偏多", "工作作风")], by=world.sun
    )

    texts = {(i.text, i.included) for i in material.items.filter(role=ItemRole.PROBLEM)}
    assert (merged, True) in texts
    assert ("到村走访少", True) in texts and ("与群众交流少", True) in texts
    assert (speed.text, False) in texts and ("会议偏多", True) in texts
    assert not MaterialItem.objects.filter(pk=practice.pk).exists()


def test_only_the_author_or_a_supervisor_in_scope_reviews(material, world, now):
    with pytest.raises(NotAllowed):
        material_confirm(material=material, by=world.wang, now=now, default_category=world.category)
    with pytest.raises(NotAllowed):
        material_confirm(material=material, by=world.li, now=now, default_category=world.category)

    material_confirm(material=material, by=world.qian, now=now, default_category=world.category)


def test_someone_else_cannot_upload_in_a_cadres_name(world, now):
    with pytest.raises(NotAllowed):
        material_upload(
            data=ANALYSIS.encode(),
            filename="a.txt",
            kind="analysis",
            author=world.sun,
            by=world.li,
            now=now,
        )
    assert Material.objects.count() == 0


def test_an_unreadable_file_is_refused_and_nothing_is_written(world, now):
    with pytest.raises(DomainError) as raised:
        material_upload(
            data=b"PK\x03\x04garbage",
            filename="材料.docx",
            kind="analysis",
            author=world.sun,
            by=world.sun,
            now=now,
        )

    assert "\n" not in raised.value.message
    assert Material.objects.count() == 0


def test_a_word_document_with_automatic_numbering_becomes_ledger_rows(world, now):
    from bihuan.text.tests.test_read import GB_OUTLINE, docx_bytes, new_document, num, numbered

    document = new_document((90, GB_OUTLINE), nums=(num(90, 90),))
    document.add_paragraph("组织生活会个人剖析材料")
    numbered(document, "存在的问题", num_id=90, ilvl=0)
    numbered(document, "在理论学习方面", num_id=90, ilvl=1)
    document.add_paragraph("学习缺乏系统性，满足于一知半解。")
    numbered(document, "在服务群众方面", num_id=90, ilvl=1)
    document.add_paragraph("联系群众不够紧密，下村调研次数偏少。")
    numbered(document, "整改措施", num_id=90, ilvl=0)
    numbered(document, "制定个人学习计划，每月精读一本理论著作。", num_id=90, ilvl=1)
    numbered(document, "每月下村调研不少于三次，建立民情台账。", num_id=90, ilvl=1)

    material = material_upload(
        data=docx_bytes(document),
        filename="剖析材料.docx",
        kind="analysis",
        author=world.sun,
        by=world.sun,
        now=now,
    )
    problems = material_confirm(
        material=material, by=world.sun, now=now, default_category=world.category
    )

    assert sorted(p.category.name for p in problems) == ["工作作风", "理论学习"]
    assert {p.description for p in problems} == {
        "学习缺乏系统性，满足于一知半解。",
        "联系群众不够紧密，下村调研次数偏少。",
    }
    assert Measure.objects.filter(problem__in=problems).count() >= 2


def test_a_traditional_web_copy_is_cleaned_before_extraction(world, now):
    web_copy = (
        "首頁 > 範文大全 > 剖析材料\n"
        "個人對照檢查材料\n"
        "一、存在的問題\n"
        "（一）工作作風方面。一是深入基層不夠。二是辦事拖拉。\n"
        "二、整改措施\n"
        "（一）改進作風。每月下鄉不少於五天。\n"
        "推薦訪問：www.example-fanwen.com\n"
    )

    material = material_upload(
        data=web_copy.encode("big5"),
        filename="材料.txt",
        kind="check",
        author=world.sun,
        by=world.sun,
        now=now,
    )

    assert "个人对照检查材料" in material.clean_text
    assert "推荐访问" not in material.clean_text and "example-fanwen" not in material.clean_text
    texts = [i.text for i in items_of(material, ItemRole.PROBLEM)]
    assert texts == ["深入基层不够。", "办事拖拉。"]


def test_a_pdf_with_a_text_layer_becomes_ledger_rows(world, now):
    from bihuan.text.tests.test_read import pdf_bytes

    pdf = pdf_bytes(
        [
            [
                "个人剖析材料",
                "一、存在的问题",
                "（一）工作作风方面。一是调研不深入。二是落实不到位。",
            ],
            ["- 2 -"],
            ["二、整改措施", "（一）改进作风。每月下村调研不少于三次。"],
        ]
    )

    material = material_upload(
        data=pdf, filename="剖析材料.pdf", kind="analysis", author=world.sun, by=world.sun, now=now
    )
    problems = material_confirm(
        material=material, by=world.sun, now=now, default_category=world.category
    )

    assert [p.description for p in problems] == ["调研不深入。", "落实不到位。"]
    assert "- 2 -" not in material.clean_text


def _unreadable():
    from bihuan.text.tests import test_read

    pdf = test_read.pdf_bytes([["一、存在的问题"]])
    return {
        "binary junk": (bytes(range(256)) * 8, "材料.docx"),
        "encrypted pdf": (test_read.encrypted(pdf, user_password="secret"), "材料.pdf"),
        "empty file": (b"", "材料.txt"),
        "zip bomb": (
            test_read.zip_bytes(
                {**test_read.DOCX_SKELETON, "word/document.xml": b"<" + b" " * (20 * 1024 * 1024)}
            ),
            "材料.docx",
        ),
    }


@pytest.mark.parametrize(
    "case", ["binary junk", "encrypted pdf", "empty file", "zip bomb", "too big"]
)
def test_an_unreadable_material_gets_one_message_and_writes_nothing(case, world, now, settings):
    if case == "too big":
        settings.BIHUAN_MATERIAL_MAX_BYTES = 1024
        data, name = ANALYSIS.encode() * 10, "材料.txt"
    else:
        data, name = _unreadable()[case]

    with pytest.raises(DomainError) as raised:
        material_upload(
            data=data, filename=name, kind="analysis", author=world.sun, by=world.sun, now=now
        )

    assert raised.value.message and "\n" not in raised.value.message
    assert Material.objects.count() == MaterialItem.objects.count() == 0
