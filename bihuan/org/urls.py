from django.contrib.auth import views as auth_views
from django.urls import path

from . import identity_views, security_views, views
from .forms import LoginForm
from .ratelimit import login_rate_limited

urlpatterns = [
    path(
        "login/",
        login_rate_limited(auth_views.LoginView.as_view(authentication_form=LoginForm)),
        name="login",
    ),
    path("login/verify/", login_rate_limited(identity_views.totp_verify), name="totp_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("password/", identity_views.password_change, name="password_change"),
    path("totp/", identity_views.totp_bind, name="totp_bind"),
    path("totp/unbind/", identity_views.totp_unbind, name="totp_unbind"),
    path("totp/backup-codes/", identity_views.backup_codes_new, name="backup_codes"),
    path("sessions/end/", identity_views.sessions_end, name="sessions_end"),
    path("admin/", views.organisation, name="organisation"),
    path("admin/units/", views.unit_add, name="unit_add"),
    path("admin/users/", views.account_add, name="account_add"),
    path("admin/users/<int:pk>/active/", views.account_toggle_active, name="account_toggle"),
    path("security/", security_views.security, name="security"),
    path("security/locks/release/", security_views.lock_release, name="lock_release"),
    path("security/users/<int:pk>/password/", security_views.password_reset, name="password_reset"),
    path("security/users/<int:pk>/totp/", security_views.totp_reset, name="totp_reset"),
]
