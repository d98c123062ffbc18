"""Ranking pages: the draft or published ranking of a period and group, publishing it, the rows
behind a number, 通报 from a published ranking, the workbook and the weights."""

import io
from dataclasses import asdict, dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.errors import DomainError
from bihuan.ledger.models import Measure
from bihuan.org.models import Role
from bihuan.org.views import system_admin_only
from bihuan.supervision.models import SupervisionItem
from bihuan.web import form_errors, report
from bihuan.workflow.models import LightCutoffs, load_calendar

from . import services
from .exporting import ranking_export, ranking_title
from .figures import FIGURE_LABELS, figure_items, window_for
from .forms import (
    NoticeForm,
    NoticeOptionsForm,
    RankingForm,
    RowsForm,
    WeightsForm,
)
from .models import Ranking, ScoringWeights
from .notices import NoticeDraft, NoticeKind, notice_draft, notice_write, percent, points
from .periods import month_of
from .scoring import RATES
from .selectors import published_rankings

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_SHOWN = 200


def cutoffs_at(now) -> LightCutoffs:
    return LightCutoffs(now=now, calendar=load_calendar())


def business_only(request) -> None:
    if not request.user.has_business_role:
        raise PermissionDenied("排名和报告只对业务账号开放。")


def download(data: bytes, filename: str, content_type: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=filename, content_type=content_type
    )


# The counts each rate of the score is made of: (part, whole).
RATE_FIGURES = {
    "acknowledge": ("acknowledged_on_time", "acknowledge_due"),
    "feedback": ("feedback_met", "feedback_due"),
    "on_time": ("closed_on_time", "close_due"),
    "closed": ("closed", "live"),
    "returned": ("returned", "submitted"),
}


@dataclass(frozen=True)
class Cell:
    label: str
    rate: str
    part: int
    whole: int
    part_label: str
    whole_label: str
    part_url: str
    whole_url: str
    points: str
    max_points: str


@dataclass(frozen=True)
class Shown:
    """A ranking line with each rate's counts, points and the link behind each number."""

    line: services.RankingLine
    cells: list
    links: dict


def _rows_url(table: services.RankingTable, unit_id: int, figure: str) -> str:
    query = {"period": table.period.key, "unit": unit_id, "figure": figure}
    if table.ranking is not None:
        query["as_of"] = table.as_of.isoformat()
    return f"{reverse('rankings:rows')}?{urlencode(query)}"


def _shown(table: services.RankingTable) -> list[Shown]:
    shown = []
    for line in table.lines:
        links = {name: _rows_url(table, line.unit.pk, name) for name in FIGURE_LABELS}
        cells = []
        for part in line.score.parts:
            part_name, whole_name = RATE_FIGURES[part.key]
            cells.append(
                Cell(
                    label=part.label,
                    rate=percent(part.rate),
                    part=getattr(line.figures, part_name),
                    whole=getattr(line.figures, whole_name),
                    part_label=FIGURE_LABELS[part_name],
                    whole_label=FIGURE_LABELS[whole_name],
                    part_url=links[part_name],
                    whole_url=links[whole_name],
                    points=points(part.points),
                    max_points=points(part.max_points),
                )
            )
        shown.append(Shown(line, cells, links))
    return shown


def _ranking_query(table: services.RankingTable) -> str:
    return urlencode({"period": table.period.key, "parent": table.parent.pk, "kind": table.kind})


def _ranking_context(request, table: services.RankingTable) -> dict:
    return {
        "table": table,
        "shown": _shown(table),
        "title": ranking_title(table),
        "query": _ranking_query(table),
        "may_publish": request.user.has_role(Role.SUPERVISOR),
        "notice_kinds": NoticeKind.choices,
        "rate_labels": [label for _, label, _, _ in RATES],
    }


def _published(user):
    return published_rankings(user)[:20]


