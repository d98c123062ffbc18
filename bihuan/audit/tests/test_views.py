"""The audit admin's page: the log and nothing else, for the audit admin and nobody else."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bihuan.audit.models import AuditAction, AuditEntry
from bihuan.audit.services import audit_record

from .conftest import tamper


@pytest.fixture
def as_auditor(client, auditor):
    client.force_login(auditor)
    return client


@pytest.mark.parametrize("name", ["audit:log", "audit:export"])
def test_a_supervisor_is_refused_the_log(client, world, name):
    client.force_login(world.zhou)

    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("audit:verify")).status_code == 403


def test_the_system_admin_is_refused_the_log_too(client, world):
    client.force_login(world.wu)

    assert client.get(reverse("audit:log")).status_code == 403


def test_the_audit_admin_sees_the_entries_and_the_nav_link(as_auditor, world, assigned):
    page = as_auditor.get(reverse("audit:log")).content.decode()

    assert "流转 · 交办" in page
    assert "周督查（zhou）" in page
    assert 'href="/audit/"' in page
    assert "整改台账" not in page  # no business navigation


def test_the_filters_narrow_the_list(as_auditor, world, assigned):
    response = as_auditor.get(reverse("audit:log"), {"action": "transition", "actor": "zhou"})

    entries = list(response.context["page"])
    assert entries and {e.action for e in entries} == {AuditAction.TRANSITION}


def test_the_list_runs_the_same_queries_however_many_entries(
    as_auditor, world, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        as_auditor.get(reverse("audit:log"))
    for number in range(30):
        audit_record(
            AuditAction.EXPORT, actor=world.zhou, object_type="test", changes={"n": number}
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        as_auditor.get(reverse("audit:log"))


def test_the_integrity_button_shows_the_result(as_auditor, world, assigned):
    page = as_auditor.post(reverse("audit:verify")).content.decode()

    assert "审计日志完整" in page
    assert AuditEntry.objects.order_by("-seq").first().action == AuditAction.VERIFY


def test_the_integrity_button_names_a_tampered_entry(as_auditor, world, assigned):
    victim = AuditEntry.objects.filter(action=AuditAction.TRANSITION).get()
    tamper("UPDATE audit_auditentry SET ip = %s WHERE seq = %s", ["10.0.0.1", victim.seq])

    page = as_auditor.post(reverse("audit:verify")).content.decode()

    assert "已被篡改或损坏" in page and f"第 {victim.seq} 条" in page


def test_the_csv_export_neutralises_formulas(as_auditor, world):
    audit_record(AuditAction.LOGIN_FAILED, actor=None, object_repr='=HYPERLINK("http://x")')

    response = as_auditor.get(reverse("audit:export"))

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert response["Content-Disposition"].startswith("attachment;")
    assert rows[0][0] == "序号"
    assert '\'=HYPERLINK("http://x")' in [row[9] for row in rows[1:]]
    assert AuditEntry.objects.order_by("-seq").first().action == AuditAction.EXPORT
