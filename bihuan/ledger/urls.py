from django.urls import path

from . import import_views, views

app_name = "ledger"
urlpatterns = [
    path("", views.ledger_list, name="list"),
    path("export.xlsx", views.ledger_export, name="export"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/assign/", views.problem_assign, name="problem_assign"),
    path("problems/<int:pk>/measures/", views.measure_add, name="measure_add"),
    path("measures/<int:pk>/progress/", views.progress_post, name="progress_post"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("measures/<int:pk>/<slug:action>/", views.measure_transition, name="transition"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("categories/", views.categories, name="categories"),
    path("categories/<int:pk>/active/", views.category_toggle, name="category_toggle"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("import/", import_views.ledger_import, name="import"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<int:pk>/units/", import_views.import_map_unit, name="import_map_unit"),
    path("import/<int:pk>/people/", import_views.import_map_person, name="import_map_person"),
    path("import/<int:pk>/commit/", import_views.import_commit, name="import_commit"),
    path("import/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
]
