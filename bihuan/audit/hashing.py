"""The chain's hash: SM3 (GB/T 32905-2016, the national standard) by default, or SHA-256."""

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from django.core.exceptions import ImproperlyConfigured

ALGORITHMS = {"sm3": hashes.SM3, "sha256": hashes.SHA256}


def digest(algorithm: str, data: bytes) -> str:
    hasher = hashes.Hash(ALGORITHMS[algorithm]())
    hasher.update(data)
    return hasher.finalize().hex()


def check_algorithm(algorithm: str) -> None:
    """Refuse to start with a hash this machine cannot compute (an OpenSSL built without SM3)."""
    if algorithm not in ALGORITHMS:
        raise ImproperlyConfigured(
            f"BIHUAN_AUDIT_HASH={algorithm!r}: expected {' or '.join(ALGORITHMS)}"
        )
    try:
        digest(algorithm, b"")
    except UnsupportedAlgorithm:
        raise ImproperlyConfigured(
            f"审计日志的哈希算法 {algorithm} 不可用：本机的 OpenSSL 不支持它。"
            "请升级 OpenSSL / cryptography，或设置 BIHUAN_AUDIT_HASH=sha256 改用 SHA-256。"
            f" The audit hash {algorithm} is unavailable in this OpenSSL build;"
            " upgrade it or set BIHUAN_AUDIT_HASH=sha256."
        ) from None
