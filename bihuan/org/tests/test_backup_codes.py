"""Backup codes (备用验证码): ten one-time codes from binding, for the login's second step when
the phone is lost; new ones from the profile page; gone with the security admin's reset."""

import time
from binascii import unhexlify

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bihuan.audit.models import AuditAction, AuditEntry
from bihuan.org.identity_views import PENDING_KEY
from bihuan.org.totp import backup_codes_issue, backup_codes_left

KEY = "3132333435363738393031323334353637383930"


def code(key: str) -> str:
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    return f"{totp.token():06d}"


@pytest.fixture
def codes(world):
    """李承办 has bound an authenticator and holds the backup codes it came with."""
    TOTPDevice.objects.create(user=world.li, name="身份验证器", key=KEY, confirmed=True)
    return backup_codes_issue(user=world.li)


def password_step(log_in) -> Client:
    client = Client()
    log_in(client, "li")
    return client


def account_changes(user) -> list[dict]:
    entries = AuditEntry.objects.filter(action=AuditAction.ACCOUNT_CHANGE, object_id=str(user.pk))
    return [entry.changes for entry in entries.order_by("seq")]


def test_binding_shows_ten_codes_once_and_keeps_nothing_readable(client, world):
    client.force_login(world.li)
    client.get("/accounts/totp/")
    key = client.session[PENDING_KEY]

    page = client.post("/accounts/totp/", {"code": code(key), "next": "/ledger/"})

    shown = page.context["codes"]
    assert len(shown) == len(set(shown)) == 10
    assert all(c in page.text for c in shown)
    assert page["Cache-Control"] == "no-store"
    assert 'href="/ledger/">我已保存，继续</a>' in page.text
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(shown)
    assert {"totp": "bound"} in account_changes(world.li)
    assert {"backup_codes": "issued", "count": 10} in account_changes(world.li)
    # Shown only in that answer: the profile page tells how many are left, not which.
    profile = client.get("/accounts/profile/")
    assert not any(c in profile.text for c in shown)
    assert '<span id="backup-codes-left">10</span>' in profile.text


def test_a_backup_code_passes_the_second_step_once(log_in, world, codes):
    first = password_step(log_in)

    answer = first.post("/accounts/login/verify/", {"code": codes[0], "next": "/ledger/"})

    assert answer["Location"] == "/ledger/"
    ledger = first.get("/ledger/")
    assert ledger.status_code == 200
    assert "已用备用验证码登录，还剩 9 个。" in ledger.text
    assert backup_codes_left(world.li) == 9
    assert account_changes(world.li)[-1] == {"backup_code": "used", "left": 9}
    again = password_step(log_in)
    refused = again.post("/accounts/login/verify/", {"code": codes[0]})
    assert refused.status_code == 400
    assert "备用验证码不正确或已使用过。" in refused.text
    assert again.get("/")["Location"] == "/accounts/login/verify/?next=%2F"


def test_a_backup_code_may_be_typed_in_capitals_with_spaces(log_in, world, codes):
    client = password_step(log_in)
    typed = f"{codes[1][:4].upper()} {codes[1][4:].upper()}"

    answer = client.post("/accounts/login/verify/", {"code": typed})

    assert answer["Location"] == "/"
    assert backup_codes_left(world.li) == 9


def test_a_wrong_backup_code_is_refused_and_slows_the_next_try(log_in, world, codes):
    client = password_step(log_in)
    client.post("/accounts/login/verify/", {"code": "aaaaaaaa"})

    response = client.post("/accounts/login/verify/", {"code": codes[2]})

    assert response.status_code == 400
    assert "验证码错误次数过多，请 1 秒后再试。" in response.text
    assert backup_codes_left(world.li) == 10


def test_someone_elses_backup_code_does_not_pass(log_in, world, codes):
    TOTPDevice.objects.create(user=world.zhou, name="身份验证器", key=KEY, confirmed=True)
    backup_codes_issue(user=world.zhou)
    client = Client()
    log_in(client, "zhou")

    response = client.post("/accounts/login/verify/", {"code": codes[0]})

    assert response.status_code == 400
    assert backup_codes_left(world.li) == 10


def test_something_neither_six_digits_nor_a_backup_code_is_explained(log_in, world, codes):
    client = password_step(log_in)

    response = client.post("/accounts/login/verify/", {"code": "12345"})

    assert "请输入身份验证器上显示的 6 位数字，或一个 8 位备用验证码。" in response.text


def test_new_codes_from_the_profile_page_replace_the_old_ones(log_in, world, codes):
    client = password_step(log_in)
    client.post("/accounts/login/verify/", {"code": code(KEY)})

    page = client.post("/accounts/totp/backup-codes/")

    fresh = page.context["codes"]
    assert page["Cache-Control"] == "no-store"
    assert set(fresh).isdisjoint(codes)
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(fresh)
    assert StaticDevice.objects.filter(user=world.li).count() == 1
    old = password_step(log_in).post("/accounts/login/verify/", {"code": codes[3]})
    assert old.status_code == 400


def test_an_unverified_session_cannot_ask_for_new_codes(log_in, world, codes):
    client = password_step(log_in)

    response = client.post("/accounts/totp/backup-codes/")

    assert response["Location"].startswith("/accounts/login/verify/")
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(codes)


def test_without_an_authenticator_no_codes_are_issued(client, world):
    client.force_login(world.li)

    response = client.post("/accounts/totp/backup-codes/")

    assert response["Location"] == "/accounts/profile/"
    assert not StaticDevice.objects.exists()


def test_the_security_admins_reset_takes_the_codes_too_and_is_recorded(client, world, codes, feng):
    client.force_login(feng)

    client.post(f"/accounts/security/users/{world.li.pk}/totp/")

    assert not TOTPDevice.objects.filter(user=world.li).exists()
    assert not StaticDevice.objects.filter(user=world.li).exists()
    entry = AuditEntry.objects.filter(action=AuditAction.ACCOUNT_CHANGE).order_by("-seq").first()
    assert (entry.actor, entry.object_id, entry.changes) == (
        feng,
        str(world.li.pk),
        {"totp": "removed"},
    )
