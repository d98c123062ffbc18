from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.errors import DomainError
from bihuan.ledger.forms import LedgerFilterForm
from bihuan.ledger.selectors import LedgerFilters, ledger_measures
from bihuan.org.models import Role
from bihuan.org.views import system_admin_only
from bihuan.supervision.forms import ItemFilterForm
from bihuan.supervision.selectors import ItemFilters, supervision_items
from bihuan.workflow.models import LightCutoffs, load_calendar

from . import configure, services
from .delivery import delivery_retry
from .forms import ChannelForm, UrgeForm
from .items import URGEABLE_STATES, tracked_model
from .models import Delivery, DeliveryStatus, Notification, UnitChannel


@login_required
@require_GET
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user)
    page = Paginator(notifications, settings.BIHUAN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notify/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark one notification read; with `open`, go on to its item."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_read(notification=notification, by=request.user, now=timezone.now())
    safe = url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None)
    if request.POST.get("open") and safe:
        return redirect(notification.link)
    return redirect("notify:list")


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_read_all(by=request.user, now=timezone.now())
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("notify:list")


@login_required
@require_POST
def urge_item(request, model: str, pk: int):
    """催办 one item of any tracked kind, from its card."""
    tracked = tracked_model(model)
    if tracked is None:
        raise Http404
    items = tracked.objects.visible_to(request.user).select_related("owner", *tracked.scope_fields)
    item = get_object_or_404(items, pk=pk)
    form = UrgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["message"]))
    else:
        try:
            result = services.urge(
                items=[item],
                by=request.user,
                now=timezone.now(),
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"已催办，通知 {result.notified} 人。")
            if not result.notified:
                messages.warning(
                    request, "责任单位没有承办人账号，也未指定责任人，催办只记入办理记录。"
                )
    return redirect(item.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def urge_measures(request):
    """催办 every measure of the ledger list's current filter: a page that says how many,
    then one POST. The filter travels in the query string, the message in the form."""
    back = f"{reverse('ledger:list')}?{request.GET.urlencode()}"
    filter_form = LedgerFilterForm(request.GET or None, user=request.user)

    def items(cutoffs):
        filters = filter_form.filters() if filter_form.is_bound else LedgerFilters()
        return ledger_measures(user=request.user, filters=filters, cutoffs=cutoffs)

    return _urge_list(
        request,
        filter_form=filter_form,
        items=items,
        back=back,
        where="整改台账",
        noun="措施",
        row=lambda m: (
            f"{m.owner_unit}：{m.text[:60]}（{m.get_state_display()}，{m.deadline_label()}）"
        ),
        action=reverse("notify:urge_measures"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def urge_supervision(request):
    """催办 every 督办事项 of the 督办台账's current filter, as `urge_measures` does."""
    back = f"{reverse('supervision:list')}?{request.GET.urlencode()}"
    filter_form = ItemFilterForm(request.GET or None, user=request.user)

    def items(cutoffs):
        filters = filter_form.filters() if filter_form.is_bound else ItemFilters()
        return supervision_items(user=request.user, filters=filters, cutoffs=cutoffs)

    return _urge_list(
        request,
        filter_form=filter_form,
        items=items,
        back=back,
        where="督办台账",
        noun="督办事项",
        row=lambda i: (
            f"{i.owner_unit}：{i.title[:60]}（{i.get_state_display()}，{i.deadline_label()}）"
        ),
        action=reverse("notify:urge_supervision"),
    )


def _urge_list(request, *, filter_form, items, back, where, noun, row, action):
    if not request.user.has_role(Role.SUPERVISOR):
        raise PermissionDenied("只有督查员可以催办。")
    if filter_form.is_bound and not filter_form.is_valid():
        messages.error(request, f"筛选条件有误，请在{where}页重新筛选。")
        return redirect(back)
    now = timezone.now()
    cutoffs = LightCutoffs(now=now, calendar=load_calendar())
    urgeable = items(cutoffs).filter(state__in=URGEABLE_STATES)
    count = urgeable.count()
    form = UrgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.urge(
                items=list(urgeable[: settings.BIHUAN_URGE_MAX_ITEMS + 1]),
                by=request.user,
                now=now,
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, f"已催办 {result.urged} 项{noun}，通知 {result.notified} 人。"
            )
            return redirect(back)
    context = {
        "form": form,
        "count": count,
        "limit": settings.BIHUAN_URGE_MAX_ITEMS,
        "sample": [row(item) for item in urgeable[:10]],
        "query": request.GET.urlencode(),
        "back": back,
        "where": where,
        "noun": noun,
        "action": action,
    }
    return render(request, "notify/urge_list.html", context)


def _channels_page(request, *, form=None, status=200):
    channels = UnitChannel.objects.select_related("unit").annotate(
        pending=Count("deliveries", filter=_status(DeliveryStatus.PENDING)),
        failed=Count("deliveries", filter=_status(DeliveryStatus.FAILED)),
    )
    # What the admin sees of a delivery: where, when and why it failed, never its text.
    troubled = (
        Delivery.objects.exclude(status=DeliveryStatus.SENT)
        .filter(attempts__gt=0)
        .select_related("channel__unit")
        .order_by("-status", "next_attempt_at")[:100]
    )
    context = {
        "channels": channels,
        "troubled": troubled,
        "form": form or ChannelForm(),
        "max_attempts": settings.BIHUAN_DELIVERY_MAX_ATTEMPTS,
    }
    return render(request, "notify/channels.html", context, status=status)


def _status(status: str) -> Q:
    return Q(deliveries__status=status)


@system_admin_only
@require_http_methods(["GET", "POST"])
def channels(request):
    if request.method == "GET":
        return _channels_page(request)
    form = ChannelForm(request.POST)
    if form.is_valid():
        try:
            channel = configure.channel_add(
                **form.cleaned_data, by=request.user, now=timezone.now()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已为{channel.unit}添加{channel.get_kind_display()}。")
            return redirect("notify:channels")
    return _channels_page(request, form=form, status=400)


@system_admin_only
@require_POST
def channel_toggle(request, pk: int):
    channel = get_object_or_404(UnitChannel.objects.select_related("unit"), pk=pk)
    configure.channel_set_active(
        channel=channel, active=not channel.is_active, by=request.user, now=timezone.now()
    )
    messages.success(request, f"已{'启用' if channel.is_active else '停用'}{channel}。")
    return redirect("notify:channels")


@system_admin_only
@require_POST
def channel_test(request, pk: int):
    channel = get_object_or_404(UnitChannel.objects.select_related("unit"), pk=pk)
    try:
        configure.channel_test(channel=channel, by=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"测试消息已排队，将由发送进程发往{channel}。")
    return redirect("notify:channels")


@system_admin_only
@require_POST
def delivery_resend(request, pk: int):
    delivery = get_object_or_404(Delivery, pk=pk)
    try:
        delivery_retry(delivery=delivery, by=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已重新排队发送。")
    return redirect("notify:channels")
