"""Sending one delivery: e-mail through Django's mail settings, group robots over HTTPS."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import smtplib
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage

from .models import ChannelKind, Delivery


class SendError(Exception):
    """The channel did not take the message; the worker tries again later."""


def send(delivery: Delivery, *, now: dt.datetime) -> None:
    channel = delivery.channel
    if channel.kind == ChannelKind.EMAIL:
        _send_email(delivery.payload)
    elif channel.kind == ChannelKind.DINGTALK:
        _post(dingtalk_url(channel.webhook_url, channel.secret, now=now), delivery.payload)
    else:
        _post(channel.webhook_url, delivery.payload)


def dingtalk_url(url: str, secret: str, *, now: dt.datetime) -> str:
    """A DingTalk robot with 加签 takes the time in milliseconds and the base64 HMAC-SHA256 of
    "timestamp\\nsecret" keyed by the secret; it refuses a timestamp over an hour off."""
    if not secret:
        return url
    timestamp = str(int(now.timestamp() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp}&sign={sign}"


def _send_email(payload: dict) -> None:
    message = EmailMessage(subject=payload["subject"], body=payload["body"], to=payload["to"])
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        raise SendError(f"邮件发送失败：{error}") from error


def _post(url: str, payload: dict) -> None:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise SendError("Webhook 地址须以 http:// 或 https:// 开头")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.BIHUAN_WEBHOOK_TIMEOUT_SECONDS
        ) as response:
            body = response.read(10_000)
    except urllib.error.HTTPError as error:
        raise SendError(f"HTTP {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise SendError(f"无法连接：{reason}") from error
    # Both robots answer 200 with {"errcode": 0} on success and a non-zero code otherwise.
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        raise SendError(f"无法识别的应答：{body[:200]!r}") from None
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise SendError(f"机器人拒绝：{answer.get('errcode')} {answer.get('errmsg', '')}".strip())
