from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.ledger_list, name="list"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/assign/", views.problem_assign, name="problem_assign"),
    path("problems/<int:pk>/measures/", views.measure_add, name="measure_add"),
    path("measures/<int:pk>/progress/", views.progress_post, name="progress_post"),
    path("measures/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("measures/<int:pk>/<slug:action>/", views.measure_transition, name="transition"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("categories/", views.categories, name="categories"),
    path("categories/<int:pk>/active/", views.category_toggle, name="category_toggle"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
