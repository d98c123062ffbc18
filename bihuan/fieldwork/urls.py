from django.urls import path

from . import views

app_name = "fieldwork"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.visit_create, name="create"),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/edit/", views.visit_edit, name="edit"),
    path("<int:pk>/delete/", views.visit_delete, name="delete"),
    path("progress/", views.progress, name="progress"),
    path("progress/targets/", views.target_set, name="target_set"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/households/", views.households_set, name="households_set"),
]
