from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "bihuan.materials"
    label = "materials"
    verbose_name = "材料"
