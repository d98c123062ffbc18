from django.urls import path

from . import views

app_name = "streamlining"
urlpatterns = [
    path("", views.index, name="index"),
    path("targets/", views.target_set, name="target_set"),
    path("meetings/", views.meetings, name="meetings"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
]
