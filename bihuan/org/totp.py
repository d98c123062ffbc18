"""The TOTP second factor (等保三级 8.1.4.1(d)): who must have one, enrolment, removal, and the
backup codes (备用验证码) that stand in for a lost phone.

Any authenticator app that reads an otpauth:// QR code works; the QR code is drawn here as SVG,
so nothing leaves the intranet.
"""

import datetime as dt
import re
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record

from .models import ADMIN_ROLES, Role, User


def required_roles(words: list[str]) -> frozenset[str] | None:
    """BIHUAN_TOTP_REQUIRED as the roles that must use TOTP; None means every account."""
    words = [word.lower() for word in words]
    if words in ([], ["none"]):
        return frozenset()
    if words == ["all"]:
        return None
    roles: set[str] = set()
    for word in words:
        if word == "admins":
            roles |= ADMIN_ROLES
        elif word in Role.values:
            roles.add(word)
        else:
            raise ImproperlyConfigured(
                f"BIHUAN_TOTP_REQUIRED: {word!r} is not none, admins, all or a role "
                f"({', '.join(Role.values)})"
            )
    return frozenset(roles)


def totp_required(user: User) -> bool:
    roles = required_roles(settings.BIHUAN_TOTP_REQUIRED)
    if roles is None:
        return True
    return bool(roles) and user.has_role(*roles)


def totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def new_key() -> str:
    return random_hex(20)


def secret_for_typing(key: str) -> str:
    """The key in base32, in groups of four, for apps that cannot scan."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(user: User, key: str) -> str:
    uri = TOTPDevice(user=user, key=key).config_url
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    backup_codes: list[str]


def totp_enrol(*, user: User, key: str, code: str) -> Enrolment:
    """Bind the authenticator that shows `code` for `key`, replacing any earlier one, with a new
    set of backup codes."""
    totp = TOTP(unhexlify(key))
    if not (code.isdigit() and totp.verify(int(code), tolerance=1)):
        raise ValidationError("验证码不正确，请确认手机时间准确后输入当前显示的 6 位数字。")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        # The code just used may not log in a second time.
        device = TOTPDevice.objects.create(
            user=user, name="身份验证器", key=key, confirmed=True, drift=totp.drift, last_t=totp.t()
        )
        audit_record(AuditAction.ACCOUNT_CHANGE, actor=None, obj=user, changes={"totp": "bound"})
        return Enrolment(device=device, backup_codes=backup_codes_issue(user=user))


def totp_remove(*, user: User) -> int:
    """Unbind every authenticator of the user and drop their backup codes (the security admin's
    reset, or the owner's own)."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        if removed:
            audit_record(
                AuditAction.ACCOUNT_CHANGE, actor=None, obj=user, changes={"totp": "removed"}
            )
    return removed


# -- backup codes (备用验证码) ---------------------------------------------------------------

BACKUP_CODE_COUNT = 10
BACKUP_CODE = re.compile(r"[a-z2-7]{8}")  # StaticToken.random_token: 40 random bits in base32
TOTP_CODE = re.compile(r"\d{6}")


def backup_codes_issue(*, user: User) -> list[str]:
    """Ten one-time codes that log in when the phone is lost, replacing any earlier ones. Only
    their owner sees them, once; each is deleted as it is used."""
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="备用验证码", confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        audit_record(
            AuditAction.ACCOUNT_CHANGE,
            actor=None,
            obj=user,
            changes={"backup_codes": "issued", "count": len(codes)},
        )
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalise_code(text: str) -> str:
    """What was typed, as stored: spaces and dashes dropped, letters in lower case."""
    return re.sub(r"[\s-]", "", text).lower()


def second_factor_verify(*, user: User, code: str, now: dt.datetime):
    """The device that accepts `code` (six digits: the authenticator; eight letters and digits:
    a backup code, spent by this), or ValidationError saying why not."""
    code = normalise_code(code)
    if TOTP_CODE.fullmatch(code):
        device = totp_device(user)
    elif BACKUP_CODE.fullmatch(code):
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise ValidationError("您没有可用的备用验证码；手机丢失时请联系安全管理员解除绑定。")
    else:
        raise ValidationError("请输入身份验证器上显示的 6 位数字，或一个 8 位备用验证码。")
    if device is None:
        raise ValidationError("尚未绑定身份验证器。")
    allowed, throttle = device.verify_is_allowed()
    if not allowed:
        wait = (throttle["locked_until"] - now).total_seconds()
        raise ValidationError(f"验证码错误次数过多，请 {max(int(wait) + 1, 1)} 秒后再试。")
    if isinstance(device, StaticDevice):
        if not _backup_code_spend(device, code):
            raise ValidationError("备用验证码不正确或已使用过。")
    elif not device.verify_token(code):
        raise ValidationError("验证码不正确或已使用过，请输入身份验证器上新显示的验证码。")
    return device


def _backup_code_spend(device: StaticDevice, code: str) -> bool:
    """Delete the code if it is the device's: of two requests sending it at once, one wins."""
    with transaction.atomic():
        spent, _ = StaticToken.objects.filter(device=device, token=code).delete()
        if not spent:
            device.throttle_increment()
            return False
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        device.save()
        audit_record(
            AuditAction.ACCOUNT_CHANGE,
            actor=device.user,
            obj=device.user,
            changes={"backup_code": "used", "left": backup_codes_left(device.user)},
        )
    return True
