from django.urls import path

from . import views

app_name = "geography"
urlpatterns = [
    path("", views.scheme_list, name="scheme-list"),
    path("<str:scheme>/", views.scheme_detail, name="scheme-detail"),
    path("<str:scheme>.geojson", views.scheme_geojson, name="scheme-geojson"),
    path("<str:scheme>.csv", views.scheme_csv, name="scheme-csv"),
    path("<str:scheme>/<str:code>/", views.area_detail, name="area-detail"),
    path("<str:scheme>/<str:code>.geojson", views.area_geojson, name="area-geojson"),
]
