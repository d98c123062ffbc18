from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/requirements/", views.requirement_add, name="requirement_add"),
    path("<int:pk>/urge/", views.urge, name="urge"),
]
