from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.national, name="national"),
    path("gaps.geojson", views.gaps_geojson, name="gaps-geojson"),
    path("areas/<str:scheme>/<str:code>/", views.area_profile, name="area-profile"),
    path("areas/<str:scheme>/<str:code>.csv", views.area_csv, name="area-csv"),
    path("areas/<str:scheme>/<str:code>.xlsx", views.area_xlsx, name="area-xlsx"),
    path("areas/<str:scheme>/<str:code>/specification/", views.spec_pack, name="spec-pack"),
    path("areas/<str:scheme>/<str:code>/specification.pdf", views.spec_pack_pdf,
         name="spec-pack-pdf"),
]
