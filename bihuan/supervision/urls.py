from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_create, name="create"),
    path("stats/", views.stats, name="stats"),
    path("escalate/", views.escalate, name="escalate"),
    path("escalation-rules/", views.escalation_rules, name="escalation_rules"),
    path("<int:pk>/", views.item_page, name="detail"),
    path("<int:pk>/progress/", views.progress_post, name="progress_post"),
    path("<int:pk>/extension/", views.extension_request, name="extension_request"),
    path(
        "<int:pk>/partners/<int:part>/acknowledge/",
        views.partner_acknowledge,
        name="partner_acknowledge",
    ),
    path("<int:pk>/partners/<int:part>/report/", views.partner_report, name="partner_report"),
    path("<int:pk>/partners/<int:part>/waive/", views.partner_waive, name="partner_waive"),
    path("<int:pk>/<slug:action>/", views.item_transition, name="transition"),
    path("extensions/<int:pk>/review/", views.extension_review, name="extension_review"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
