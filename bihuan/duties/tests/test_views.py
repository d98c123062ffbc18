"""The duty pages as people use them: the admin keeps the lists, the supervisor picks an entry
when assigning to a village, the leader approves what is on no list, and the report counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bihuan.duties.gate import UNLISTED
from bihuan.duties.models import DutyAssignment, DutyEntry
from bihuan.ledger.models import Measure
from bihuan.ledger.services import MeasureSpec
from bihuan.supervision.models import SupervisionItem
from bihuan.workflow.states import State

from .test_importing import PER_SHEET


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def problem(make_problem, world):
    """A problem of 东关村 registered today with one draft measure, due in a month."""
    spec = MeasureSpec(
        text="在村务公开栏公示整改情况",
        owner_unit=world.dongguan,
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    return make_problem(unit=world.dongguan, measures=[spec], when=timezone.now())


def test_the_admin_adds_edits_and_stops_an_entry(as_user, world):
    client = as_user(world.wu)
    created = client.post(
        reverse("duties:entry_create"),
        {"level": "village", "kind": "negative", "number": 3, "name": " 招商引资 任务 "},
    )
    assert created.status_code == 302
    entry = DutyEntry.objects.get()
    assert (entry.name, entry.number, entry.is_active) == ("招商引资 任务", 3, True)
    twice = client.post(
        reverse("duties:entry_create"),
        {"level": "village", "kind": "negative", "name": "招商引资 任务"},
    )
    assert twice.status_code == 400
    assert "村负面清单中已有“招商引资 任务”。" in twice.text

    client.post(
        reverse("duties:entry_edit", args=[entry.pk]),
        {
            "level": "village",
            "kind": "negative",
            "number": 3,
            "name": "招商引资任务",
            "basis": "县委文件",
        },
    )
    client.post(reverse("duties:entry_toggle", args=[entry.pk]))

    entry.refresh_from_db()
    assert (entry.name, entry.basis, entry.is_active) == ("招商引资任务", "县委文件", False)
    page = client.get(reverse("duties:lists"))
    assert "招商引资任务（已停用）" in page.text


def test_the_admin_imports_a_workbook_and_sees_row_errors(as_user, world):
    client = as_user(world.wu)
    upload = ("四张清单.xlsx", PER_SHEET)
    response = client.post(
        reverse("duties:import"),
        {"file": SimpleUploadedFile(*upload), "level": "village"},
        follow=True,
    )
    assert "导入完成：新增 6 项，更新 0 项，未变 0 项。" in response.text
    bad = client.post(
        reverse("duties:import"),
        {
            "file": SimpleUploadedFile("x.csv", "序号,事项名称\n1,村务公开\n".encode()),
            "level": "village",
        },
    )
    assert bad.status_code == 400
    assert "无法判断属于哪张清单" in bad.text


def test_only_the_admin_edits_the_lists(as_user, world, lists):
    client = as_user(world.zhou)
    assert client.get(reverse("duties:import")).status_code == 403
    assert client.post(reverse("duties:entry_toggle", args=[lists.charter.pk])).status_code == 403
    page = client.get(reverse("duties:lists"))
    assert page.status_code == 200
    assert "村规民约制定和修订" in page.text
    assert "entry_edit" not in page.text and "修改</a>" not in page.text
    assert DutyEntry.objects.get(pk=lists.charter.pk).is_active


def test_the_assign_form_offers_the_villages_lists(as_user, world, lists, problem):
    page = as_user(world.zhou).get(reverse("ledger:problem_detail", args=[problem.pk]))

    measure = problem.measures.get()
    assert f'name="duty-{measure.pk}"' in page.text  # the bulk form
    assert 'name="duty"' in page.text  # the measure's own 交办 form
    assert '<optgroup label="村负面清单（不得交由村·社区承担）">' in page.text
    assert "居民公约制定和修订" not in page.text  # a community's list
    assert f'<option value="{UNLISTED}">清单外事项（须准入审批）</option>' in page.text


def test_a_negative_list_task_is_refused_on_the_page_and_nothing_changes(
    as_user, world, lists, problem
):
    measure = problem.measures.get()
    response = as_user(world.zhou).post(
        reverse("ledger:problem_assign", args=[problem.pk]),
        {f"duty-{measure.pk}": lists.investment.pk},
        follow=True,
    )

    assert "该任务属于负面清单事项“招商引资任务”，不得交由东关村承担。" in response.text
    assert Measure.objects.get(pk=measure.pk).state == State.DRAFT
    assert not DutyAssignment.objects.exists()


def test_an_unlisted_task_is_approved_on_the_approvals_page(as_user, world, lists, problem):
    measure = problem.measures.get()
    held = as_user(world.zhou).post(
        reverse("ledger:transition", args=[measure.pk, "assign"]), {"duty": UNLISTED}, follow=True
    )
    assert "已提交准入审批" in held.text
    assert "清单外·待准入审批" in held.text
    check = DutyAssignment.objects.get()

    leader = as_user(world.zhao)
    page = leader.get(reverse("duties:approvals"))
    assert "在村务公开栏公示整改情况" in page.text
    assert reverse("duties:approval_decide", args=[check.pk]) in page.text
    leader.post(reverse("duties:approval_decide", args=[check.pk]), {"approve": "yes"})

    assert Measure.objects.get(pk=measure.pk).state == State.PENDING
    report = leader.get(reverse("duties:report"), {"year": timezone.localdate().year})
    assert "中共青山县委办公室" not in report.text
    assert "青山县" in report.text
    assert "100.0%" in report.text  # one task pushed, outside the lists


def test_a_supervision_item_for_a_village_is_registered_with_its_entry(as_user, world, lists):
    response = as_user(world.zhou).post(
        reverse("supervision:create"),
        {
            "source": "instruction",
            "title": "协助人口普查入户登记",
            "owner_unit": world.dongguan.pk,
            "deadline_kind": "date",
            "deadline": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
            "duty": lists.census.pk,
            "assign": "on",
        },
    )

    item = SupervisionItem.objects.get()
    assert response.status_code == 302
    assert item.state == State.PENDING
    assert DutyAssignment.objects.get().entry == lists.census
    detail = as_user(world.chen).get(item.get_absolute_url())
    assert "协助政府事项：协助开展人口普查" in detail.text


def test_a_guessed_check_of_another_township_is_not_found(as_user, world, lists, problem):
    measure = problem.measures.get()
    as_user(world.zhou).post(
        reverse("ledger:transition", args=[measure.pk, "assign"]), {"duty": UNLISTED}
    )
    check = DutyAssignment.objects.get()

    response = as_user(world.wang).post(
        reverse("duties:approval_decide", args=[check.pk]), {"approve": "yes"}
    )

    assert response.status_code == 404
    assert DutyAssignment.objects.get().state == "pending"
