"""The campaign pages: thin views that validate, make one domain call and report back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.errors import DomainError
from bihuan.ledger.models import Problem
from bihuan.org.models import Role
from bihuan.web import act, form_errors, report
from bihuan.workflow.models import load_calendar

from . import services
from .forms import CampaignForm, RequirementForm, UrgeForm, stage_formset
from .models import Campaign, Requirement
from .reminders import campaign_urge, last_urged
from .status import campaign_status
from .summary import campaign_summary_figures

PROBLEMS_SHOWN = 20


def visible_campaign(user, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(user).select_related("organiser"), pk=pk)


@login_required
@require_GET
def campaign_list(request):
    campaigns = Campaign.objects.visible_to(request.user).select_related("organiser")
    page = Paginator(campaigns, 50).get_page(request.GET.get("page"))
    return render(request, "campaigns/list.html", {"page": page, "today": timezone.localdate()})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    form = CampaignForm(request.POST or None, user=request.user)
    stages = stage_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and stages.is_valid():
        try:
            campaign = services.campaign_create(
                spec=form.spec(stages.specs(form)), by=request.user, now=timezone.now()
            )
        except DomainError as error:
            report(request, error, form)
        else:
            messages.success(request, f"已创建专项活动“{campaign}”，请设置各阶段的要求。")
            return redirect(campaign)
    status = 400 if form.errors or stages.total_error_count() else 200
    context = {"form": form, "stages": stages}
    return render(request, "campaigns/form.html", context, status=status)


@login_required
@require_GET
def campaign_detail(request, pk: int):
    campaign = visible_campaign(request.user, pk)
    today = timezone.localdate()
    status = campaign_status(
        campaign=campaign, user=request.user, today=today, calendar=load_calendar()
    )
    urged = last_urged(status)
    for cell in status.cells:
        cell.urged_at = urged.get(
            (cell.requirement.pk, cell.unit.pk, getattr(cell.person, "pk", None))
        )
    problems = (
        Problem.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("unit", "category")
    )
    may_manage = services.may_manage(campaign, request.user)
    tallies = status.tallies
    stage_rows = [
        (stage, [tally for tally in tallies if tally.requirement.stage_id == stage.pk])
        for stage in campaign.stages.all()
    ]
    context = {
        "campaign": campaign,
        "stage_rows": stage_rows,
        "status": status,
        "summary": campaign_summary_figures(campaign, request.user),
        "problems": list(problems[:PROBLEMS_SHOWN]),
        "problem_count": problems.count(),
        "may_manage": may_manage,
        "may_urge": request.user.has_role(Role.SUPERVISOR),
        "requirement_form": RequirementForm(campaign=campaign) if may_manage else None,
        "today": today,
    }
    return render(request, "campaigns/detail.html", context)


@login_required
@require_POST
def requirement_add(request, pk: int):
    campaign = visible_campaign(request.user, pk)
    form = RequirementForm(request.POST, campaign=campaign)
    act(
        request,
        form,
        lambda data: services.requirement_add(
            stage=data["stage"], spec=form.spec(), by=request.user, now=timezone.now()
        ),
        "已添加活动要求。",
    )
    return redirect(campaign)


@login_required
@require_POST
def urge(request, pk: int):
    """One click: 催办 everyone who has not yet met one requirement, or any requirement."""
    campaign = visible_campaign(request.user, pk)
    form = UrgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(campaign)
    requirement = None
    if form.cleaned_data["requirement"]:
        requirement = get_object_or_404(
            Requirement, pk=form.cleaned_data["requirement"], stage__campaign=campaign
        )
    try:
        result = campaign_urge(
            campaign=campaign,
            by=request.user,
            now=timezone.now(),
            calendar=load_calendar(),
            requirement=requirement,
            message=form.cleaned_data["message"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已催办 {result.urged} 项，通知 {result.notified} 人次。")
        if result.nobody:
            messages.warning(request, f"{'、'.join(result.nobody)}没有承办人账号，未能通知。")
    return redirect(campaign)
