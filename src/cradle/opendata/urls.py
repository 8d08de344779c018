from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.downloads, name="downloads"),
    path("<str:snapshot_date>/", views.snapshot_page, name="snapshot"),
    path("<str:snapshot_date>/datapackage.json", views.datapackage_file, name="datapackage"),
    path("<str:snapshot_date>/<str:filename>", views.snapshot_file, name="file"),
]
