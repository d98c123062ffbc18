from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/requirements/", views.requirement_add, name="requirement_add"),
    path("<int:pk>/urge/", views.urge, name="urge"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/stages/", views.stage_add, name="stage_add"),
    path("<int:pk>/stages/<int:stage_pk>/", views.stage_edit, name="stage_edit"),
    path("<int:pk>/stages/<int:stage_pk>/delete/", views.stage_remove, name="stage_remove"),
    path(
        "<int:pk>/requirements/<int:requirement_pk>/",
        views.requirement_edit,
        name="requirement_edit",
    ),
    path(
        "<int:pk>/requirements/<int:requirement_pk>/delete/",
        views.requirement_remove,
        name="requirement_remove",
    ),
]
