import hashlib
import secrets
from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models, transaction
from django.utils.crypto import salted_hmac


class UnitKind(models.TextChoices):
    COUNTY = "county", "县"
    DEPARTMENT = "department", "部门"
    TOWNSHIP = "township", "乡镇"
    VILLAGE = "village", "村·社区"
    SECTION = "section", "科室"


class UnitQuerySet(models.QuerySet):
    def subtree_of(self, unit: "Unit") -> "UnitQuerySet":
        return self.filter(path__startswith=unit.path)

    def visible_to(self, user: "User") -> "UnitQuerySet":
        """The one scope rule: a user with a business role sees their unit's subtree, nothing else.

        Every read of business data (views, API, exports) filters through this queryset.
        """
        if not user.is_authenticated or user.unit_id is None or not user.has_business_role:
            return self.none()
        return self.filter(path__startswith=user.unit.path)


class UnitManager(models.Manager.from_queryset(UnitQuerySet)):  # type: ignore[misc]
    def add(self, *, name: str, kind: str, parent: "Unit | None" = None, **fields) -> "Unit":
        with transaction.atomic():
            unit = self.create(name=name, kind=kind, parent=parent, path="", **fields)
            # The path needs the primary key, which exists only after the insert.
            unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
            unit.save(update_fields=["path"])
        return unit


class Unit(models.Model):
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类型", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys ("/1/4/17/"): a subtree is one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    objects = UnitManager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]
        indexes = [
            models.Index(
                fields=["path"], name="org_unit_path_like", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def contains(self, other: "Unit") -> bool:
        return other.path.startswith(self.path)

    def is_visible_to(self, user: "User") -> bool:
        """The scope rule of `UnitQuerySet.visible_to`, for one unit already in memory."""
        return (
            user.is_authenticated
            and user.unit is not None
            and user.has_business_role
            and user.unit.contains(self)
        )


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", "督查员"
    HANDLER = "handler", "承办人"
    LEADER = "leader", "领导"
    CADRE = "cadre", "干部"
    SYSTEM_ADMIN = "sysadmin", "系统管理员"
    SECURITY_ADMIN = "secadmin", "安全管理员"
    AUDIT_ADMIN = "auditadmin", "审计管理员"


BUSINESS_ROLES = frozenset({Role.SUPERVISOR, Role.HANDLER, Role.LEADER, Role.CADRE})
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class User(AbstractUser):
    name = models.CharField("姓名", max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="所在单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    title = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    # An initial or reset password was chosen by someone else: its owner replaces it first.
    must_change_password = models.BooleanField("须修改密码", default=False)
    # Null until the owner first changes it: the password then dates from `date_joined`.
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Part of the session hash: raising it ends every session of the user (退出所有设备).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.name or self.username

    def _get_session_auth_hash(self, secret=None):
        return salted_hmac(
            "bihuan.org.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def has_business_role(self) -> bool:
        return not self.roles.isdisjoint(BUSINESS_ROLES)

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in Role.values if role in self.roles]


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色授予"
        verbose_name_plural = "角色授予"
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="org_rolegrant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()}"


class PasswordHistory(models.Model):
    """A password the user had before, as its hash: the last few may not come back."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    replaced_at = models.DateTimeField("停用时间")

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        indexes = [models.Index(fields=["user", "-replaced_at"], name="org_pwhistory_user")]

    def __str__(self) -> str:
        return f"{self.user} 的历史密码"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def user_for_key(self, key: str) -> User | None:
        token = self.select_related("user__unit").filter(digest=_digest(key)).first()
        if token is None or not token.user.is_active:
            return None
        return token.user


class ApiToken(models.Model):
    """Only a digest is stored: the key is shown once, when it is issued."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间")

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.user} 的令牌"

    @classmethod
    def issue(cls, *, user: User, now) -> str:
        """Replace the user's token with a new one and return its key."""
        key = secrets.token_urlsafe(32)
        with transaction.atomic():
            cls.objects.filter(user=user).delete()
            cls.objects.create(user=user, digest=_digest(key), created_at=now)
        return key
