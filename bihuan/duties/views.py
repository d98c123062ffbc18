"""The duty lists, their import, 准入审批 and the burden report: thin views over the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.errors import DomainError
from bihuan.org.models import Role
from bihuan.org.views import system_admin_only
from bihuan.web import act, report
from bihuan.workflow.models import load_calendar

from . import importing, services
from .forms import ApprovalForm, EntryForm, ImportForm, ReportForm
from .gate import approver_role
from .models import DutyAssignment, DutyEntry
from .selectors import burden_report, checks_to_approve, duty_lists, recent_checks


@login_required
@require_GET
def lists(request):
    may_edit = request.user.has_role(Role.SYSTEM_ADMIN)
    context = {
        "lists": duty_lists(include_stopped=may_edit),
        "may_edit": may_edit,
        "form": EntryForm() if may_edit else None,
    }
    return render(request, "duties/lists.html", context)


@system_admin_only
@require_POST
def entry_create(request):
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            entry = services.entry_create(spec=form.spec(), by=request.user, now=timezone.now())
        except DomainError as error:
            report(request, error, form)
        else:
            messages.success(request, f"已添加“{entry.name}”。")
            return redirect("duties:lists")
    context = {"lists": duty_lists(include_stopped=True), "may_edit": True, "form": form}
    return render(request, "duties/lists.html", context, status=400)


@system_admin_only
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk: int):
    entry = get_object_or_404(DutyEntry, pk=pk)
    initial = {name: getattr(entry, name) for name in services.ENTRY_FIELDS}
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_edit(entry=entry, spec=form.spec(), by=request.user, now=timezone.now())
        except DomainError as error:
            report(request, error, form)
        else:
            messages.success(request, f"已修改“{entry.name}”。")
            return redirect("duties:lists")
    status = 400 if form.errors else 200
    return render(request, "duties/entry_form.html", {"form": form, "entry": entry}, status=status)


@system_admin_only
@require_POST
def entry_toggle(request, pk: int):
    entry = get_object_or_404(DutyEntry, pk=pk)
    services.entry_set_active(
        entry=entry, active=not entry.is_active, by=request.user, now=timezone.now()
    )
    messages.success(request, f"已{'启用' if entry.is_active else '停用'}“{entry.name}”。")
    return redirect("duties:lists")


@system_admin_only
@require_http_methods(["GET", "POST"])
def entries_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = importing.entries_import(
                data=upload.read(),
                filename=upload.name,
                level=form.cleaned_data["level"],
                by=request.user,
                now=timezone.now(),
            )
        except importing.ImportRefused as refusal:
            errors = refusal.errors
            form.add_error(None, refusal.message)
        except DomainError as error:
            report(request, error, form)
        else:
            messages.success(
                request,
                f"导入完成：新增 {counts.created} 项，更新 {counts.updated} 项，"
                f"未变 {counts.unchanged} 项。",
            )
            return redirect("duties:lists")
    status = 400 if form.errors else 200
    return render(request, "duties/import.html", {"form": form, "errors": errors}, status=status)


@login_required
@require_GET
def approvals(request):
    user = request.user
    context = {
        "waiting": list(checks_to_approve(user)),
        "recent": list(recent_checks(user)),
        "is_approver": user.has_role(approver_role()),
        "approver_label": Role(approver_role()).label,
    }
    return render(request, "duties/approvals.html", context)


@login_required
@require_POST
def approval_decide(request, pk: int):
    check = get_object_or_404(
        DutyAssignment.objects.visible_to(request.user).select_related(
            "assigning_unit", "requested_by", "measure", "supervision_item"
        ),
        pk=pk,
    )

    def decide(data):
        decision = services.approval_decide(
            check=check,
            by=request.user,
            now=timezone.now(),
            calendar=load_calendar(),
            approve=data["approve"],
            comment=data["comment"],
        )
        if decision.problem:
            messages.warning(request, f"已同意，但未能交办：{decision.problem}")

    act(request, ApprovalForm(request.POST), decide, f"已完成“{check.task[:30]}”的准入审批。")
    return redirect("duties:approvals")


@login_required
@require_GET
def burden(request):
    if not request.user.has_business_role:
        raise PermissionDenied("系统管理员不查看业务数据。")
    form = ReportForm(request.GET, today=timezone.localdate())
    year, period = form.params()
    rows, total = burden_report(user=request.user, year=year, period=period)
    context = {"form": form, "rows": rows, "total": total, "year": year}
    return render(request, "duties/report.html", context)
