"""BIHUAN_PRODUCTION=true is a deployable configuration: Django's deploy checks find nothing,
HTTPS, HSTS and secure cookies are on, and every page carries a Content-Security-Policy that
admits no inline script or style."""

import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import bihuan

SETTINGS = Path(bihuan.__file__).with_name("settings.py")
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    return {
        "BIHUAN_PRODUCTION": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "BIHUAN_DATA_DIR": str(tmp_path),
        **extra,
    }


def settings_with(monkeypatch, env: dict[str, str]) -> dict:
    """The settings module run afresh with only `env`'s BIHUAN_ variables and SECRET_KEY."""
    for name in [name for name in os.environ if name.startswith("BIHUAN_")] + ["SECRET_KEY"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


@pytest.mark.parametrize(
    "extra",
    [{}, {"BIHUAN_TRUSTED_PROXIES": "1", "BIHUAN_SSL_REDIRECT": "false"}],
    ids=["direct", "behind-a-redirecting-proxy"],
)
def test_production_settings_pass_the_deploy_checks_without_a_warning(tmp_path, extra):
    # The browser tests' async switch is this test process's, not a deployment's.
    ignored = {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("BIHUAN_") and key not in ignored
    }
    command = [sys.executable, "-m", "bihuan.cli", "manage", "check", "--deploy"]

    result = subprocess.run(  # noqa: S603
        [*command, "--fail-level", "WARNING"],
        env=env | production_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert not list(tmp_path.iterdir()), "the key came from SECRET_KEY; nothing is written"


def test_production_turns_on_https_hsts_and_secure_cookies(monkeypatch, tmp_path):
    production = settings_with(monkeypatch, production_env(tmp_path))

    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_HSTS_SECONDS"] == 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production["SECURE_REFERRER_POLICY"] == "same-origin"
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert "SECURE_PROXY_SSL_HEADER" not in production
    assert production["BIHUAN_TOTP_REQUIRED"] == ["admins"]


def test_a_proxy_in_front_is_trusted_for_the_scheme_only_when_declared(monkeypatch, tmp_path):
    env = production_env(tmp_path, BIHUAN_TRUSTED_PROXIES="1", BIHUAN_SSL_REDIRECT="false")

    behind_proxy = settings_with(monkeypatch, env)

    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert behind_proxy["SECURE_SSL_REDIRECT"] is False


def test_without_production_plain_http_still_works(monkeypatch, tmp_path):
    development = settings_with(monkeypatch, {"BIHUAN_DATA_DIR": str(tmp_path)})

    assert development["SECURE_SSL_REDIRECT"] is False
    assert development["SESSION_COOKIE_SECURE"] is False
    assert development["SECURE_HSTS_SECONDS"] == 0


def test_debug_in_production_stops_the_start(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="BIHUAN_DEBUG=true cannot be used"):
        settings_with(monkeypatch, production_env(tmp_path, BIHUAN_DEBUG="true"))


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/openapi.json", "/no/such/page/"])
def test_every_response_carries_the_content_security_policy(client, path):
    response = client.get(path)

    assert response.headers["Content-Security-Policy"] == POLICY


INLINE = {
    "a <script> with code (use a static file; json_script is fine)": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE
    ),
    "a <style> element": re.compile(r"<style\b", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_no_template_has_inline_script_or_style():
    templates = sorted(Path(settings.BASE_DIR).glob("**/templates/**/*.html"))
    found = [
        f"{template.relative_to(settings.BASE_DIR)}: {what}"
        for template in templates
        for what, pattern in INLINE.items()
        if pattern.search(template.read_text())
    ]

    assert len(templates) > 20
    assert found == []
