import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.duties.forms import bulk_duty_choices
from bihuan.duties.gate import HELD_MESSAGE, UNLISTED
from bihuan.errors import DomainError
from bihuan.org.views import system_admin_only
from bihuan.supervision.selectors import inbox_items, pending_item_extensions
from bihuan.web import act, form_errors, report
from bihuan.workflow.models import LightCutoffs, load_calendar
from bihuan.workflow.states import Action, Actor

from . import exporting, services
from .forms import (
    CategoryForm,
    CommentForm,
    DecisionForm,
    ExtensionForm,
    LedgerFilterForm,
    MeasureEditForm,
    MeasureForm,
    MeasureFormSet,
    ProblemForm,
    ProgressForm,
)
from .models import Category, Evidence, ExtensionRequest, Measure, MeasureEvent, Problem, Progress
from .paging import KeyedRows, OpenEndedPaginator
from .selectors import (
    LedgerFilters,
    inbox_measures,
    ledger_measures,
    pending_extensions,
    table_rows,
)


def _page(request, queryset, *, counted: bool = True):
    rows = KeyedRows(queryset)
    paginator = Paginator if counted else OpenEndedPaginator
    return paginator(rows, settings.BIHUAN_PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
@require_GET
def inbox(request):
    now = timezone.now()
    calendar = load_calendar()
    cutoffs = LightCutoffs(now=now, calendar=calendar)
    page = _page(request, table_rows(inbox_measures(user=request.user, cutoffs=cutoffs)))
    extensions = KeyedRows(pending_extensions(user=request.user))[:50]
    context = {
        "page": page,
        "extensions": extensions,
        "calendar": calendar,
        "supervision_items": list(inbox_items(user=request.user, cutoffs=cutoffs)[:50]),
        "supervision_extensions": list(pending_item_extensions(user=request.user)[:50]),
    }
    return render(request, "ledger/inbox.html", context)


@login_required
@require_GET
def ledger_list(request):
    now = timezone.now()
    calendar = load_calendar()
    form = LedgerFilterForm(request.GET or None, user=request.user)
    filters = form.filters() if form.is_valid() else LedgerFilters()
    measures = ledger_measures(
        user=request.user, filters=filters, cutoffs=LightCutoffs(now=now, calendar=calendar)
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        # A keyword search reads every measure's text; counting its matches would read them
        # all a second time, so its pages only say whether another follows.
        "page": _page(request, table_rows(measures), counted=not filters.keyword.strip()),
        "calendar": calendar,
        "query": query.urlencode(),
    }
    template = "ledger/list.html#table" if request.htmx else "ledger/list.html"
    return render(request, template, context)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def ledger_export(request):
    """The ledger list's rows, with the same filters, as an Excel file."""
    now = timezone.now()
    form = LedgerFilterForm(request.GET or None, user=request.user)
    query = request.GET.urlencode()
    back = f"{reverse('ledger:list')}?{query}" if query else reverse("ledger:list")
    if form.is_bound and not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    filters = form.filters() if form.is_bound else LedgerFilters()
    # Deleted when closed, which FileResponse does once the download has been sent.
    out = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        exporting.ledger_export(
            user=request.user,
            filters=filters,
            now=now,
            out=out,
            max_rows=settings.BIHUAN_EXPORT_MAX_ROWS,
        )
    except DomainError as error:
        out.close()
        messages.error(request, error.message)
        return redirect(back)
    out.seek(0)
    filename = f"{exporting.export_title(filters)}-{timezone.localdate(now):%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def problem_create(request):
    form = ProblemForm(request.POST or None, user=request.user)
    formset = MeasureFormSet(
        request.POST or None, prefix="measures", form_kwargs={"user": request.user}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            problem = services.problem_create(
                spec=form.spec(formset.specs()), by=request.user, now=timezone.now()
            )
        except DomainError as error:
            report(request, error, form)
        else:
            messages.success(request, "问题已登记，请核对后交办。")
            return redirect("ledger:problem_detail", problem.pk)
    return render(request, "ledger/problem_form.html", {"form": form, "formset": formset})


def _visible_problem(request, pk: int) -> Problem:
    return get_object_or_404(Problem.objects.visible_to(request.user), pk=pk)


def _visible_measure(request, pk: int) -> Measure:
    measures = Measure.objects.visible_to(request.user).select_related(
        "problem__unit", "owner_unit", "owner"
    )
    return get_object_or_404(measures, pk=pk)


@login_required
@require_GET
def problem_detail(request, pk: int):
    problem = get_object_or_404(
        Problem.objects.visible_to(request.user).select_related(
            "category", "unit", "person", "created_by"
        ),
        pk=pk,
    )
    now = timezone.now()
    calendar = load_calendar()
    measures = list(
        Measure.objects.visible_to(request.user)
        .filter(problem=problem)
        .with_light(LightCutoffs(now=now, calendar=calendar))
        .select_related("owner_unit", "owner", "problem__unit")
        .prefetch_related(
            Prefetch("events", queryset=MeasureEvent.objects.select_related("actor")),
            Prefetch(
                "progress_updates",
                queryset=Progress.objects.select_related("author").prefetch_related("evidence"),
            ),
            Prefetch(
                "extension_requests",
                queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by"),
            ),
        )
        .order_by("seq", "pk")
    )
    may_edit = request.user.has_role("supervisor")
    for measure in measures:
        measure.actions = measure.allowed_actions(request.user)
        measure.may_decide = measure.may(request.user, Actor.REVIEWER)
        if may_edit and measure.state == "draft":
            measure.edit_form = MeasureEditForm(
                user=request.user, prefix=f"edit-{measure.pk}", initial=_measure_initial(measure)
            )
    context = {
        "problem": problem,
        "causes": list(problem.causes.all()),
        # The passage of a material the problem was extracted from, if any.
        "source_passages": list(problem.material_items.select_related("material")),
        "measures": measures,
        "may_add": request.user.has_role("supervisor"),
        "has_drafts": any(m.state == "draft" for m in measures),
        "measure_form": MeasureForm(user=request.user, prefix="new"),
        "calendar": calendar,
        "max_mb": settings.BIHUAN_EVIDENCE_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "ledger/problem_detail.html", context)


def _back(item: Problem | Measure):
    problem_id = item.problem_id if isinstance(item, Measure) else item.pk
    return redirect("ledger:problem_detail", problem_id)


@login_required
@require_POST
def problem_assign(request, pk: int):
    problem = _visible_problem(request, pk)
    duties = bulk_duty_choices(request.POST)
    try:
        count = services.problem_assign(
            problem=problem,
            by=request.user,
            now=timezone.now(),
            calendar=load_calendar(),
            duties=duties,
        )
    except DomainError as error:
        report(request, error)
    else:
        held = HELD_MESSAGE if UNLISTED in duties.values() else ""
        messages.success(request, f"已交办 {count} 条整改措施。{held}")
    return _back(problem)


def _act(request, item: Problem | Measure, form, call, success: str):
    """One domain call from a posted form, reported on the problem page."""
    act(request, form, call, success)
    return _back(item)


def _measure_initial(measure: Measure) -> dict:
    return {name: getattr(measure, name) for name in services.EDITABLE_FIELDS} | {
        "owner_unit": measure.owner_unit_id,
        "owner": measure.owner_id,
        "version": measure.version,
    }


@login_required
@require_POST
def measure_edit(request, pk: int):
    measure = _visible_measure(request, pk)
    form = MeasureEditForm(request.POST, user=request.user, prefix=f"edit-{measure.pk}")
    return _act(
        request,
        measure,
        form,
        lambda data: services.measure_edit(
            measure=measure,
            spec=form.spec(),
            by=request.user,
            now=timezone.now(),
            version=data["version"],
        ),
        "已修改整改措施。",
    )


@login_required
@require_POST
def measure_add(request, pk: int):
    problem = _visible_problem(request, pk)
    form = MeasureForm(request.POST, user=request.user, prefix="new")
    return _act(
        request,
        problem,
        form,
        lambda data: services.measure_add(
            problem=problem, spec=form.spec(), by=request.user, now=timezone.now()
        ),
        "已增加整改措施。",
    )


@login_required
@require_POST
def measure_transition(request, pk: int, action: str):
    measure = _visible_measure(request, pk)
    label = Action(action).label if action in Action.values else action
    duty = request.POST.get("duty", "")
    return _act(
        request,
        measure,
        CommentForm(request.POST),
        lambda data: services.measure_transition(
            measure=measure,
            action=action,
            by=request.user,
            now=timezone.now(),
            calendar=load_calendar(),
            comment=data["comment"],
            duty=duty,
        ),
        HELD_MESSAGE if duty == UNLISTED else f"已{label}：{measure.text[:30]}",
    )


@login_required
@require_POST
def progress_post(request, pk: int):
    measure = _visible_measure(request, pk)
    return _act(
        request,
        measure,
        ProgressForm(request.POST, request.FILES),
        lambda data: services.progress_post(
            measure=measure,
            by=request.user,
            now=timezone.now(),
            text=data["text"],
            files=data["files"],
        ),
        "整改进展已提交。",
    )


@login_required
@require_POST
def extension_request(request, pk: int):
    measure = _visible_measure(request, pk)
    return _act(
        request,
        measure,
        ExtensionForm(request.POST),
        lambda data: services.extension_request(
            measure=measure,
            by=request.user,
            now=timezone.now(),
            new_deadline=data["new_deadline"],
            reason=data["reason"],
        ),
        "延期申请已提交，等待审批。",
    )


@login_required
@require_POST
def extension_decide(request, pk: int):
    extension = get_object_or_404(
        ExtensionRequest.objects.visible_to(request.user).select_related(
            "measure__owner_unit", "measure__problem__unit"
        ),
        pk=pk,
    )
    return _act(
        request,
        extension.measure,
        DecisionForm(request.POST),
        lambda data: services.extension_decide(
            request=extension,
            by=request.user,
            now=timezone.now(),
            approve=data["approve"],
            comment=data["comment"],
        ),
        "已审批延期申请。",
    )


@login_required
@require_GET
def evidence_download(request, pk: int):
    evidence = get_object_or_404(
        Evidence.objects.visible_to(request.user),
        pk=pk,
    )
    try:
        handle = services.evidence_open(evidence=evidence, by=request.user, now=timezone.now())
    except FileNotFoundError:
        raise Http404("文件已丢失，请联系管理员。") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@system_admin_only
@require_http_methods(["GET", "POST"])
def categories(request):
    """问题类别 is a configurable list: the system admin adds, renames and retires entries."""
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        order = Category.objects.order_by("-order").values_list("order", flat=True).first() or 0
        Category.objects.create(name=name, order=order + 1)
        messages.success(request, f"已增加问题类别“{name}”。")
        return redirect("ledger:categories")
    context = {"form": form, "categories": Category.objects.all()}
    return render(request, "ledger/categories.html", context, status=400 if form.errors else 200)


@system_admin_only
@require_POST
def category_toggle(request, pk: int):
    category = get_object_or_404(Category, pk=pk)
    category.is_active = not category.is_active
    category.save(update_fields=["is_active"])
    state = "启用" if category.is_active else "停用（已登记的问题保留原类别）"
    messages.success(request, f"已{state}“{category}”。")
    return redirect("ledger:categories")
