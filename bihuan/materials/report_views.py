"""The 查重 report pages: materials above the 复制比 threshold per campaign (supervisors), and
problems that came back (年年提、年年改) per unit, each within the viewer's scope."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bihuan.forms import StyledForm, UnitChoiceField
from bihuan.org.models import Role, Unit

from .groups import GroupFilter, group_q
from .recurrence import linked
from .reports import copied_by_campaign, recurrences_visible


class CopiedFilter(GroupFilter):
    threshold = forms.IntegerField(
        label="复制比不低于（%）", required=False, min_value=1, max_value=100
    )


@login_required
@require_GET
def dupcheck_report(request):
    if not request.user.has_role(Role.SUPERVISOR):
        raise PermissionDenied("只有督查员可以查看各活动的查重情况。")
    form = CopiedFilter(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    percent = data.get("threshold") or settings.BIHUAN_DUPCHECK_THRESHOLD_PERCENT
    campaigns = copied_by_campaign(request.user, percent=percent, condition=group_q(data))
    return render(
        request,
        "materials/dupcheck_report.html",
        {"form": form, "percent": percent, "campaigns": campaigns},
    )


class RecurrenceFilter(StyledForm):
    unit = UnitChoiceField(
        label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部"
    )
    year = forms.IntegerField(label="登记年度", required=False, min_value=2000, max_value=2100)
    closed_only = forms.BooleanField(
        label="只看销号后再次出现的",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user)


@login_required
@require_GET
def recurrence_report(request):
    if not request.user.has_business_role:
        raise PermissionDenied("系统管理员不查看业务数据。")
    form = RecurrenceFilter(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    links = recurrences_visible(
        request.user,
        unit=data.get("unit"),
        year=data.get("year"),
        closed_only=bool(data.get("closed_only")),
    )
    units = (
        links.order_by("problem__unit__path")
        .values("problem__unit__path", "problem__unit__name")
        .annotate(problems=Count("problem", distinct=True), links=Count("pk"))
    )
    page = Paginator(links, settings.BIHUAN_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = linked(list(page.object_list), request.user, other=lambda link: link.earlier)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "materials/recurrences.html",
        {"form": form, "units": units, "page": page, "rows": rows, "query": query.urlencode()},
    )
