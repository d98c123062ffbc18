from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "bihuan.campaigns"
    verbose_name = "专项活动"
