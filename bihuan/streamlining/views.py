"""The 精文减会 pages: this year against last year, and the two registers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.errors import DomainError
from bihuan.org.models import Role
from bihuan.web import act, report

from . import services
from .figures import year_on_year
from .forms import DocumentForm, FiguresForm, MeetingForm, TargetForm
from .models import Document, Meeting, Target
from .services import TARGET_FIELDS

PAGE_SIZE = 50


@login_required
@require_GET
def index(request):
    user = request.user
    today = timezone.localdate()
    unit, year = user.unit, today.year
    form = FiguresForm(request.GET or None, user=user, initial={"unit": unit, "year": year})
    if form.is_valid():
        unit = form.cleaned_data["unit"] or unit
        year = form.cleaned_data["year"] or year
    if unit is None or not unit.is_visible_to(user):
        raise Http404
    target_form = None
    if user.has_role(Role.SUPERVISOR):
        own = Target.objects.filter(unit=unit, year=year).values(*TARGET_FIELDS).first()
        initial = {"unit": unit.pk, "year": year, **(own or {})}
        target_form = TargetForm(initial=initial, user=user)
    context = {
        "form": form,
        "figures": year_on_year(unit=unit, year=year, today=today),
        "target_form": target_form,
    }
    return render(request, "streamlining/index.html", context)


@login_required
@require_POST
def target_set(request):
    form = TargetForm(request.POST, user=request.user)
    act(
        request,
        form,
        lambda data: services.target_set(spec=form.spec(), by=request.user, now=timezone.now()),
        "已保存精文减会目标。",
    )
    if form.is_valid():
        unit, year = form.cleaned_data["unit"].pk, form.cleaned_data["year"]
        return redirect(f"{reverse('streamlining:index')}?unit={unit}&year={year}")
    return redirect("streamlining:index")


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request):
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_register(
                spec=form.spec(), by=request.user, now=timezone.now()
            )
        except DomainError as error:
            report(request, error, form)
        else:
            messages.success(request, f"已登记会议“{meeting}”。")
            return redirect("streamlining:meetings")
    rows = Meeting.objects.visible_to(request.user).select_related("unit", "campaign")
    context = {"form": form, "page": _page(request, rows)}
    return render(
        request, "streamlining/meetings.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def documents(request):
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_register(
                unit=data["unit"],
                number=data["number"],
                title=data["title"],
                issued_on=data["issued_on"],
                data=data["file"].read(),
                filename=data["file"].name,
                by=request.user,
                now=timezone.now(),
            )
        except DomainError as error:
            report(request, error, form)
        else:
            messages.success(request, f"已登记发文“{document}”，{document.chars} 字。")
            return redirect("streamlining:documents")
    rows = Document.objects.visible_to(request.user).select_related("unit")
    context = {"form": form, "page": _page(request, rows)}
    status = 400 if form.errors else 200
    return render(request, "streamlining/documents.html", context, status=status)


@login_required
@require_GET
def document_file(request, pk: int):
    document = get_object_or_404(Document.objects.visible_to(request.user), pk=pk)
    try:
        handle = services.document_open(document=document, by=request.user, now=timezone.now())
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.original_name)
