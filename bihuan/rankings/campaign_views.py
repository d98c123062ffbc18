"""活动总结 pages: the campaign's figures and the draft to edit (GET), the .docx (POST), the .xlsx
annex. Only for users who see the campaign: any other id is 404."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from bihuan.campaigns.models import Campaign
from bihuan.errors import DomainError
from bihuan.web import form_errors, report
from bihuan.workflow.models import load_calendar

from . import summary
from .campaign_summary import (
    SummaryDraft,
    campaign_summary_data,
    summary_annex_write,
    summary_draft,
    summary_title,
    summary_unit,
    summary_write,
)
from .forms import CampaignSummaryForm, CampaignSummaryOptionsForm
from .letterhead import default_mark
from .views import DOCX, XLSX, business_only, cutoffs_at, download


def _campaign(request, pk: int) -> Campaign:
    business_only(request)
    campaigns = Campaign.objects.visible_to(request.user).select_related("organiser")
    return get_object_or_404(campaigns, pk=pk)


def _summary(request, campaign, unit, *, now, case_ids=()):
    return campaign_summary_data(
        user=request.user,
        campaign=campaign,
        unit=unit or summary_unit(campaign, request.user),
        cutoffs=cutoffs_at(now),
        calendar=load_calendar(),
        case_ids=case_ids,
    )


def _page(request, campaign, context, *, status=200):
    return render(
        request, "rankings/campaign_summary.html", {"campaign": campaign, **context}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_summary(request, pk: int):
    """Step 1 (GET): the figures, the cases to pick and the draft text; step 2 (POST): the
    edited text as a .docx."""
    campaign = _campaign(request, pk)
    user, now = request.user, timezone.now()
    if request.method == "POST":
        form = CampaignSummaryForm(request.POST, user=user)
        options = CampaignSummaryOptionsForm({"unit": request.POST.get("unit")}, user=user)
        if not form.is_valid():
            if "unit" in form.errors:
                raise Http404
            return _page(request, campaign, {"form": form, "options": options}, status=400)
        data = form.cleaned_data
        try:
            found = _summary(request, campaign, data["unit"], now=now)
            draft = SummaryDraft(
                title=data["title"],
                recipients=data["recipients"],
                body=data["body"],
                issuer=data["issuer"],
                date=data["date"],
                with_table=data["with_table"],
                letterhead=form.letterhead(data["issuer"]),
            )
            out = io.BytesIO()
            summary_write(user=user, summary=found, draft=draft, now=now, out=out)
        except DomainError as error:
            report(request, error, form)
            context = {"form": form, "options": options}
            return _page(request, campaign, context, status=error.status)
        return download(out.getvalue(), f"{draft.title}.docx", DOCX)
    options = CampaignSummaryOptionsForm(request.GET, user=user)
    if not options.is_valid():
        if "unit" in options.errors:
            raise Http404
        return _page(request, campaign, {"options": options}, status=400)
    try:
        found = _summary(
            request, campaign, options.cleaned_data["unit"], now=now,
            case_ids=options.cleaned_data["cases"],
        )  # fmt: skip
    except DomainError as error:
        report(request, error, options)
        return _page(request, campaign, {"options": options}, status=error.status)
    draft = summary_draft(found)
    form = CampaignSummaryForm(
        initial={
            "unit": found.unit.pk,
            "title": draft.title,
            "recipients": draft.recipients,
            "body": draft.body,
            "issuer": draft.issuer,
            "date": draft.date,
            "with_table": True,
            "mark": default_mark(draft.issuer),
        },
        user=user,
    )
    context = {
        "options": options,
        "form": form,
        "summary": found,
        "cases": summary.case_choices(
            user=user, unit=found.unit, period=found.report.period, cutoffs=cutoffs_at(now)
        ),
        "picked": set(options.cleaned_data["cases"]),
        "annex_query": urlencode({"unit": found.unit.pk}),
    }
    return _page(request, campaign, context)


@login_required
@require_GET
def campaign_summary_annex(request, pk: int):
    campaign = _campaign(request, pk)
    now = timezone.now()
    options = CampaignSummaryOptionsForm(request.GET, user=request.user)
    if not options.is_valid():
        if "unit" in options.errors:
            raise Http404
        messages.error(request, form_errors(options))
        return redirect("rankings:campaign_summary", pk=campaign.pk)
    try:
        found = _summary(request, campaign, options.cleaned_data["unit"], now=now)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("rankings:campaign_summary", pk=campaign.pk)
    out = io.BytesIO()
    summary_annex_write(user=request.user, summary=found, now=now, out=out)
    return download(out.getvalue(), f"{summary_title(found)}（附件）.xlsx", XLSX)
