from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("cradle.core.urls")),
    path("areas/", include("cradle.geography.urls")),
    # Find a service (/services/) and the coverage map (/coverage/).
    path("", include("cradle.directory.urls")),
    path("find-help/", include("cradle.finder.urls")),
    path("foi/", include("cradle.foi.urls")),
    path("census/", include("cradle.census.urls")),
    path("outcomes/", include("cradle.outcomes.urls")),
    path("planning/", include("cradle.planning.urls")),
    path("pooled/", include("cradle.pooled.urls")),
    path("account/", include("cradle.accounts.urls")),
    path("audit/", include("cradle.audit.urls")),
    path("jobs/", include("cradle.jobs.urls")),
    path("surveys/", include("cradle.surveys.urls")),
    # The Open Referral UK feed of the register (ADR 0036).
    path("api/oruk/", include("cradle.oruk.urls")),
    path("downloads/", include("cradle.opendata.urls")),
    # The open data API (ADR 0035): its documentation at /api/, version 1 under /api/v1/.
    path("api/", include("cradle.api.urls")),
    path("quality/", include("cradle.quality.urls")),
    path("admin/", admin.site.urls),
]
