"""The audit admin's pages: the log with filters, the integrity check, the CSV for the auditor.

三员分立: the audit admin sees the log and nothing else; nobody else sees the log.
"""

import json
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bihuan.org.models import Role

from .chain import audit_verify
from .exporting import csv_lines
from .forms import OBJECT_TYPES, AuditFilterForm
from .models import AuditAction, AuditEntry
from .services import audit_record


def audit_admin_only(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_role(Role.AUDIT_ADMIN):
            raise PermissionDenied("只有审计管理员可以查看审计日志。")
        return view(request, *args, **kwargs)

    return wrapped


def _filtered(request) -> tuple[AuditFilterForm, dict]:
    form = AuditFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    return form, filters


def _log_page(request, *, verdict=None):
    form, filters = _filtered(request)
    entries = AuditEntry.objects.matching(**filters).order_by("-seq")
    page = Paginator(entries, settings.BIHUAN_PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.changes_text = json.dumps(entry.changes, ensure_ascii=False, indent=1)
        entry.object_label = OBJECT_TYPES.get(entry.object_type, entry.object_type)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "verdict": verdict}
    return render(request, "audit/log.html", context)


@audit_admin_only
@require_GET
def log(request):
    return _log_page(request)


@audit_admin_only
@require_POST
def verify(request):
    verdict = audit_verify()
    audit_record(
        AuditAction.VERIFY,
        actor=request.user,
        object_type="audit.auditentry",
        changes={"ok": verdict.ok, "count": verdict.count, "result": str(verdict)},
    )
    return _log_page(request, verdict=verdict)


@audit_admin_only
@require_GET
def export(request):
    """The entries the filters select, oldest first, as CSV; the export is itself recorded."""
    now = timezone.now()
    _, filters = _filtered(request)
    entries = AuditEntry.objects.matching(**filters)
    audit_record(
        AuditAction.EXPORT,
        actor=request.user,
        object_type="audit.auditentry",
        changes={"filters": filters, "rows": entries.count()},
        now=now,
    )
    response = StreamingHttpResponse(csv_lines(entries), content_type="text/csv; charset=utf-8")
    filename = f"audit-{timezone.localdate(now):%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
