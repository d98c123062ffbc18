"""The 督办 pages: thin views that validate, make one domain call and report back."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.duties.gate import HELD_MESSAGE, UNLISTED
from bihuan.errors import DomainError
from bihuan.ledger.forms import CommentForm, DecisionForm, ExtensionForm, ProgressForm
from bihuan.ledger.services import evidence_open
from bihuan.org.models import Role, Unit
from bihuan.org.views import system_admin_only
from bihuan.web import act, report
from bihuan.workflow.models import LightCutoffs, load_calendar
from bihuan.workflow.states import Action, Actor, State

from . import services
from .figures import supervision_by_unit
from .forms import EscalationRulesForm, ItemFilterForm, ItemForm, TextForm
from .models import (
    PARTNER_OPEN,
    EscalationRule,
    SupervisionEvidence,
    SupervisionExtensionRequest,
    SupervisionItem,
)
from .selectors import ItemFilters, item_detail, supervision_items, visible_item, visible_part


def _page(request, queryset):
    return Paginator(queryset, settings.BIHUAN_PAGE_SIZE).get_page(request.GET.get("page"))


def _done(request, item_pk: int, call, success: str, form=None):
    """One domain call from a posted form, reported on the item's page."""
    act(request, form, call, success)
    return redirect("supervision:detail", item_pk)


@login_required
@require_GET
def item_list(request):
    now = timezone.now()
    calendar = load_calendar()
    form = ItemFilterForm(request.GET or None, user=request.user)
    filters = form.filters() if form.is_valid() else ItemFilters()
    items = supervision_items(
        user=request.user, filters=filters, cutoffs=LightCutoffs(now=now, calendar=calendar)
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": _page(request, items),
        "calendar": calendar,
        "query": query.urlencode(),
    }
    template = "supervision/list.html#table" if request.htmx else "supervision/list.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request):
    form = ItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                spec=form.spec(),
                by=request.user,
                now=timezone.now(),
                calendar=load_calendar(),
                assign=form.cleaned_data["assign"],
                duty=form.cleaned_data["duty"],
            )
        except DomainError as error:
            report(request, error, form)
        else:
            done = "已登记并交办" if item.state == State.PENDING else "已登记，核对后请交办"
            if item.state == State.DRAFT and form.cleaned_data["assign"]:
                done = f"{HELD_MESSAGE}已登记"
            messages.success(request, f"{done}督办事项“{item.title}”。")
            return redirect("supervision:detail", item.pk)
    status = 400 if form.errors else 200
    return render(request, "supervision/item_form.html", {"form": form}, status=status)


@login_required
@require_GET
def item_page(request, pk: int):
    calendar = load_calendar()
    cutoffs = LightCutoffs(now=timezone.now(), calendar=calendar)
    user = request.user
    item = item_detail(user=user, pk=pk, cutoffs=cutoffs)
    parts = list(item.partner_parts.all())
    for part in parts:
        part.may_report = item.state in (State.PENDING, State.IN_PROGRESS) and (
            services.may_act_for(part, user)
        )
        part.may_waive = (
            item.state in (State.PENDING, State.IN_PROGRESS)
            and part.state in PARTNER_OPEN
            and item.may(user, Actor.ASSIGNER)
        )
    extensions = list(item.extension_requests.all())
    for extension in extensions:
        extension.decide_by = services.extension_decide_by(extension, calendar)
    context = {
        "item": item,
        "parts": parts,
        "waiting_parts": [part.unit.name for part in parts if not part.is_done],
        "actions": [(a.value, item.action_label(a)) for a in item.allowed_actions(user)],
        "may_review": item.may(user, Actor.ASSIGNER),
        "may_decide": user.has_role(Role.LEADER) and item.may(user, Actor.REVIEWER),
        "extensions": extensions,
        "calendar": calendar,
        "max_mb": settings.BIHUAN_EVIDENCE_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "supervision/item_detail.html", context)


@login_required
@require_POST
def item_transition(request, pk: int, action: str):
    item = visible_item(request.user, pk)
    label = item.action_label(action) if action in Action.values else action
    duty = request.POST.get("duty", "")
    return _done(
        request,
        item.pk,
        lambda data: services.item_transition(
            item=item,
            action=action,
            by=request.user,
            now=timezone.now(),
            calendar=load_calendar(),
            comment=data["comment"],
            duty=duty,
        ),
        HELD_MESSAGE if duty == UNLISTED else f"已{label}。",
        CommentForm(request.POST),
    )


@login_required
@require_POST
def progress_post(request, pk: int):
    item = visible_item(request.user, pk)
    return _done(
        request,
        item.pk,
        lambda data: services.progress_post(
            item=item,
            by=request.user,
            now=timezone.now(),
            text=data["text"],
            files=data["files"],
        ),
        "办理进展已提交。",
        ProgressForm(request.POST, request.FILES),
    )


