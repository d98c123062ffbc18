from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("admin/", views.organisation, name="organisation"),
    path("admin/units/", views.unit_add, name="unit_add"),
    path("admin/users/", views.account_add, name="account_add"),
    path("admin/users/<int:pk>/active/", views.account_toggle_active, name="account_toggle"),
]
