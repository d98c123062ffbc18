from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/", views.dashboard_charts, name="dashboard_charts"),
]
