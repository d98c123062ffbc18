"""Account and permission changes, and material files, leave entries; passwords never do."""

from django.urls import reverse

from bihuan.audit.models import AuditAction, AuditEntry
from bihuan.org.models import Role
from bihuan.org.services import user_create, user_reset_password, user_set_active


def entries(action, obj):
    return AuditEntry.objects.filter(
        action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


def test_granting_roles_is_a_permission_change(world):
    user = user_create(username="zheng", name="郑督查", unit=world.hexi, roles=[Role.SUPERVISOR])

    (entry,) = entries(AuditAction.PERMISSION_CHANGE, user)
    assert entry.changes["after"]["roles"] == ["supervisor"]


def test_a_password_reset_is_recorded_without_the_password(world, now):
    password = user_reset_password(user=world.li, now=now)

    (entry,) = entries(AuditAction.ACCOUNT_CHANGE, world.li)
    assert entry.changes == {"password": "reset"}
    world.li.refresh_from_db()
    stored = str(AuditEntry.objects.values_list("changes", flat=True).last())
    assert password not in stored and world.li.password not in stored


def test_stopping_an_account_is_recorded_before_and_after(world):
    user_set_active(user=world.wang, active=False)

    (entry,) = entries(AuditAction.ACCOUNT_CHANGE, world.wang)
    assert entry.changes == {"before": {"is_active": True}, "after": {"is_active": False}}
    world.wang.refresh_from_db()
    assert world.wang.is_active is False


def test_downloading_a_material_is_recorded(client, world, now):
    from bihuan.materials.services import material_upload
    from bihuan.materials.tests.materials_texts import ANALYSIS

    material = material_upload(
        data=ANALYSIS.encode(),
        filename="材料.txt",
        kind="analysis",
        author=world.sun,
        by=world.sun,
        now=now,
    )
    client.force_login(world.sun)

    client.get(reverse("materials:file", args=[material.pk]))

    assert entries(AuditAction.UPLOAD, material).count() == 1
    assert entries(AuditAction.DOWNLOAD, material).get().actor == world.sun
