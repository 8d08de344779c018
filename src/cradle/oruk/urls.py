"""The Open Referral UK feed (mounted at /api/oruk/): the paths of the UK profile's
openapi.json for services, each exactly as it names them (no trailing slash)."""

from django.urls import path

from . import views

app_name = "oruk"
urlpatterns = [
    path("", views.api_root, name="root"),
    path("services", views.service_list, name="services"),
    path("services/<str:id>", views.service_detail, name="service"),
]
