"""整改落实情况报告 pages: the figures and the typical cases to pick, the .docx, the .xlsx annex."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from bihuan.errors import DomainError
from bihuan.web import form_errors, report

from . import summary, summary_annex
from .forms import ReportDocumentForm, ReportForm
from .periods import month_of
from .views import DOCX, XLSX, business_only, cutoffs_at, download


def _report_form(request, form_class, data, *, now):
    user = request.user
    today = timezone.localdate(now)
    defaults = {"unit": user.unit_id, "period": month_of(today).key}
    return form_class(defaults | data, user=user, today=today)


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request):
    """整改落实情况报告: the figures for a unit and period and the typical cases to pick (GET),
    the .docx (POST); the .xlsx annex is `report_annex`."""
    business_only(request)
    user = request.user
    now = timezone.now()
    posted = request.method == "POST"
    if posted:
        form = ReportDocumentForm(request.POST, user=user)
    else:
        form = _report_form(request, ReportDocumentForm, request.GET.dict(), now=now)
    if not form.is_valid():
        if "unit" in form.errors and form.data.get("unit"):
            raise Http404
        return render(request, "rankings/report.html", {"form": form}, status=400)
    data = form.cleaned_data
    cutoffs = cutoffs_at(now)
    try:
        found = summary.report_data(
            user=user,
            unit=data["unit"],
            period=data["period"],
            cutoffs=cutoffs,
            case_ids=data["cases"] if posted else (),
        )
        if posted:
            out = io.BytesIO()
            summary.report_write(
                user=user,
                report=found,
                now=now,
                out=out,
                recipients=data["recipients"],
                issuer=data["issuer"] or found.unit.name,
                letterhead=form.letterhead(data["issuer"] or found.unit.name),
            )
            return download(out.getvalue(), f"{summary.report_title(found)}.docx", DOCX)
    except DomainError as error:
        report(request, error, form)
        return render(request, "rankings/report.html", {"form": form}, status=400)
    context = {
        "form": form,
        "report": found,
        "cases": summary.case_choices(
            user=user, unit=data["unit"], period=data["period"], cutoffs=cutoffs
        ),
        "recipients": data["recipients"] or summary.default_recipients(data["unit"]),
        "issuer": data["issuer"] or data["unit"].name,
        "query": urlencode({"unit": data["unit"].pk, "period": data["period"].key}),
    }
    return render(request, "rankings/report.html", context)


@login_required
@require_GET
def report_annex(request):
    business_only(request)
    now = timezone.now()
    form = _report_form(request, ReportForm, request.GET.dict(), now=now)
    if not form.is_valid():
        if "unit" in form.errors:
            raise Http404
        messages.error(request, form_errors(form))
        return redirect("rankings:report")
    try:
        found = summary.report_data(
            user=request.user,
            unit=form.cleaned_data["unit"],
            period=form.cleaned_data["period"],
            cutoffs=cutoffs_at(now),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("rankings:report")
    out = io.BytesIO()
    summary_annex.annex_write(user=request.user, report=found, now=now, out=out)
    return download(out.getvalue(), f"{summary.report_title(found)}（附件）.xlsx", XLSX)
