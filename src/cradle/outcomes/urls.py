from django.urls import path

from . import correction_views, episode_views, import_views, views, workforce_views

app_name = "outcomes"
urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<int:service_pk>/", views.team, name="team"),
    path("teams/<int:service_pk>/cases/new/", views.case_new, name="team-case-new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/referrals/new/", views.record_referral, name="case-referral"),
    path("cases/<int:pk>/contacts/new/", views.record_contact, name="case-contact"),
    path("cases/<int:pk>/measures/new/", views.record_measure, name="case-measure"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case-edit"),
    path("cases/<int:pk>/episodes/new/", episode_views.episode_open, name="case-episode"),
    path("referrals/<int:pk>/decision/", views.referral_decision, name="referral-decision"),
    path("episodes/<int:pk>/close/", episode_views.episode_close, name="episode-close"),
    path("episodes/<int:pk>/interventions/", episode_views.episode_interventions,
         name="episode-interventions"),
    path("episodes/<int:pk>/feedback/<str:kind>/", episode_views.episode_feedback,
         name="episode-feedback"),
    path("records/<slug:kind>/<int:pk>/edit/", correction_views.record_edit,
         name="record-edit"),
    path("records/<slug:kind>/<int:pk>/withdraw/", correction_views.record_withdraw,
         name="record-withdraw"),
    path("teams/<int:service_pk>/workforce/", workforce_views.team_workforce,
         name="team-workforce"),
    path("teams/<int:service_pk>/import/", import_views.import_page, name="team-import"),
    path("teams/<int:service_pk>/import/confirm/", import_views.import_confirm,
         name="team-import-confirm"),
    path("teams/<int:service_pk>/import/templates/<slug:record_type>.csv",
         import_views.import_template_csv, name="team-import-template-csv"),
    path("teams/<int:service_pk>/import/templates/workbook.xlsx",
         import_views.import_template_xlsx, name="team-import-template-xlsx"),
]
