import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bihuan.audit.models import AuditAction, AuditEntry
from bihuan.materials import pool
from bihuan.materials.dupcheck import material_dupcheck
from bihuan.materials.library import reference_add, reference_remove
from bihuan.materials.models import DuplicateCheck, PoolEntry
from bihuan.materials.services import material_upload
from bihuan.text.tests.dupcheck_texts import (
    DISGUISED,
    INDEPENDENT,
    ORIGINAL,
    P2,
    P4,
    SHORT_COPY,
    UNRELATED,
)

MARK = re.compile(r'<mark id="(mine|theirs)-(\d+)"><a [^>]*><sup>\d+</sup></a>([^<]*)</mark>')


@pytest.fixture
def upload(world, now):
    def upload(text: str, *, author=None, name="研讨发言.txt"):
        author = author or world.sun
        return material_upload(
            data=text.encode("gb18030"),
            filename=name,
            kind="study",
            author=author,
            by=author,
            now=now,
        )

    return upload


@pytest.fixture
def library(now):
    def add(text: str, source: str = "某范文网"):
        return reference_add(text=text, name="范文", source_name=source, now=now)[0]

    return add


def test_an_upload_copied_from_a_template_site_is_flagged_with_its_lines_and_its_source(
    upload, library
):
    template = library(ORIGINAL)

    check = upload(DISGUISED).dupchecks.get()

    assert check.downloaded
    assert sorted({m["line"] for m in check.markers}) == [1, 5, 10]
    assert (check.copied_chars, check.chars, check.copy_percent) == (634, 723, "87.7%")
    (match,) = check.matches.all()
    assert (match.source_reference, match.rank, match.overlap_chars) == (template, 1, 634)


def test_a_material_written_independently_is_neither_flagged_nor_copied(upload, library):
    library(ORIGINAL)

    check = upload(INDEPENDENT).dupchecks.get()

    assert (check.downloaded, check.copied_chars, check.matches.count()) == (False, 0, 0)


def test_uploaded_materials_join_the_pool_and_later_uploads_are_compared_with_them(upload, world):
    original = upload(ORIGINAL)

    check = upload(SHORT_COPY, author=world.li).dupchecks.get()

    assert check.copy_ratio == 1.0
    assert [m.source_material for m in check.matches.all()] == [original]
    assert PoolEntry.objects.filter(material__isnull=False).count() == 2


def test_sources_are_ranked_by_overlap(upload, library):
    community = library(INDEPENDENT, "另一范文网")
    original = upload(ORIGINAL)

    check = upload("\n".join([P2, P4, INDEPENDENT.split("\n")[3]])).dupchecks.get()

    assert [(m.rank, m.source, m.overlap_chars) for m in check.matches.all()] == [
        (1, original, 220),
        (2, community, 67),
    ]


def test_a_township_sees_another_townships_source_only_as_other_units_material(
    client, upload, world
):
    original = upload(ORIGINAL)  # 城关镇
    copy = upload(SHORT_COPY, author=world.wang, name="王承办发言.txt")  # 河西乡
    match = copy.dupchecks.get().matches.get()
    client.force_login(world.wang)

    page = client.get(reverse("materials:detail", args=[copy.pk])).content.decode()
    side_by_side = client.get(reverse("materials:match", args=[copy.pk, match.pk]))

    assert "复制比 100.0%" in page and "其他单位材料 1 份" in page
    assert original.title not in page and "孙干部" not in page and "城关镇" not in page
    assert reverse("materials:match", args=[copy.pk, match.pk]) not in page
    assert side_by_side.status_code == 404


def test_the_county_supervisor_sees_the_source_and_both_texts_side_by_side(client, upload, world):
    original = upload(ORIGINAL)
    copy = upload(SHORT_COPY, author=world.wang, name="王承办发言.txt")
    match = copy.dupchecks.get().matches.get()
    client.force_login(world.zhou)

    page = client.get(reverse("materials:detail", args=[copy.pk])).content.decode()
    side_by_side = client.get(reverse("materials:match", args=[copy.pk, match.pk])).content.decode()

    assert original.title in page and "其他单位材料" not in page
    assert "本文重合 102 字，占本文 100.0%" in side_by_side
    marks = {(side, number): text for side, number, text in MARK.findall(side_by_side)}
    assert marks[("mine", "1")] == marks[("theirs", "1")]
    assert marks[("mine", "1")].startswith("第二点体会,办事要走到田间地头")


def test_checking_again_finds_a_source_added_to_the_library_since(client, upload, library, world):
    material = upload(SHORT_COPY)
    library(ORIGINAL)
    client.force_login(world.sun)

    response = client.post(reverse("materials:recheck", args=[material.pk]))

    assert response.url == reverse("materials:detail", args=[material.pk]) + "#dupcheck"
    latest, first = material.dupchecks.all()
    assert (first.copied_chars, latest.copy_ratio) == (0, 1.0)
    assert latest.markers == first.markers == []
    entry = AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(latest.pk)).get()
    assert entry.object_type == "materials.duplicatecheck"


def test_only_the_author_or_a_supervisor_checks_again(client, upload, library, world):
    material = upload(SHORT_COPY)
    library(ORIGINAL)
    checks = DuplicateCheck.objects.count()

    client.force_login(world.li)  # same township, neither author nor supervisor
    client.post(reverse("materials:recheck", args=[material.pk]))
    client.force_login(world.wang)  # another township: not even found
    refused = client.post(reverse("materials:recheck", args=[material.pk]))

    assert refused.status_code == 404
    assert DuplicateCheck.objects.count() == checks


def test_a_text_taken_out_of_the_library_is_no_longer_found_but_earlier_results_name_it(
    upload, library, world, now
):
    template = library(ORIGINAL)
    material = upload(SHORT_COPY)

    reference_remove(reference=template, now=now)
    later = material_dupcheck(material=material, by=world.sun, now=now)

    assert later.matches.count() == 0
    assert material.dupchecks.last().matches.get().source_reference == template
    assert not PoolEntry.objects.filter(reference=template).exists()


def test_a_new_process_rebuilds_the_index_from_the_stored_fingerprints(upload, library, world, now):
    library(ORIGINAL)
    material = upload(UNRELATED)
    pool._loaded = None  # what a freshly started process has

    material.clean_text = SHORT_COPY
    check = material_dupcheck(material=material, by=world.sun, now=now)

    assert check.copy_ratio == 1.0


def test_the_material_page_runs_as_many_queries_with_four_sources_as_with_one(
    client, upload, library, world
):
    library(ORIGINAL)
    one = upload(SHORT_COPY)
    library(INDEPENDENT, "另一范文网")
    upload(UNRELATED, author=world.li)
    four = upload("\n".join([SHORT_COPY, INDEPENDENT, UNRELATED]))  # and `one` itself
    client.force_login(world.zhou)

    counts = []
    for material in (one, four):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("materials:detail", args=[material.pk]))
        counts.append(len(queries))

    assert (one.dupchecks.get().matches.count(), four.dupchecks.get().matches.count()) == (1, 4)
    assert counts[0] == counts[1]