@login_required
@require_GET
def index(request):
    """The ranking of a period and group: the published one, or a draft from the ledger."""
    business_only(request)
    user = request.user
    now = timezone.now()
    defaults = {
        "period": month_of(timezone.localdate(now)).key,
        "parent": user.unit_id,
        "kind": services.default_kind(user.unit),
    }
    form = RankingForm(defaults | request.GET.dict(), user=user, today=timezone.localdate(now))
    context = {"form": form, "published": _published(user)}
    if form.is_valid():
        data = form.cleaned_data
        try:
            table = services.published_or_draft(
                user=user,
                period=data["period"],
                parent=data["parent"],
                kind=data["kind"],
                cutoffs=cutoffs_at(now),
            )
        except DomainError as error:
            report(request, error, form)
        else:
            context |= _ranking_context(request, table)
    return render(request, "rankings/index.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def publish(request):
    business_only(request)
    form = RankingForm(request.POST, user=request.user)
    fields = {name: request.POST.get(name, "") for name in ("period", "parent", "kind")}
    back = f"{reverse('rankings:index')}?{urlencode(fields)}"
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    now = timezone.now()
    try:
        ranking = services.ranking_publish(
            by=request.user,
            period=form.cleaned_data["period"],
            parent=form.cleaned_data["parent"],
            kind=form.cleaned_data["kind"],
            cutoffs=cutoffs_at(now),
            now=now,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, f"已发布{ranking}。")
    return redirect(ranking)


def _visible_ranking(request, pk: int) -> Ranking:
    business_only(request)
    rankings = Ranking.objects.visible_to(request.user).select_related("parent", "published_by")
    return get_object_or_404(rankings, pk=pk)


@login_required
@require_GET
def detail(request, pk: int):
    ranking = _visible_ranking(request, pk)
    context = _ranking_context(request, services.ranking_table(ranking))
    context["published"] = _published(request.user)
    return render(request, "rankings/detail.html", context)


@login_required
@require_GET
def export(request):
    """The ranking of the period and group as a workbook: the published one, or a draft."""
    business_only(request)
    form = RankingForm(request.GET, user=request.user)
    if not form.is_valid():
        if "parent" in form.errors:
            raise Http404
        messages.error(request, form_errors(form))
        return redirect("rankings:index")
    now = timezone.now()
    data = form.cleaned_data
    try:
        table = services.published_or_draft(
            user=request.user,
            period=data["period"],
            parent=data["parent"],
            kind=data["kind"],
            cutoffs=cutoffs_at(now),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("rankings:index")
    out = io.BytesIO()
    ranking_export(table=table, by=request.user, now=now, out=out)
    return download(out.getvalue(), f"{ranking_title(table)}.xlsx", XLSX)


@login_required
@require_GET
def rows(request):
    """The measures and supervision items behind one number of a ranking."""
    business_only(request)
    form = RowsForm(request.GET, user=request.user)
    if not form.is_valid():
        if "unit" in form.errors:
            raise Http404
        return render(request, "rankings/rows.html", {"form": form}, status=400)
    data = form.cleaned_data
    now = timezone.now()
    window = window_for(data["period"], cutoffs=cutoffs_at(now), as_of=data["as_of"])
    found = {}
    for key, model, relations in (
        ("measures", Measure, ("problem", "owner_unit")),
        ("items", SupervisionItem, ("owner_unit",)),
    ):
        items = figure_items(
            model, user=request.user, unit=data["unit"], figure=data["figure"], window=window
        ).select_related(*relations)
        found[key] = list(items.order_by("owner_unit__path", "deadline", "pk")[: ROWS_SHOWN + 1])
    context = {
        "form": form,
        "unit": data["unit"],
        "period": data["period"],
        "window": window,
        "figure_label": FIGURE_LABELS[data["figure"]],
        "measures": found["measures"][:ROWS_SHOWN],
        "items": found["items"][:ROWS_SHOWN],
        "truncated": any(len(rows) > ROWS_SHOWN for rows in found.values()),
        "limit": ROWS_SHOWN,
        "ledger_url": f"{reverse('ledger:list')}?{urlencode({'unit': data['unit'].pk})}",
    }
    return render(request, "rankings/rows.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notice(request, pk: int):
    """Step 1 (GET): the draft text of a 通报 from the published ranking; step 2 (POST): the
    edited text as a .docx."""
    ranking = _visible_ranking(request, pk)
    if not request.user.has_role(Role.SUPERVISOR):
        raise PermissionDenied("只有督查员可以生成通报。")
    table = services.ranking_table(ranking)
    now = timezone.now()
    options = NoticeOptionsForm({"kind": NoticeKind.CRITICISE, "count": 3} | request.GET.dict())
    if request.method == "POST":
        form = NoticeForm(request.POST)
        if form.is_valid():
            draft = NoticeDraft(**form.cleaned_data)
            out = io.BytesIO()
            try:
                notice_write(table=table, draft=draft, by=request.user, now=now, out=out)
            except DomainError as error:
                report(request, error, form)
            else:
                return download(out.getvalue(), f"{draft.title}.docx", DOCX)
    else:
        kind, count = NoticeKind.CRITICISE, 3
        if options.is_valid():
            kind, count = options.cleaned_data["kind"], options.cleaned_data["count"]
        issuer = request.user.unit.name if request.user.unit else ranking.parent.name
        draft = notice_draft(
            table, kind=kind, count=count, issuer=issuer, today=timezone.localdate(now)
        )
        form = NoticeForm(initial=asdict(draft))
    context = {"ranking": ranking, "table": table, "options": options, "form": form}
    return render(request, "rankings/notice.html", context, status=400 if form.errors else 200)


@system_admin_only
@require_http_methods(["GET", "POST"])
def weights(request):
    current = ScoringWeights.current()
    form = WeightsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.weights_set(values=form.cleaned_data, by=request.user, now=timezone.now())
        except DomainError as error:
            report(request, error, form)
        else:
            messages.success(request, "已保存排名计分权重；已发布的排名不受影响。")
            return redirect("rankings:weights")
    context = {"form": form, "current": current}
    return render(request, "rankings/weights.html", context, status=400 if form.errors else 200)
