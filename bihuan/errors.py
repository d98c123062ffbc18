"""Domain errors: each interface maps them to its medium (form error, JSON 4xx, stderr line)."""


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    status = 403


class Conflict(DomainError):
    """Someone else changed the record first; nothing was written."""

    status = 409

    def __init__(self, message: str = "该记录已被他人修改，请刷新页面后重试。", **kwargs) -> None:
        super().__init__(message, **kwargs)
