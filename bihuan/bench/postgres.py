"""A scratch PostgreSQL database for the benchmark, on the server a URL names."""

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

SCRATCH = "bihuan_bench"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@contextlib.contextmanager
def scratch_database(server_url: str, *, name: str = SCRATCH) -> Iterator[str]:
    """Create `name` on the server (dropping a leftover one), yield its URL, drop it.

    Never the database the URL itself names: that may be a real ledger or the tests' one.
    """
    admin = _with_database(server_url, "postgres")
    identifier = sql.Identifier(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(identifier))
    try:
        yield _with_database(server_url, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
