from axes.models import AccessAttempt
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from bihuan.conftest import PASSWORD
from bihuan.org.models import PasswordHistory, User

from .conftest import ADDRESS_A, ADDRESS_B
from .test_lockout import LOCKED, errors, fail


def test_only_the_security_admin_reaches_the_security_page(client, world, feng):
    for someone in (world.zhou, world.li, world.wu):
        client.force_login(someone)
        assert client.get("/accounts/security/").status_code == 403
    client.force_login(feng)
    assert client.get("/accounts/security/").status_code == 200


def test_the_security_admin_sees_the_policy_in_force(client, feng, settings):
    settings.BIHUAN_TOTP_REQUIRED = ["none"]
    client.force_login(feng)

    policy = dict(client.get("/accounts/security/").context["policy"])

    assert policy["密码长度"] == "至少 8 位"
    assert policy["密码复杂度"] == "大写字母、小写字母、数字、符号中至少 3 类"
    assert policy["密码不得重复"] == "最近 5 次"
    assert policy["密码有效期"] == "90 天"
    assert policy["登录失败锁定"] == "连续 5 次失败后锁定"
    assert policy["锁定时长"] == "30 分钟"
    assert policy["会话空闲超时"] == "30 分钟；关闭浏览器即失效"
    assert policy["两步验证（TOTP）必须使用者"] == "不强制（用户可自行绑定）"


def test_the_security_page_holds_no_business_data(client, feng, make_problem):
    make_problem(description="为民服务窗口推诿扯皮")
    client.force_login(feng)

    page = client.get("/accounts/security/")

    assert "为民服务窗口推诿扯皮" not in page.text
    assert "建立首问负责制并公示" not in page.text
    assert "为民服务窗口推诿扯皮" not in client.get("/ledger/").text


def test_the_nav_links_the_security_page_for_the_security_admin_only(client, world, feng):
    client.force_login(feng)
    assert 'href="/accounts/security/"' in client.get("/accounts/profile/").text
    client.force_login(world.wu)
    assert 'href="/accounts/security/"' not in client.get("/accounts/profile/").text


def test_the_security_admin_unlocks_a_locked_account(log_in, world, feng):
    fail(log_in, Client(), "li", 5, address=ADDRESS_A)
    admin = Client()
    admin.force_login(feng)
    listed = admin.get("/accounts/security/").context["attempts"]

    response = admin.post(
        "/accounts/security/locks/release/", {"username": "li", "ip_address": ADDRESS_A}
    )

    assert [(a.username, a.ip_address, a.failures, a.locked) for a in listed] == [
        ("li", ADDRESS_A, 5, True)
    ]
    assert response["Location"] == "/accounts/security/"
    assert not AccessAttempt.objects.exists()
    assert log_in(Client(), "li", address=ADDRESS_A).status_code == 302


def test_unlocking_one_address_leaves_the_lock_at_another(log_in, world, feng):
    fail(log_in, Client(), "li", 5, address=ADDRESS_A)
    fail(log_in, Client(), "li", 5, address=ADDRESS_B)
    admin = Client()
    admin.force_login(feng)

    admin.post("/accounts/security/locks/release/", {"username": "li", "ip_address": ADDRESS_A})

    assert log_in(Client(), "li", address=ADDRESS_A).status_code == 302
    assert errors(log_in(Client(), "li", address=ADDRESS_B)) == [LOCKED]


def test_a_password_reset_shows_a_temporary_password_once_and_forces_a_change(log_in, world, feng):
    old_session = Client()
    old_session.force_login(world.li)
    admin = Client()
    admin.force_login(feng)

    page = admin.post(f"/accounts/security/users/{world.li.pk}/password/")

    temporary = page.context["issued"]["password"]
    assert temporary in page.text
    assert page["Cache-Control"] == "no-store"
    assert temporary not in admin.get("/accounts/security/").text
    world.li.refresh_from_db()
    assert world.li.must_change_password is True
    assert PasswordHistory.objects.filter(user=world.li).count() == 1
    assert old_session.get("/")["Location"] == "/accounts/login/?next=/"
    assert log_in(Client(), "li", PASSWORD).status_code == 200
    client = Client()
    assert log_in(client, "li", temporary)["Location"] == "/"
    assert client.get("/")["Location"] == "/accounts/password/?next=%2F"


def test_the_security_admin_cannot_reset_their_own_password_here(client, feng):
    client.force_login(feng)
    before = feng.password

    response = client.post(f"/accounts/security/users/{feng.pk}/password/")

    assert response["Location"] == "/accounts/security/"
    feng.refresh_from_db()
    assert (feng.password, feng.must_change_password) == (before, False)


def test_others_cannot_reset_a_password(client, world):
    client.force_login(world.wu)
    before = world.li.password

    response = client.post(f"/accounts/security/users/{world.li.pk}/password/")

    assert response.status_code == 403
    world.li.refresh_from_db()
    assert world.li.password == before


def test_the_security_admin_unbinds_a_lost_authenticator(client, world, feng):
    TOTPDevice.objects.create(user=world.li, name="身份验证器", confirmed=True)
    client.force_login(feng)
    assert "已绑定" in client.get("/accounts/security/").text

    response = client.post(f"/accounts/security/users/{world.li.pk}/totp/")

    assert response["Location"] == "/accounts/security/"
    assert not TOTPDevice.objects.filter(user=world.li).exists()


def test_the_security_page_lists_accounts_in_a_fixed_number_of_queries(
    client, world, feng, django_assert_max_num_queries
):
    client.force_login(feng)
    with django_assert_max_num_queries(12) as few:
        client.get("/accounts/security/")
    TOTPDevice.objects.create(user=world.li, name="身份验证器", confirmed=True)
    for username in ("a1", "a2", "a3"):
        User.objects.create(username=username, unit=world.county)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/accounts/security/")
