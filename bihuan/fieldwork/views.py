"""The 调研走访 pages: a visit entered on a phone, each person's days, each village's coverage."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.errors import DomainError
from bihuan.org.models import Role
from bihuan.web import act, form_errors, report
from bihuan.workflow.scope import sees_every_unit

from . import services
from .forms import (
    DaysTargetForm,
    HouseholdsForm,
    PeriodForm,
    VersionForm,
    VisitEditForm,
    VisitForm,
    VisitProblemFormSet,
    YearForm,
)
from .models import Visit, target_days
from .selectors import days_progress, person_days, village_coverage, year_targets

RECENT_VISITS = 20


@login_required
@require_GET
def index(request):
    user = request.user
    today = timezone.localdate()
    targets = year_targets(today.year)
    visits = (
        Visit.objects.visible_to(user)
        .select_related("place_unit", "unit")
        .prefetch_related("people")
        .order_by("-starts_on", "-pk")[:RECENT_VISITS]
    )
    context = {
        "year": today.year,
        "my_days": person_days([user.pk], today.year).get(user.pk, 0),
        "my_target": target_days(targets, user.roles),
        "visits": visits,
    }
    return render(request, "fieldwork/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request):
    today = timezone.localdate()
    data = request.POST or None
    form = VisitForm(data, user=request.user, today=today)
    problems = VisitProblemFormSet(data, prefix="problems", form_kwargs={"user": request.user})
    if request.method == "POST" and form.is_valid() and problems.is_valid():
        spec = form.spec()
        try:
            visit = services.visit_create(
                spec=spec, problems=problems.problems(spec), by=request.user, now=timezone.now()
            )
        except DomainError as error:
            report(request, error, form)
        else:
            raised = visit.problems.count()
            extra = f"，{raised} 个问题已进入整改台账（待交办）" if raised else ""
            messages.success(request, f"已保存走访记录{extra}。")
            return redirect(visit)
    status = 400 if form.errors or problems.total_error_count() else 200
    context = {"form": form, "problems": problems}
    return render(request, "fieldwork/visit_form.html", context, status=status)


@login_required
@require_GET
def visit_detail(request, pk: int):
    visits = Visit.objects.visible_to(request.user).select_related(
        "unit", "place_unit", "campaign", "created_by"
    )
    visit = get_object_or_404(visits, pk=pk)
    problems = list(visit.problems.select_related("unit", "category").order_by("pk"))
    context = {
        "visit": visit,
        "people": list(visit.people.select_related("unit")),
        "problems": problems,
        "may_correct": services.may_correct(visit, request.user),
    }
    return render(request, "fieldwork/visit_detail.html", context)


def corrected_visit(user, pk: int) -> Visit:
    """A visit in a path that the user may correct: 404 when unseen, 403 when only seen."""
    visits = Visit.objects.visible_to(user).select_related("unit", "place_unit", "campaign")
    visit = get_object_or_404(visits, pk=pk)
    if not services.may_correct(visit, user):
        raise PermissionDenied("只有填报人或组织单位的督查员可以修改走访记录。")
    return visit


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk: int):
    visit = corrected_visit(request.user, pk)
    form = VisitEditForm(
        request.POST or None, user=request.user, today=timezone.localdate(), visit=visit
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_edit(
                visit=visit,
                change=form.change(),
                by=request.user,
                now=timezone.now(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            report(request, error, form)
        else:
            messages.success(request, "已保存走访记录的修改。")
            return redirect(visit)
    context = {"form": form, "visit": visit, "raised": visit.problems.count()}
    status = 400 if form.errors else 200
    return render(request, "fieldwork/visit_edit.html", context, status=status)


@login_required
@require_POST
def visit_delete(request, pk: int):
    visit = corrected_visit(request.user, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(visit)
    try:
        services.visit_delete(
            visit=visit, by=request.user, now=timezone.now(), version=form.cleaned_data["version"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(visit)
    messages.success(request, f"已删除走访记录“{visit}”。")
    return redirect("fieldwork:index")


@login_required
@require_GET
def progress(request):
    today = timezone.localdate()
    year, unit = today.year, None
    form = YearForm(request.GET or None, user=request.user, initial={"year": year})
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        unit = form.cleaned_data["unit"]
    may_set = request.user.has_role(Role.SUPERVISOR) and sees_every_unit(request.user)
    context = {
        "form": form,
        "year": year,
        "rows": days_progress(user=request.user, year=year, unit=unit),
        "targets": [(Role(role).label, days) for role, days in year_targets(year).items()],
        "target_form": DaysTargetForm(initial={"year": year}) if may_set else None,
    }
    return render(request, "fieldwork/progress.html", context)


@login_required
@require_POST
def target_set(request):
    form = DaysTargetForm(request.POST)
    act(
        request,
        form,
        lambda data: services.target_set(**data, by=request.user, now=timezone.now()),
        "已保存调研天数目标。",
    )
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return redirect(f"{reverse('fieldwork:progress')}?year={year or ''}")


@login_required
@require_GET
def coverage(request):
    today = timezone.localdate()
    start, end, unit = dt.date(today.year, 1, 1), today, None
    form = PeriodForm(request.GET or None, user=request.user, initial={"start": start, "end": end})
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        unit = form.cleaned_data["unit"]
    result = village_coverage(user=request.user, start=start, end=end, unit=unit)
    context = {
        "form": form,
        "coverage": result,
        "may_count": request.user.has_role(Role.HANDLER, Role.SUPERVISOR),
        "query": request.GET.urlencode(),
    }
    return render(request, "fieldwork/coverage.html", context)


@login_required
@require_POST
def households_set(request):
    form = HouseholdsForm(request.POST, user=request.user)
    act(
        request,
        form,
        lambda data: services.households_set(
            unit=data["unit"], count=data["count"], by=request.user, now=timezone.now()
        ),
        "已保存农户数。",
    )
    back = request.POST.get("query", "")
    return redirect(
        f"{reverse('fieldwork:coverage')}?{back}" if back else reverse("fieldwork:coverage")
    )
