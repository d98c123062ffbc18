from django.urls import include, path

from bihuan.api.api import api
from bihuan.ledger.views import inbox

urlpatterns = [
    path("", inbox, name="inbox"),
    path("accounts/", include("bihuan.org.urls")),
    path("ledger/", include("bihuan.ledger.urls")),
    path("supervision/", include("bihuan.supervision.urls")),
    path("duties/", include("bihuan.duties.urls")),
    path("materials/", include("bihuan.materials.urls")),
    path("dashboard/", include("bihuan.reports.urls")),
    path("rankings/", include("bihuan.rankings.urls")),
    path("calendar/", include("bihuan.workflow.urls")),
    path("api/", api.urls),
    path("audit/", include("bihuan.audit.urls")),
    path("notify/", include("bihuan.notify.urls")),
    path("campaigns/", include("bihuan.campaigns.urls")),
    path("fieldwork/", include("bihuan.fieldwork.urls")),
    path("streamlining/", include("bihuan.streamlining.urls")),
]
