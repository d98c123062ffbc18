"""Pages of the materials: list, upload, review of the extracted items, confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.errors import DomainError

from . import services
from .dupcheck import dupcheck_view
from .forms import ConfirmForm, MaterialUploadForm
from .models import ItemRole, Material


def _visible(request, pk: int) -> Material:
    return get_object_or_404(
        Material.objects.visible_to(request.user).select_related("author", "unit"), pk=pk
    )


@login_required
@require_GET
def material_list(request):
    materials = Material.objects.visible_to(request.user).select_related("author", "unit")
    page = Paginator(materials, 50).get_page(request.GET.get("page"))
    return render(request, "materials/list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def material_upload(request):
    form = MaterialUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            material = services.material_upload(
                data=upload.read(),
                filename=upload.name,
                kind=form.cleaned_data["kind"],
                author=form.cleaned_data["author"],
                by=request.user,
                now=timezone.now(),
                campaign=form.cleaned_data["campaign"],
            )
        except DomainError as error:
            form.add_error("file" if error.field == "file" else None, error.message)
        else:
            return redirect("materials:detail", material.pk)
    return render(request, "materials/upload.html", {"form": form})


@login_required
@require_GET
def material_detail(request, pk: int):
    material = _visible(request, pk)
    items = list(material.items.prefetch_related("problems").select_related("problem", "measure"))
    problems = [item for item in items if item.role == ItemRole.PROBLEM]
    for item in items:
        item.linked_ids = {problem.pk for problem in item.problems.all()}
    sections = [(role, [item for item in items if item.role == role]) for role in ItemRole]
    return render(
        request,
        "materials/detail.html",
        {
            "material": material,
            "sections": sections,
            "problem_items": problems,
            "confirm_form": ConfirmForm(),
            "may_review": services.may_review(material, request.user),
            "dupcheck": dupcheck_view(material, request.user),
        },
    )


def _edits(request, material: Material) -> list[services.ItemEdit]:
    post = request.POST
    edits = []
    for item in material.items.order_by("role", "order", "pk"):
        prefix = f"item-{item.pk}"
        if f"{prefix}-text" not in post:
            continue
        edits.append(
            services.ItemEdit(
                item=item,
                text=post.get(f"{prefix}-text", ""),
                label=post.get(f"{prefix}-label", ""),
                included=post.get(f"{prefix}-included") == "on",
                problems=tuple(
                    int(pk) for pk in post.getlist(f"{prefix}-problems") if pk.isdigit()
                ),
                merge_up=post.get(f"{prefix}-merge") == "on",
            )
        )
    return edits


@login_required
@require_POST
def material_review(request, pk: int):
    material = _visible(request, pk)
    added = [
        (role, request.POST.get(f"new-{role}-text", ""), request.POST.get(f"new-{role}-label", ""))
        for role in ItemRole.values
    ]
    try:
        services.material_review(
            material=material, edits=_edits(request, material), added=added, by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已保存修改。")
    return redirect("materials:detail", material.pk)


@login_required
@require_POST
def material_confirm(request, pk: int):
    material = _visible(request, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择问题类别。")
        return redirect("materials:detail", material.pk)
    try:
        problems = services.material_confirm(
            material=material,
            by=request.user,
            now=timezone.now(),
            default_category=form.cleaned_data["category"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"已转入整改台账：{len(problems)} 个问题，措施待督查员设定时限后交办。"
        )
    return redirect("materials:detail", material.pk)


@login_required
@require_GET
def material_file(request, pk: int):
    material = _visible(request, pk)
    content = services.material_open(material=material, by=request.user, now=timezone.now())
    return FileResponse(content, as_attachment=True, filename=material.original_name)
