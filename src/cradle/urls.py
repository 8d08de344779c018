from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("cradle.core.urls")),
    path("areas/", include("cradle.geography.urls")),
    path("admin/", admin.site.urls),
]
