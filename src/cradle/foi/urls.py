from django.urls import path

from . import views, views_campaigns, views_questions, views_report, views_requests

app_name = "foi"
urlpatterns = [
    path("", views.campaign_list, name="campaign-list"),
    path("new/", views.campaign_new, name="campaign-new"),
    path("<int:pk>/", views_campaigns.campaign_detail, name="campaign-detail"),
    path("<int:pk>/questions/", views_questions.campaign_questions, name="questions"),
    path("<int:pk>/responses/columns/", views_questions.responses_columns,
         name="responses-columns"),
    path("<int:pk>/add-commissioners/", views_campaigns.add_commissioners,
         name="add-commissioners"),
    path("<int:pk>/add-providers/", views_campaigns.add_providers, name="add-providers"),
    path("<int:pk>/import-providers/", views_campaigns.import_providers_file,
         name="import-providers"),
    path("<int:pk>/send/", views_campaigns.send_by_email, name="send-email"),
    path("<int:pk>/remind/", views_campaigns.send_reminders, name="send-reminders"),
    path("<int:pk>/letter-preview/", views_campaigns.letter_preview, name="letter-preview"),
    path("<int:pk>/mail-merge.csv", views_campaigns.mail_merge_download, name="mail-merge"),
    path("<int:pk>/mark-posted/", views_campaigns.mark_posted, name="mark-posted"),
    path("<int:pk>/responses/import/", views_campaigns.import_responses,
         name="import-responses"),
    path("<int:pk>/responses.csv", views_campaigns.responses_download, name="responses-csv"),
    path("<int:pk>/report/", views_report.campaign_report, name="report"),
    path("<int:pk>/report/map.geojson", views_report.report_geojson, name="report-geojson"),
    path("<int:pk>/report/areas.csv", views_report.report_areas_csv, name="report-csv"),
    path("<int:pk>/report/areas.xlsx", views_report.report_areas_xlsx, name="report-xlsx"),
    path("requests/<int:pk>/", views_requests.request_detail, name="request-detail"),
    path("requests/<int:pk>/state/", views_requests.change_state, name="request-state"),
    path("requests/<int:pk>/restart/", views_requests.restart_clock, name="request-restart"),
    path("requests/<int:pk>/redirect/", views_requests.redirect_to_provider,
         name="request-redirect"),
    path("requests/<int:pk>/response/", views_requests.record_response,
         name="request-response"),
    path("requests/<int:pk>/answers/", views_requests.record_answers,
         name="request-answers"),
]
