from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "bihuan.workflow"
    label = "workflow"
    verbose_name = "流程与工作日"
