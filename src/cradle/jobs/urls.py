from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:job_id>/", views.job_detail, name="detail"),
    path("<uuid:job_id>/status.json", views.job_status, name="status"),
    path("<uuid:job_id>/file", views.job_output, name="output"),
    path("<uuid:job_id>/retry/", views.job_retry, name="retry"),
]
