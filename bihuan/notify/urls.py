from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("read-all/", views.notifications_read_all, name="read_all"),
    path("urge/measures/", views.urge_measures, name="urge_measures"),
    path("urge/supervision/", views.urge_supervision, name="urge_supervision"),
    path("urge/<str:model>/<int:pk>/", views.urge_item, name="urge"),
    path("channels/", views.channels, name="channels"),
    path("channels/<int:pk>/active/", views.channel_toggle, name="channel_toggle"),
    path("channels/<int:pk>/test/", views.channel_test, name="channel_test"),
    path("deliveries/<int:pk>/retry/", views.delivery_resend, name="delivery_retry"),
]
