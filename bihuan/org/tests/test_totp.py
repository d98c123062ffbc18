import os
import subprocess
import sys
import time
from base64 import b32decode
from binascii import unhexlify

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from bihuan.org.identity_views import PENDING_KEY
from bihuan.org.models import Role
from bihuan.org.totp import required_roles, totp_enrol

VERIFY_API = "请先在网页上输入身份验证器的验证码，完成登录。"


def code(key: str, *, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now, or `steps_ahead` 30-second steps later."""
    totp = TOTP(unhexlify(key))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


KEY = "3132333435363738393031323334353637383930"


@pytest.fixture
def bound(world):
    """李承办 has bound an authenticator app."""
    return TOTPDevice.objects.create(user=world.li, name="身份验证器", key=KEY, confirmed=True)


def verified_client(log_in, code_now: str) -> Client:
    client = Client()
    log_in(client, "li")
    client.post("/accounts/login/verify/", {"code": code_now})
    return client


def test_the_binding_page_draws_the_qr_code_itself_and_shows_the_secret(client, world):
    client.force_login(world.li)

    page = client.get("/accounts/totp/")

    key = client.session[PENDING_KEY]
    assert "<svg" in page.text
    assert "<img" not in page.context["qr"]
    assert "http" not in page.context["qr"].replace("http://www.w3.org/2000/svg", "")
    secret = page.context["secret"]
    assert b32decode(secret.replace(" ", "")) == unhexlify(key)
    assert secret in page.text


def test_binding_with_the_shown_code_binds_and_verifies_this_session(client, world):
    client.force_login(world.li)
    client.get("/accounts/totp/")
    key = client.session[PENDING_KEY]

    response = client.post("/accounts/totp/", {"code": code(key)})

    # The page that follows shows the new backup codes once, and goes on to where the user was.
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert 'href="/">我已保存，继续</a>' in response.text
    device = TOTPDevice.objects.get(user=world.li)
    assert (device.confirmed, device.key) == (True, key)
    assert client.get("/").status_code == 200
    assert PENDING_KEY not in client.session


def test_a_wrong_code_binds_nothing(client, world):
    client.force_login(world.li)
    client.get("/accounts/totp/")
    key = client.session[PENDING_KEY]
    wrong = f"{(int(code(key)) + 1) % 1_000_000:06d}"

    response = client.post("/accounts/totp/", {"code": wrong})

    assert response.status_code == 400
    assert "验证码不正确" in response.text
    assert not TOTPDevice.objects.exists()


def test_after_the_password_a_bound_user_gives_the_code_before_anything_else(log_in, world, bound):
    client = Client()
    log_in(client, "li")

    page = client.get("/ledger/")
    api = client.get("/api/me")
    response = client.post("/accounts/login/verify/", {"code": code(KEY), "next": "/ledger/"})

    assert page["Location"] == "/accounts/login/verify/?next=%2Fledger%2F"
    assert (api.status_code, api.json()) == (403, {"detail": VERIFY_API, "field": None})
    assert response["Location"] == "/ledger/"
    assert client.get("/ledger/").status_code == 200
    assert client.get("/api/me").json()["username"] == "li"


def test_a_wrong_code_leaves_the_session_unverified(log_in, world, bound):
    client = Client()
    log_in(client, "li")

    response = client.post("/accounts/login/verify/", {"code": "000000"})

    assert response.status_code == 400
    assert client.get("/")["Location"] == "/accounts/login/verify/?next=%2F"


def test_after_a_wrong_code_the_next_try_must_wait(log_in, world, bound):
    client = Client()
    log_in(client, "li")
    client.post("/accounts/login/verify/", {"code": "000000"})

    response = client.post("/accounts/login/verify/", {"code": code(KEY)})

    assert response.status_code == 400
    assert "验证码错误次数过多，请 1 秒后再试。" in response.text


def test_a_code_already_used_is_refused(log_in, world, bound):
    used = code(KEY)
    verified_client(log_in, used)
    again = Client()
    log_in(again, "li")

    response = again.post("/accounts/login/verify/", {"code": used})

    assert response.status_code == 400
    assert "已使用过" in response.text


def test_the_code_that_bound_an_app_is_spent(world):
    device = totp_enrol(user=world.li, key=KEY, code=code(KEY)).device

    assert device.verify_token(code(KEY)) is False


def test_a_login_whose_app_was_unbound_is_sent_to_bind_again(log_in, world, bound, settings):
    settings.BIHUAN_TOTP_REQUIRED = ["handler"]
    client = Client()
    log_in(client, "li")
    bound.delete()

    first = client.get("/")
    second = client.get(first["Location"])

    assert first["Location"] == "/accounts/login/verify/?next=%2F"
    assert second["Location"] == "/"
    assert client.get("/")["Location"] == "/accounts/totp/?next=%2F"


def test_required_totp_sends_an_admin_without_one_to_binding(client, world, settings):
    settings.BIHUAN_TOTP_REQUIRED = ["admins"]
    client.force_login(world.wu)

    response = client.get("/accounts/admin/")

    assert response["Location"] == "/accounts/totp/?next=%2Faccounts%2Fadmin%2F"
    assert "按本单位安全策略" in client.get(response["Location"]).text


def test_required_totp_for_admins_leaves_business_users_alone(client, world, settings):
    settings.BIHUAN_TOTP_REQUIRED = ["admins"]
    client.force_login(world.li)

    assert client.get("/").status_code == 200


def test_required_totp_can_name_roles(client, world, settings):
    settings.BIHUAN_TOTP_REQUIRED = ["leader"]
    client.force_login(world.zhao)

    assert client.get("/")["Location"] == "/accounts/totp/?next=%2F"


def test_the_setting_reads_none_admins_all_and_role_codes():
    assert required_roles(["none"]) == frozenset()
    assert required_roles([]) == frozenset()
    assert required_roles(["all"]) is None
    assert required_roles(["admins"]) == {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
    assert required_roles(["leader", "supervisor"]) == {Role.LEADER, Role.SUPERVISOR}


def test_a_mistyped_role_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="'leaders' is not none, admins, all or a role"):
        required_roles(["leaders"])


def test_production_settings_require_totp_of_the_three_admins(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BIHUAN_", "DATABASE_URL"))}
    env |= {"BIHUAN_PRODUCTION": "true", "BIHUAN_DATA_DIR": str(tmp_path)}
    probe = "import bihuan.settings as s; print(s.BIHUAN_TOTP_REQUIRED, s.BIHUAN_PRODUCTION)"

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )

    assert result.stdout.strip() == "['admins'] True"


def test_unbinding_needs_a_current_code(log_in, world, bound, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = verified_client(log_in, code(KEY))

    client.post("/accounts/totp/unbind/", {"code": "000000"})
    assert TOTPDevice.objects.filter(user=world.li).exists()

    client.post("/accounts/totp/unbind/", {"code": code(KEY, steps_ahead=1)})
    assert not TOTPDevice.objects.filter(user=world.li).exists()
