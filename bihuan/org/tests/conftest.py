"""The security admin 冯安全 beside the shared world, and logging in through the real login page."""

import pytest
from django.test import Client

from bihuan.conftest import PASSWORD
from bihuan.org.models import Role
from bihuan.org.services import user_create

ADDRESS_A = "192.0.2.10"
ADDRESS_B = "198.51.100.20"


@pytest.fixture
def feng(world):
    """冯安全: the security admin, who sees no business data."""
    return user_create(
        username="feng",
        name="冯安全",
        unit=world.county,
        roles=[Role.SECURITY_ADMIN],
        password=PASSWORD,
        must_change_password=False,
    )


@pytest.fixture
def log_in():
    """`log_in(client, "li")` posts the login form from an address, as a browser would."""

    def post(client: Client, username: str, password: str = PASSWORD, address: str = ADDRESS_A):
        return client.post(
            "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
        )

    return post
