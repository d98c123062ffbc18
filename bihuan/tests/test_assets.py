"""Government intranets have no internet: every asset a page uses is served by Bihuan itself."""

import re

import pytest

ASSETS = [
    "/static/vendor/bootstrap/bootstrap.min.css",
    "/static/vendor/bootstrap/bootstrap.bundle.min.js",
    "/static/vendor/htmx/htmx.min.js",
    "/static/vendor/echarts/echarts.min.js",
    "/static/bihuan/bihuan.css",
]


@pytest.mark.parametrize("path", ASSETS)
def test_vendored_assets_are_served_without_collectstatic(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content)) > 100


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/ledger/", "/dashboard/"])
def test_pages_reference_only_local_assets_that_exist(client, world, path):
    client.force_login(world.zhou)
    page = client.get(path).text
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page)
    for asset in re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", page):
        assert client.get(asset).status_code == 200, asset
