from django.urls import path

from . import views

app_name = "duties"
urlpatterns = [
    path("", views.lists, name="lists"),
    path("entries/new/", views.entry_create, name="entry_create"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/active/", views.entry_toggle, name="entry_toggle"),
    path("import/", views.entries_import, name="import"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/decide/", views.approval_decide, name="approval_decide"),
    path("report/", views.burden, name="report"),
]
