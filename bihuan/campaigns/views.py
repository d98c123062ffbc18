"""The campaign pages: thin views that validate, make one domain call and report back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.errors import DomainError
from bihuan.ledger.models import Problem
from bihuan.org.models import Role
from bihuan.web import act, form_errors, report
from bihuan.workflow.models import load_calendar

from . import corrections, services
from .forms import (
    CampaignEditForm,
    CampaignForm,
    RequirementEditForm,
    RequirementForm,
    UrgeForm,
    VersionForm,
    stage_edit_form,
    stage_formset,
)
from .models import Campaign, Requirement, Stage
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


# -- corrections after creation -------------------------------------------------------------


def managed_campaign(user, pk: int) -> Campaign:
    """A campaign in a path that the user runs: 404 when unseen, 403 when only seen."""
    campaign = visible_campaign(user, pk)
    if not services.may_manage(campaign, user):
        raise PermissionDenied("只有牵头单位的督查员可以修改专项活动。")
    return campaign


def _edit_page(request, campaign: Campaign, *, status: int = 200, **bound):
    """The edit page; `bound` holds the one form that was posted and refused, to show again
    with its errors (header, new_stage, or stage with stage_pk)."""
    calendar = load_calendar()
    stages = list(campaign.stages.prefetch_related("requirements"))
    requirements = (
        Requirement.objects.filter(stage__campaign=campaign)
        .select_related("stage")
        .order_by("stage__order", "pk")
    )
    context = {
        "campaign": campaign,
        "form": bound.get("header") or CampaignEditForm(user=request.user, campaign=campaign),
        "stages": [
            (
                stage,
                bound["stage"]
                if bound.get("stage_pk") == stage.pk
                else stage_edit_form(stage, campaign),
            )
            for stage in stages
        ],
        "new_stage": bound.get("new_stage") or stage_edit_form(None, campaign),
        "requirements": [(r, r.due_date(calendar)) for r in requirements],
    }
    return render(request, "campaigns/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    campaign = managed_campaign(request.user, pk)
    if request.method == "GET":
        return _edit_page(request, campaign)
    form = CampaignEditForm(request.POST, user=request.user, campaign=campaign)
    if form.is_valid():
        try:
            corrections.campaign_edit(
                campaign=campaign,
                spec=form.spec(None),
                by=request.user,
                now=timezone.now(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            report(request, error, form)
        else:
            messages.success(request, "已保存活动的修改。")
            return redirect("campaigns:edit", campaign.pk)
    return _edit_page(request, campaign, header=form, status=400)


@login_required
@require_POST
def stage_add(request, pk: int):
    campaign = managed_campaign(request.user, pk)
    form = stage_edit_form(None, campaign, request.POST)
    if form.is_valid():
        try:
            stage = corrections.stage_add(
                campaign=campaign,
                spec=form.spec(),
                by=request.user,
                now=timezone.now(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            report(request, error, form)
        else:
            messages.success(request, f"已添加第{stage.order}阶段“{stage.name}”。")
            return redirect("campaigns:edit", campaign.pk)
    return _edit_page(request, campaign, new_stage=form, status=400)


def _stage(campaign: Campaign, stage_pk: int) -> Stage:
    return get_object_or_404(Stage, pk=stage_pk, campaign=campaign)


@login_required
@require_POST
def stage_edit(request, pk: int, stage_pk: int):
    campaign = managed_campaign(request.user, pk)
    stage = _stage(campaign, stage_pk)
    form = stage_edit_form(stage, campaign, request.POST)
    if form.is_valid():
        try:
            corrections.stage_edit(
                stage=stage,
                spec=form.spec(),
                by=request.user,
                now=timezone.now(),
                calendar=load_calendar(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            report(request, error, form)
        else:
            messages.success(request, f"已保存阶段“{stage.name}”。")
            return redirect("campaigns:edit", campaign.pk)
    return _edit_page(request, campaign, stage=form, stage_pk=stage.pk, status=400)


@login_required
@require_POST
def stage_remove(request, pk: int, stage_pk: int):
    campaign = managed_campaign(request.user, pk)
    stage = _stage(campaign, stage_pk)
    form = VersionForm(request.POST)
    act(
        request,
        form,
        lambda data: corrections.stage_remove(
            stage=stage, by=request.user, now=timezone.now(), version=data["version"]
        ),
        f"已删除阶段“{stage.name}”。",
    )
    return redirect("campaigns:edit", campaign.pk)


def _requirement(campaign: Campaign, requirement_pk: int) -> Requirement:
    requirements = Requirement.objects.select_related("stage__campaign")
    return get_object_or_404(requirements, pk=requirement_pk, stage__campaign=campaign)


@login_required
@require_http_methods(["GET", "POST"])
def requirement_edit(request, pk: int, requirement_pk: int):
    campaign = managed_campaign(request.user, pk)
    requirement = _requirement(campaign, requirement_pk)
    form = RequirementEditForm.of(requirement, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.requirement_edit(
                requirement=requirement,
                stage=form.cleaned_data["stage"],
                spec=form.spec(),
                by=request.user,
                now=timezone.now(),
                calendar=load_calendar(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            report(request, error, form)
        else:
            messages.success(request, f"已保存要求“{requirement.label}”。")
            return redirect("campaigns:edit", campaign.pk)
    context = {"campaign": campaign, "requirement": requirement, "form": form}
    status = 400 if form.errors else 200
    return render(request, "campaigns/requirement_form.html", context, status=status)


@login_required
@require_POST
def requirement_remove(request, pk: int, requirement_pk: int):
    campaign = managed_campaign(request.user, pk)
    requirement = _requirement(campaign, requirement_pk)
    form = VersionForm(request.POST)
    act(
        request,
        form,
        lambda data: corrections.requirement_remove(
            requirement=requirement, by=request.user, now=timezone.now(), version=data["version"]
        ),
        f"已删除要求“{requirement.label}”。",
    )
    return redirect("campaigns:edit", campaign.pk)
