"""The bell in the navbar: the unread count, read at most once per page and only if shown."""

from functools import cached_property

from .models import Notification

# More than this shows as "99+": counting stops there, so the query stays cheap.
SHOWN_MAX = 99


class UnreadCount:
    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def value(self) -> int:
        unread = Notification.objects.unread().filter(recipient=self.user).order_by()
        return unread[: SHOWN_MAX + 1].count()

    def __bool__(self) -> bool:
        return self.value > 0

    def __str__(self) -> str:
        return f"{SHOWN_MAX}+" if self.value > SHOWN_MAX else str(self.value)


def bell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": UnreadCount(user)}
