"""Notifications in the app, the channels a unit chooses, and the outbox of messages to send."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    URGE = "urge", "催办"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
    ACK_LATE = "ack_late", "签收超时"
    FEEDBACK_LATE = "feedback_late", "反馈超时"
    # A workflow step that leaves someone else to act (交办, 退回, 申请办结 …) or a decision.
    ASSIGNED = "assigned", "新交办"
    RETURNED = "returned", "退回"
    REVIEW = "review", "待审核"
    DECIDED = "decided", "办理结果"
    ESCALATED = "escalated", "升级督办"
    APPROVAL = "approval", "准入审批"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person about one item (a measure, a supervision item …), shown by the
    bell. Text and link are kept as sent: the list never reads the items."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    text = models.TextField("内容")
    link = models.CharField("链接", max_length=300)
    created_at = models.DateTimeField("时间")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # A scheduled reminder's day: the database lets each item, person and kind have one a day.
    day = models.DateField("提醒日", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "content_type", "object_id", "recipient"],
                condition=Q(day__isnull=False),
                name="notify_one_reminder_a_day",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notify_recipient_created"),
            # The bell counts a person's unread notifications on every page.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notify_unread"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class ChannelKind(models.TextChoices):
    EMAIL = "email", "电子邮件"
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"


ROBOTS = (ChannelKind.WECOM, ChannelKind.DINGTALK)


class UnitChannel(models.Model):
    """A way a unit chose to be reached besides the bell: e-mail to its people, or its group's
    robot. DingTalk robots with 加签 need the secret to sign each request."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="notify_channels"
    )
    kind = models.CharField("渠道", max_length=20, choices=ChannelKind.choices)
    webhook_url = models.URLField("Webhook 地址", max_length=500, blank=True)
    secret = models.CharField("加签密钥", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("添加时间")

    class Meta:
        verbose_name = "通知渠道"
        verbose_name_plural = "通知渠道"
        ordering = ["unit__path", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ChannelKind.EMAIL, webhook_url="")
                | Q(kind__in=ROBOTS) & ~Q(webhook_url=""),
                name="notify_channel_webhook_iff_robot",
            ),
            models.UniqueConstraint(
                fields=["unit", "kind", "webhook_url"], name="notify_channel_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()}"

    def webhook_display(self) -> str:
        """The address without its query: the robot's access token is a credential."""
        parts = urlsplit(self.webhook_url)
        query = "?…" if parts.query else ""
        return f"{parts.scheme}://{parts.netloc}{parts.path}{query}" if self.webhook_url else ""


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Delivery(models.Model):
    """One message to send through a channel: the outbox a worker empties, retrying failures
    with growing pauses until `BIHUAN_DELIVERY_MAX_ATTEMPTS`."""

    channel = models.ForeignKey(
        UnitChannel, verbose_name="渠道", on_delete=models.CASCADE, related_name="deliveries"
    )
    # A robot's request body as sent; for e-mail {"to": [...], "subject": …, "body": …}.
    payload = models.JSONField("内容")
    status = models.CharField(
        "状态", max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试")
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("创建时间")
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息投递"
        verbose_name_plural = "消息投递"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notify_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.get_status_display()}"
