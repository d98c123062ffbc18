"""Who acts and from where, for the entries written while one request or command runs.

Plain Python without Django, so the `bihuan` command can set it before Django starts.
"""

import contextvars
import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    ip: str = ""
    user_agent: str = ""
    # The request whose user acts when a caller names nobody (read lazily: the user is resolved
    # only when an entry is written).
    request: object | None = None
    # Written as the actor's name when no account acts: the command line and its OS user.
    actor_name: str = ""


NOBODY = AuditContext()
_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "bihuan_audit_context", default=None
)


def current_context() -> AuditContext:
    return _current.get() or NOBODY


def set_context(context: AuditContext) -> contextvars.Token:
    return _current.set(context)


def reset_context(token: contextvars.Token) -> None:
    _current.reset(token)


def command_line_context() -> AuditContext:
    try:
        who = getpass.getuser()
    except (OSError, KeyError, ImportError):
        who = "?"
    label = f"命令行（{who}）"
    return AuditContext(user_agent=label, actor_name=label)
