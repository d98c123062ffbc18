"""The TOTP second factor (等保三级 8.1.4.1(d)): who must have one, enrolment, removal.

Any authenticator app that reads an otpauth:// QR code works; the QR code is drawn here as SVG,
so nothing leaves the intranet.
"""

from base64 import b32encode
from binascii import unhexlify

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django_otp.oath import TOTP
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


def totp_enrol(*, user: User, key: str, code: str) -> TOTPDevice:
    """Bind the authenticator that shows `code` for `key`, replacing any earlier one."""
    totp = TOTP(unhexlify(key))
    if not (code.isdigit() and totp.verify(int(code), tolerance=1)):
        raise ValidationError("验证码不正确，请确认手机时间准确后输入当前显示的 6 位数字。")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        # The code just used may not log in a second time.
        return TOTPDevice.objects.create(
            user=user, name="身份验证器", key=key, confirmed=True, drift=totp.drift, last_t=totp.t()
        )


def totp_remove(*, user: User) -> int:
    """Unbind every authenticator of the user (the security admin's reset, or the owner's own)."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        if removed:
            audit_record(
                AuditAction.ACCOUNT_CHANGE, actor=None, obj=user, changes={"totp": "removed"}
            )
    return removed
