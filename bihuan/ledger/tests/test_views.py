import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bihuan.ledger.models import Evidence, Measure, Problem, Progress
from bihuan.ledger.services import MeasureSpec
from bihuan.workflow.states import Action, State


@pytest.fixture
def now():
    """Views read the real clock, so the shared fixtures are built relative to it here."""
    return timezone.localtime()  # local: .date() must be today in Shanghai, not in UTC


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def problem_form_data(world, *deadlines, **overrides):
    data = {
        "source": "supervision",
        "category": world.category.pk,
        "description": "政务服务大厅窗口人员脱岗",
        "unit": world.chengguan.pk,
        "causes": "纪律意识松懈\n考勤制度执行不严",
        "target": "窗口脱岗问题清零",
        "standard": "群众满意度达95%以上",
        "measures-TOTAL_FORMS": str(len(deadlines)),
        "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "0",
        "measures-MAX_NUM_FORMS": "20",
    }
    for index, deadline in enumerate(deadlines):
        data |= {
            f"measures-{index}-text": f"措施{index + 1}：落实考勤",
            f"measures-{index}-owner_unit": world.chengguan.pk,
            f"measures-{index}-deadline_kind": "date",
            f"measures-{index}-deadline": deadline,
        }
    return data | overrides


def in_a_month():
    return (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def test_the_whole_loop_through_the_web_ui(as_user, world):
    client = as_user(world.zhou)
    response = client.post(
        reverse("ledger:problem_create"), problem_form_data(world, in_a_month(), in_a_month())
    )
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert [c.text for c in problem.causes.all()] == ["纪律意识松懈", "考勤制度执行不严"]
    first, second = problem.measures.order_by("seq")

    client.post(reverse("ledger:problem_assign", args=[problem.pk]))
    assert set(problem.measures.values_list("state", flat=True)) == {State.PENDING}

    client = as_user(world.li)
    for measure in (first, second):
        client.post(reverse("ledger:transition", args=[measure.pk, "acknowledge"]))
    evidence = SimpleUploadedFile("考勤记录.pdf", b"%PDF-1.4 attendance", "application/pdf")
    client.post(
        reverse("ledger:progress_post", args=[first.pk]),
        {"text": "已张贴考勤表", "files": [evidence]},
    )
    for measure in (first, second):
        client.post(
            reverse("ledger:transition", args=[measure.pk, "submit"]), {"comment": "已完成"}
        )

    client = as_user(world.zhou)
    client.post(reverse("ledger:transition", args=[first.pk, "return"]), {"comment": "证据不足"})
    client.post(reverse("ledger:transition", args=[second.pk, "close"]))

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (State.IN_PROGRESS, State.CLOSED)
    assert list(first.events.values_list("action", flat=True)) == [
        Action.CREATE,
        Action.ASSIGN,
        Action.ACKNOWLEDGE,
        Action.PROGRESS,
        Action.SUBMIT,
        Action.RETURN,
    ]
    page = client.get(reverse("ledger:problem_detail", args=[problem.pk]))
    assert "证据不足" in page.text
    assert "考勤记录.pdf" in page.text


def test_the_detail_page_offers_only_the_allowed_buttons(as_user, world, in_progress):
    page = as_user(world.li).get(reverse("ledger:problem_detail", args=[in_progress.problem_id]))
    assert "申请销号" in page.text
    assert "确认销号" not in page.text
    assert "反馈进展" in page.text


def test_a_refused_transition_shows_a_chinese_message_and_changes_nothing(as_user, world, assigned):
    response = as_user(world.li).post(
        reverse("ledger:transition", args=[assigned.pk, "close"]), follow=True
    )
    assert "当前状态为“待签收”，不能销号" in response.text
    assert Measure.objects.get(pk=assigned.pk).state == State.PENDING


def test_an_unknown_action_is_refused(as_user, world, assigned):
    response = as_user(world.zhou).post(
        reverse("ledger:transition", args=[assigned.pk, "explode"]), follow=True
    )
    assert "未知的操作" in response.text


def test_another_townships_measure_is_404_by_url(as_user, world, in_progress):
    client = as_user(world.wang)
    assert (
        client.get(reverse("ledger:problem_detail", args=[in_progress.problem_id])).status_code
        == 404
    )
    assert (
        client.post(reverse("ledger:transition", args=[in_progress.pk, "submit"])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("ledger:progress_post", args=[in_progress.pk]), {"text": "x"}
        ).status_code
        == 404
    )
    assert Measure.objects.get(pk=in_progress.pk).state == State.IN_PROGRESS


def test_evidence_is_downloaded_as_attachment_only_in_scope(as_user, world, in_progress, now):
    from bihuan.ledger.services import progress_post

    upload = SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff photo", "image/jpeg")
    progress_post(measure=in_progress, by=world.li, now=now, text="现场照片", files=[upload])
    evidence = Evidence.objects.get()

    response = as_user(world.zhou).get(reverse("ledger:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"\xff\xd8\xff photo"
    assert not evidence.file.name.endswith("照片.jpg")

    other = as_user(world.wang).get(reverse("ledger:evidence_download", args=[evidence.pk]))
    assert other.status_code == 404


def test_a_file_over_the_limit_is_refused_and_nothing_is_saved(
    as_user, world, in_progress, settings
):
    settings.BIHUAN_EVIDENCE_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("大文件.pdf", b"0" * (1024 * 1024 + 1), "application/pdf")
    response = as_user(world.li).post(
        reverse("ledger:progress_post", args=[in_progress.pk]),
        {"text": "进展", "files": [big]},
        follow=True,
    )
    assert "超过 1.0\xa0MB 的上限" in response.text
    assert not Progress.objects.exists()
    assert not Evidence.objects.exists()


def test_a_deadline_in_the_past_is_refused_on_the_form(as_user, world):
    response = as_user(world.zhou).post(
        reverse("ledger:problem_create"), problem_form_data(world, "2020-01-01")
    )
    assert response.status_code == 200
    assert "早于今天" in response.text
    assert not Problem.objects.exists()


def test_a_handler_cannot_register_problems(as_user, world):
    response = as_user(world.li).post(
        reverse("ledger:problem_create"), problem_form_data(world, in_a_month())
    )
    assert "只有督查员" in response.text
    assert not Problem.objects.exists()


def test_a_supervisor_cannot_register_a_problem_outside_the_scope(as_user, world):
    response = as_user(world.qian).post(
        reverse("ledger:problem_create"),
        problem_form_data(world, in_a_month(), unit=world.hexi.pk),
    )
    assert response.status_code == 200
    assert not Problem.objects.exists()


def test_extension_request_and_approval_move_the_deadline(as_user, world, in_progress):
    new_date = in_progress.deadline + dt.timedelta(days=14)
    as_user(world.li).post(
        reverse("ledger:extension_request", args=[in_progress.pk]),
        {"new_deadline": new_date.isoformat(), "reason": "需等待县财政拨款"},
    )
    extension = in_progress.extension_requests.get()
    inbox = as_user(world.zhou).get(reverse("inbox"))
    assert "需等待县财政拨款" in inbox.text

    as_user(world.zhou).post(
        reverse("ledger:extension_decide", args=[extension.pk]), {"approve": "yes"}
    )
    measure = Measure.objects.get(pk=in_progress.pk)
    assert measure.deadline == new_date
    assert measure.original_deadline == in_progress.deadline


def test_ledger_list_filters_by_state_and_keyword(as_user, world, make_problem, calendar, now):
    make_problem(description="村务公开不及时")
    make_problem(description="会议室空调长明").measures.get().assign(
        by=world.zhou, now=now, calendar=calendar
    )
    client = as_user(world.zhou)

    page = client.get(reverse("ledger:list"), {"state": "pending"})
    assert "会议室空调长明" in page.text
    assert "村务公开不及时" not in page.text

    page = client.get(reverse("ledger:list"), {"keyword": "村务"})
    assert "村务公开不及时" in page.text
    assert "会议室空调长明" not in page.text


def test_ledger_list_partial_for_htmx(as_user, world, measure):
    page = as_user(world.zhou).get(reverse("ledger:list"), headers={"HX-Request": "true"})
    assert "<form" not in page.text
    assert "建立首问负责制并公示" in page.text


def test_ledger_list_queries_do_not_grow_with_rows(
    as_user, world, make_problem, django_assert_max_num_queries
):
    client = as_user(world.zhou)
    make_problem()
    with django_assert_max_num_queries(13) as few:
        client.get(reverse("ledger:list"))
    for _ in range(15):
        make_problem()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("ledger:list"))


def test_inbox_lists_what_waits_for_the_handler(as_user, world, assigned, make_problem):
    make_problem(unit=world.hexi, description="河西乡的问题")
    page = as_user(world.li).get(reverse("inbox"))
    assert "建立首问负责制并公示" in page.text
    assert "河西乡的问题" not in page.text


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("ledger:list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_page_is_chinese_and_logs_in(client, world):
    from bihuan.conftest import PASSWORD

    assert "登录" in client.get("/accounts/login/").text
    response = client.post("/accounts/login/", {"username": "li", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_the_system_admin_adds_and_retires_a_category(as_user, world):
    from bihuan.ledger.models import Category

    client = as_user(world.wu)
    client.post(reverse("ledger:categories"), {"name": "形式主义官僚主义"})
    category = Category.objects.get(name="形式主义官僚主义")
    client.post(reverse("ledger:category_toggle", args=[category.pk]))
    category.refresh_from_db()
    assert not category.is_active
    duplicate = client.post(reverse("ledger:categories"), {"name": "工作作风"})
    assert duplicate.status_code == 400
    assert "已有问题类别" in duplicate.text


def test_a_supervisor_cannot_change_categories(as_user, world):
    assert (
        as_user(world.zhou).post(reverse("ledger:categories"), {"name": "新类别"}).status_code
        == 403
    )


def test_ledger_list_sorts_by_urgency_when_asked(as_user, world, make_problem, now, calendar):
    calm = make_problem(description="平稳推进的问题").measures.get()
    urgent = make_problem(
        description="临期的问题",
        measures=[MeasureSpec(text="马上办", owner_unit=world.chengguan, deadline=now.date())],
    ).measures.get()
    for measure in (calm, urgent):
        measure.assign(by=world.zhou, now=now, calendar=calendar)
    client = as_user(world.zhou)

    newest_first = client.get(reverse("ledger:list")).context["page"].object_list
    by_urgency = client.get(reverse("ledger:list"), {"sort": "urgency"}).context["page"]

    assert [m.pk for m in newest_first] == [urgent.pk, calm.pk]
    assert [m.pk for m in by_urgency.object_list] == [urgent.pk, calm.pk]
    assert [m.light for m in by_urgency.object_list] == ["yellow", "green"]


def test_a_malformed_extension_form_names_the_field_and_saves_nothing(as_user, world, in_progress):
    response = as_user(world.li).post(
        reverse("ledger:extension_request", args=[in_progress.pk]),
        {"new_deadline": "下个月", "reason": ""},
        follow=True,
    )
    assert "申请延至" in response.text
    assert "延期理由" in response.text
    assert not in_progress.extension_requests.exists()
