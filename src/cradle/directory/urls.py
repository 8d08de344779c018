from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("services/", views.service_search, name="service-search"),
    path("services/<int:pk>/", views.service_detail, name="service-detail"),
    path("coverage/", views.coverage_map, name="coverage-map"),
    path("coverage/map.geojson", views.coverage_geojson, name="coverage-geojson"),
]
