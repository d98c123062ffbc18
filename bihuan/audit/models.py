import datetime as dt
import json

from django.conf import settings
from django.db import models

from .hashing import digest


class AppendOnlyError(RuntimeError):
    """An attempt to change or remove an audit entry through the ORM."""


class AuditAction(models.TextChoices):
    LOGIN = "login", "登录"
    LOGOUT = "logout", "退出"
    LOGIN_FAILED = "login_failed", "登录失败"
    CREATE = "create", "新增"
    CHANGE = "change", "修改"
    TRANSITION = "transition", "流转"
    UPLOAD = "upload", "上传"
    IMPORT = "import", "导入"
    EXPORT = "export", "导出"
    DOWNLOAD = "download", "下载"
    PERMISSION_CHANGE = "permission_change", "权限变更"
    ACCOUNT_CHANGE = "account_change", "账号变更"
    VERIFY = "verify", "校验审计日志"
    PRUNE = "prune", "清理审计日志"
    BACKUP = "backup", "备份"
    RESTORE = "restore", "恢复"


REFUSAL = "审计日志只能追加，不能修改或删除。"


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(REFUSAL)

    def delete(self):
        raise AppendOnlyError(REFUSAL)

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能由 audit_record 逐条写入。")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError(REFUSAL)

    def matching(
        self,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        actor: str = "",
        action: str = "",
        object_type: str = "",
    ) -> "AuditEntryQuerySet":
        """The audit admin's filters; `until` is exclusive."""
        entries = self
        if since is not None:
            entries = entries.filter(at__gte=since)
        if until is not None:
            entries = entries.filter(at__lt=until)
        if actor:
            entries = entries.filter(actor_name__icontains=actor)
        if action:
            entries = entries.filter(action=action)
        if object_type:
            entries = entries.filter(object_type=object_type)
        return entries


class AuditEntry(models.Model):
    """One audited event, chained to the one before it by `prev_hash`.

    Written only by `audit_record`; refused by the model here and by a trigger in the database
    when anyone tries to change or delete it.
    """

    seq = models.PositiveBigIntegerField("序号", primary_key=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as written: a later rename of the account must not rewrite history.
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    ip = models.CharField("来源地址", max_length=45, blank=True)
    user_agent = models.CharField("客户端", max_length=200, blank=True)
    action = models.CharField("操作", max_length=30, choices=AuditAction.choices)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    algorithm = models.CharField("哈希算法", max_length=10)
    prev_hash = models.CharField("前一条哈希", max_length=64, blank=True)
    hash = models.CharField("哈希", max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["action", "at"], name="audit_entry_action_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_entry_object"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(REFUSAL)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(REFUSAL)

    def canonical(self) -> bytes:
        """The entry's fields as canonical JSON: the bytes its hash covers."""
        fields = {
            "seq": self.seq,
            "at": self.at.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "ip": self.ip,
            "user_agent": self.user_agent,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changes": self.changes,
            "algorithm": self.algorithm,
        }
        text = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return text.encode()

    def compute_hash(self) -> str:
        return digest(self.algorithm, self.prev_hash.encode("ascii") + self.canonical())

    @property
    def step_label(self) -> str:
        """The workflow step of a transition or change (交办, 签收 …), in words."""
        from bihuan.workflow.states import Action

        step = self.changes.get("step", "") if isinstance(self.changes, dict) else ""
        return Action(step).label if step in Action.values else step


class AuditHead(models.Model):
    """The chain's one head row: the last entry, and how far the log has been pruned.

    Writers lock it (SELECT … FOR UPDATE) so two of them never chain to the same entry. Its table
    is created by the migration, not by Django, so a test database's flush keeps it, the way a
    sequence keeps counting; its trigger lets it only move forward.
    """

    ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True)
    last_seq = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    # Entries up to here were pruned; the first entry kept chains to `pruned_hash`.
    pruned_seq = models.BigIntegerField()
    pruned_hash = models.CharField(max_length=64)

    class Meta:
        managed = False
        db_table = "audit_audithead"

    def __str__(self) -> str:
        return f"审计日志链头 #{self.last_seq}"
