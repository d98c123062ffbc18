"""The 查重 reference library in the web app: the system admin adds known template texts
(several files at once), reads and removes them. The library changes every unit's 复制比, like
the other lists one county shares (categories, holidays), so it is the system admin's; its texts
are public template-site texts, not any unit's business data."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models.functions import Length
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bihuan.errors import DomainError
from bihuan.forms import StyledForm
from bihuan.ledger.forms import MultipleFileField, MultipleFileInput
from bihuan.org.models import Role

from .forms import ACCEPT
from .library import reference_add_file, reference_remove
from .models import ReferenceText


class LibraryAddForm(StyledForm):
    files = MultipleFileField(
        label="模板文本文件（可多选）",
        help_text="与上传材料相同的格式：Word、PDF（须有文字层）或文本",
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    source_name = forms.CharField(
        label="来源", required=False, max_length=255, help_text="如网站名称；不填则记文件名"
    )


def _admin(request) -> None:
    if not request.user.has_role(Role.SYSTEM_ADMIN):
        raise PermissionDenied("只有系统管理员可以管理查重参考库。")


@login_required
@require_GET
def library_list(request):
    _admin(request)
    texts = (
        ReferenceText.objects.active()
        .select_related("added_by")
        .annotate(chars=Length("clean_text"))
    )
    page = Paginator(texts.order_by("-added_at", "-pk"), settings.BIHUAN_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "materials/library.html", {"page": page, "form": LibraryAddForm()})


@login_required
@require_POST
def library_add(request):
    _admin(request)
    form = LibraryAddForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要加入参考库的文件。")
        return redirect("materials:library")
    now = timezone.now()
    added, known, failed = [], [], []
    for upload in form.cleaned_data["files"]:
        try:
            reference, new = reference_add_file(
                data=upload.read(),
                filename=upload.name,
                source_name=form.cleaned_data["source_name"],
                by=request.user,
                now=now,
            )
        except DomainError as error:
            failed.append(f"{upload.name}：{error.message}")
            continue
        (added if new else known).append(reference)
    if added:
        messages.success(request, f"已加入 {len(added)} 篇：{'、'.join(r.title for r in added)}。")
    if known:
        messages.info(request, f"{len(known)} 篇已在库中：{'、'.join(r.title for r in known)}。")
    for failure in failed:
        messages.error(request, f"未能加入 {failure}")
    return redirect("materials:library")


@login_required
@require_GET
def library_text(request, pk: int):
    _admin(request)
    reference = get_object_or_404(ReferenceText.objects.select_related("added_by"), pk=pk)
    return render(request, "materials/library_text.html", {"reference": reference})


@login_required
@require_POST
def library_remove(request, pk: int):
    _admin(request)
    reference = get_object_or_404(ReferenceText, pk=pk)
    try:
        reference_remove(reference=reference, by=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已将《{reference.title}》移出参考库，此后的查重不再与它比对。")
    return redirect("materials:library")
