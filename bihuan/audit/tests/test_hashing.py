import pytest
from cryptography.exceptions import UnsupportedAlgorithm
from django.core.exceptions import ImproperlyConfigured

from bihuan.audit import hashing
from bihuan.audit.chain import audit_verify
from bihuan.audit.models import AuditAction
from bihuan.audit.services import audit_record


def test_sm3_is_the_national_standard_hash():
    # GB/T 32905-2016, appendix A.1: the hash of "abc".
    expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"

    assert hashing.digest("sm3", b"abc") == expected


def test_start_up_stops_when_this_openssl_has_no_sm3(monkeypatch):
    def unsupported(algorithm, data):
        raise UnsupportedAlgorithm("sm3")

    monkeypatch.setattr(hashing, "digest", unsupported)

    with pytest.raises(ImproperlyConfigured, match="BIHUAN_AUDIT_HASH=sha256"):
        hashing.check_algorithm("sm3")


def test_an_unknown_hash_stops_the_start_up():
    with pytest.raises(ImproperlyConfigured, match="expected sm3 or sha256"):
        hashing.check_algorithm("md5")


def test_a_chain_may_switch_to_sha256_and_still_verify(world, settings):
    audit_record(AuditAction.LOGIN, actor=world.zhou, obj=world.zhou)
    settings.BIHUAN_AUDIT_HASH = "sha256"

    entry = audit_record(AuditAction.LOGOUT, actor=world.zhou, obj=world.zhou)

    verdict = audit_verify()
    assert entry.algorithm == "sha256"
    assert verdict.ok and verdict.algorithm == "sha256"
