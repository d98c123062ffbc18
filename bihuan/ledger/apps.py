from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "bihuan.ledger"
    label = "ledger"
    verbose_name = "整改台账"
