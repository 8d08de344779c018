from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<int:service_pk>/", views.team, name="team"),
    path("teams/<int:service_pk>/cases/new/", views.case_new, name="team-case-new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/referrals/new/", views.record_referral, name="case-referral"),
    path("cases/<int:pk>/contacts/new/", views.record_contact, name="case-contact"),
    path("cases/<int:pk>/measures/new/", views.record_measure, name="case-measure"),
]
