"""Pages of the ledger import: upload, preview with every row issue, name mapping, commit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bihuan.errors import DomainError
from bihuan.org.models import Role
from bihuan.workflow.models import load_calendar

from . import import_files
from .forms import ImportUploadForm, PersonMappingForm, UnitMappingForm
from .models import ImportBatch, ImportState

# The preview lists this many problems; the counts and issues always cover the whole file.
PREVIEW_PROBLEMS = 200


def _importer(request) -> None:
    if not request.user.has_role(Role.SUPERVISOR):
        raise PermissionDenied("只有督查员可以导入台账。")


def _own_batch(request, pk: int) -> ImportBatch:
    _importer(request)
    return get_object_or_404(
        ImportBatch.objects.select_related("unit", "category"), pk=pk, uploaded_by=request.user
    )


@login_required
@require_http_methods(["GET", "POST"])
def ledger_import(request):
    _importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Refused before it is read into memory.
            import_files.check_import_size(upload.size)
            batch = import_files.import_upload(
                data=upload.read(),
                filename=upload.name,
                by=request.user,
                now=timezone.now(),
                unit=form.cleaned_data["unit"],
                source=form.cleaned_data["source"],
                category=form.cleaned_data["category"],
            )
        except DomainError as error:
            form.add_error("file" if error.field == "file" else None, error.message)
        else:
            return redirect("ledger:import_preview", batch.pk)
    batches = ImportBatch.objects.filter(uploaded_by=request.user)[:10]
    return render(request, "ledger/import.html", {"form": form, "batches": batches})


@login_required
def import_preview(request, pk: int):
    batch = _own_batch(request, pk)
    context = {"batch": batch}
    if batch.state == ImportState.PREVIEW:
        try:
            plan = import_files.batch_plan(batch, now=timezone.now(), calendar=load_calendar())
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("ledger:import")
        context |= {
            "plan": plan,
            "counts": plan.counts(),
            "problems": plan.problems[:PREVIEW_PROBLEMS],
            "more_problems": max(len(plan.problems) - PREVIEW_PROBLEMS, 0),
            "unit_forms": [
                (name, places, UnitMappingForm(initial={"text": name}, user=request.user))
                for name, places in plan.unmatched_units.items()
            ],
            "person_forms": [
                (name, places, PersonMappingForm(initial={"text": name}, user=request.user))
                for name, places in plan.unmatched_people.items()
            ],
            "earlier": ImportBatch.objects.filter(
                sha256=batch.sha256, state=ImportState.COMMITTED
            ).first(),
        }
    return render(request, "ledger/import_preview.html", context)


@login_required
@require_POST
def import_map_unit(request, pk: int):
    batch = _own_batch(request, pk)
    form = UnitMappingForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("ledger:import_preview", batch.pk)
    text, now = form.cleaned_data["text"], timezone.now()
    try:
        if form.cleaned_data["unit"]:
            import_files.name_map_unit(
                text=text, unit=form.cleaned_data["unit"], by=request.user, now=now
            )
            messages.success(request, f"已将“{text}”对应到{form.cleaned_data['unit']}。")
        else:
            unit = import_files.name_create_unit(
                text=text, parent=form.cleaned_data["parent"], by=request.user, now=now
            )
            messages.success(request, f"已在{unit.parent}下新建单位“{unit}”。")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("ledger:import_preview", batch.pk)


@login_required
@require_POST
def import_map_person(request, pk: int):
    batch = _own_batch(request, pk)
    form = PersonMappingForm(request.POST, user=request.user)
    if form.is_valid():
        text, user = form.cleaned_data["text"], form.cleaned_data["user"]
        try:
            import_files.name_map_person(text=text, user=user, by=request.user, now=timezone.now())
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"已将“{text}”对应到账号 {user}。")
    else:
        messages.error(request, "请选择要对应的账号。")
    return redirect("ledger:import_preview", batch.pk)


@login_required
@require_POST
def import_commit(request, pk: int):
    batch = _own_batch(request, pk)
    try:
        result = import_files.batch_commit(
            batch=batch, by=request.user, now=timezone.now(), calendar=load_calendar()
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"已导入：新增问题 {result['problems_new']} 个、措施 {result['measures_new']} 条，"
            f"更新措施 {result['measures_updated']} 条，{result['measures_unchanged']} 条没有变化。",
        )
    return redirect("ledger:import_preview", batch.pk)


@login_required
@require_POST
def import_discard(request, pk: int):
    batch = _own_batch(request, pk)
    try:
        import_files.batch_discard(batch=batch, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.info(request, f"已放弃导入《{batch.original_name}》，没有写入任何内容。")
    return redirect("ledger:import")
