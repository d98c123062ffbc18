from django.apps import AppConfig
from django.conf import settings


class AuditConfig(AppConfig):
    name = "bihuan.audit"
    label = "audit"
    verbose_name = "安全审计"

    def ready(self) -> None:
        from . import auth_events
        from .hashing import check_algorithm

        # An audit log that cannot hash its entries must not start writing them.
        check_algorithm(settings.BIHUAN_AUDIT_HASH)
        auth_events.connect()
