from django.urls import path

from . import dupcheck_views, library_views, report_views, views

app_name = "materials"
urlpatterns = [
    path("", views.material_list, name="list"),
    path("new/", views.material_upload, name="upload"),
    path("<int:pk>/", views.material_detail, name="detail"),
    path("<int:pk>/review/", views.material_review, name="review"),
    path("<int:pk>/confirm/", views.material_confirm, name="confirm"),
    path("<int:pk>/file/", views.material_file, name="file"),
    path("<int:pk>/dupcheck/", dupcheck_views.material_recheck, name="recheck"),
    path("<int:pk>/dupcheck/<int:match_pk>/", dupcheck_views.material_match, name="match"),
    path("dupcheck/", report_views.dupcheck_report, name="dupcheck_report"),
    path("recurrences/", report_views.recurrence_report, name="recurrences"),
    path("library/", library_views.library_list, name="library"),
    path("library/add/", library_views.library_add, name="library_add"),
    path("library/<int:pk>/", library_views.library_text, name="library_text"),
    path("library/<int:pk>/remove/", library_views.library_remove, name="library_remove"),
]
