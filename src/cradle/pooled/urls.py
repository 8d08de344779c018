from django.urls import path

from . import views

app_name = "pooled"
urlpatterns = [
    path("", views.network_report, name="report"),
    path("report.<str:file_format>", views.report_download, name="report-download"),
    path("report-protected.<str:file_format>", views.report_protected_download,
         name="report-protected-download"),
    path("public/", views.public_summary, name="public"),
    path("public/summary.<str:file_format>", views.public_download, name="public-download"),
    path("teams/<int:service_pk>/", views.team_dashboard, name="team"),
    path("teams/<int:service_pk>/report.<str:file_format>", views.team_download,
         name="team-download"),
]
