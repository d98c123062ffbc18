from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "bihuan.org"
    label = "org"
    verbose_name = "组织机构"
