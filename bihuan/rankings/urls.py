from django.urls import path

from . import campaign_views, report_views, views

app_name = "rankings"
urlpatterns = [
    path("", views.index, name="index"),
    path("publish/", views.publish, name="publish"),
    path("export.xlsx", views.export, name="export"),
    path("rows/", views.rows, name="rows"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/notice/", views.notice, name="notice"),
    path("report/", report_views.report_page, name="report"),
    path("report/annex.xlsx", report_views.report_annex, name="report_annex"),
    path("campaign/<int:pk>/summary/", campaign_views.campaign_summary, name="campaign_summary"),
    path(
        "campaign/<int:pk>/summary/annex.xlsx",
        campaign_views.campaign_summary_annex,
        name="campaign_summary_annex",
    ),
    path("weights/", views.weights, name="weights"),
]