@login_required
@require_GET
def evidence_download(request, pk: int):
    """A progress report's evidence, for whoever sees its item; the download is audited."""
    evidence = get_object_or_404(SupervisionEvidence.objects.visible_to(request.user), pk=pk)
    try:
        handle = evidence_open(evidence=evidence, by=request.user, now=timezone.now())
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@login_required
@require_POST
def partner_acknowledge(request, pk: int, part: int):
    found = visible_part(request.user, pk, part)
    return _done(
        request,
        pk,
        lambda data: services.partner_acknowledge(
            part=found, by=request.user, now=timezone.now(), calendar=load_calendar()
        ),
        f"{found.unit}已签收。",
    )


@login_required
@require_POST
def partner_report(request, pk: int, part: int):
    found = visible_part(request.user, pk, part)
    return _done(
        request,
        pk,
        lambda data: services.partner_report(
            part=found,
            by=request.user,
            now=timezone.now(),
            calendar=load_calendar(),
            text=data["text"],
        ),
        f"{found.unit}的办理情况已反馈。",
        TextForm(request.POST),
    )


@login_required
@require_POST
def partner_waive(request, pk: int, part: int):
    found = visible_part(request.user, pk, part)
    return _done(
        request,
        pk,
        lambda data: services.partner_waive(
            part=found, by=request.user, now=timezone.now(), reason=data["comment"]
        ),
        f"已免予{found.unit}反馈。",
        CommentForm(request.POST),
    )


@login_required
@require_POST
def extension_request(request, pk: int):
    item = visible_item(request.user, pk)
    return _done(
        request,
        item.pk,
        lambda data: services.extension_request(
            item=item,
            by=request.user,
            now=timezone.now(),
            new_deadline=data["new_deadline"],
            reason=data["reason"],
        ),
        "延期申请已提交，等待审批。",
        ExtensionForm(request.POST),
    )


def _extension(request, pk: int) -> SupervisionExtensionRequest:
    return get_object_or_404(
        SupervisionExtensionRequest.objects.visible_to(request.user).select_related(
            "item__owner_unit", "item__assigning_unit", "item__owner"
        ),
        pk=pk,
    )


@login_required
@require_POST
def extension_review(request, pk: int):
    """初审 by the assigning unit's supervisor."""
    return _extension_step(request, pk, services.extension_review, "已完成延期申请初审。")


@login_required
@require_POST
def extension_decide(request, pk: int):
    """审批 by the assigning unit's leader, after 初审."""
    return _extension_step(request, pk, services.extension_decide, "已审批延期申请。")


def _extension_step(request, pk: int, step, success: str):
    """初审 or 审批 of a visible extension request, from the posted decision form."""
    extension = _extension(request, pk)
    return _done(
        request,
        extension.item_id,
        lambda data: step(
            request=extension,
            by=request.user,
            now=timezone.now(),
            approve=data["approve"],
            comment=data["comment"],
        ),
        success,
        DecisionForm(request.POST),
    )


@login_required
@require_GET
def stats(request):
    """督办统计: per lead unit below the user's, the timeliness and feedback figures."""
    user = request.user
    cutoffs = LightCutoffs(now=timezone.now(), calendar=load_calendar())
    children = Unit.objects.visible_to(user).filter(parent_id=user.unit_id)
    table = supervision_by_unit(
        SupervisionItem.objects.visible_to(user),
        units=list(children.order_by("order", "path")),
        own_items_of=user.unit if user.has_business_role else None,
        cutoffs=cutoffs,
    )
    return render(request, "supervision/stats.html", {"table": table})


@login_required
@require_POST
def escalate(request):
    """升级督办 now, by the rules, for the items the supervisor assigns (as `bihuan escalate`)."""
    if not request.user.has_role(Role.SUPERVISOR):
        messages.error(request, "只有督查员可以升级督办。")
        return redirect("supervision:list")
    raised = services.escalate(
        items=SupervisionItem.objects.visible_to(request.user), by=request.user, now=timezone.now()
    )
    messages.success(request, f"已按升级规则升级 {len(raised)} 项督办事项。")
    return redirect("supervision:list")


@system_admin_only
@require_http_methods(["GET", "POST"])
def escalation_rules(request):
    current = {rule.level: rule for rule in EscalationRule.objects.all()}
    form = EscalationRulesForm(request.POST or None, rules=current)
    if request.method == "POST" and form.is_valid():
        services.escalation_rules_set(rules=form.rules(), by=request.user, now=timezone.now())
        messages.success(request, "已保存督办升级规则。")
        return redirect("supervision:escalation_rules")
    status = 400 if form.errors else 200
    context = {"form": form, "rules": EscalationRule.objects.all()}
    return render(request, "supervision/escalation_rules.html", context, status=status)
