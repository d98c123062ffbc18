import pytest
from django.db import connection

from bihuan.audit.models import AuditEntry
from bihuan.org.models import Role
from bihuan.org.services import user_create


@pytest.fixture
def auditor(world):
    """审计管理员 郑审计: reads the log and nothing else."""
    return user_create(
        username="zheng",
        name="郑审计",
        unit=None,
        roles=[Role.AUDIT_ADMIN],
        password="Shenji#2024",
        must_change_password=False,
    )


def latest(**filters) -> AuditEntry:
    return AuditEntry.objects.filter(**filters).order_by("-seq").first()


def tamper(sql: str, params: list) -> None:
    """An attacker with database access: the append-only trigger out of the way (inside the
    test's transaction, so it comes back afterwards), then a raw statement."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")
        else:
            # Foreign key checks still pending in the transaction would block the ALTER.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_guard")
        cursor.execute(sql, params)
