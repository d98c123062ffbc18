"""Every kind of page under the Content-Security-Policy. The conftest fails a test on any violation
Chromium reports, so opening the pages (and using their scripts) is the test."""

import pytest

from bihuan.conftest import PASSWORD
from bihuan.org.models import Role
from bihuan.org.services import user_create

pytestmark = pytest.mark.browser


def visit(page, *paths: str) -> None:
    for path in paths:
        response = page.goto(f"{page.base_url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")


def test_the_business_pages_run_under_the_policy(open_page, world, make_problem):
    problem = make_problem()
    page = open_page(world.zhou)

    visit(
        page,
        "/ledger/",
        f"/ledger/problems/{problem.pk}/",
        "/ledger/problems/new/",
        "/ledger/import/",
        "/materials/",
        "/accounts/profile/",
        "/accounts/totp/",
        "/api/docs",
    )
    visit(page, "/dashboard/")
    page.wait_for_selector("#chart-states canvas")
    page.hover("#chart-states")
    page.hover("#chart-lights")
    page.wait_for_timeout(500)


def test_the_admin_pages_run_under_the_policy(open_page, world):
    security_admin = user_create(
        username="zheng",
        name="郑安全",
        unit=world.county,
        roles=[Role.SECURITY_ADMIN],
        password=PASSWORD,
        must_change_password=False,
    )
    audit_admin = user_create(
        username="feng",
        name="冯审计",
        unit=world.county,
        roles=[Role.AUDIT_ADMIN],
        password=PASSWORD,
        must_change_password=False,
    )

    visit(open_page(world.wu), "/accounts/admin/", "/calendar/")
    visit(open_page(security_admin), "/accounts/security/")
    visit(open_page(audit_admin), "/audit/")
