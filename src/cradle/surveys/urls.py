from django.urls import path

from . import views, views_public

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_new, name="new"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/state/", views.survey_state, name="state"),
    path("<int:pk>/import/", views.import_check, name="import"),
    path("<int:pk>/import/confirm/", views.import_confirm, name="import-confirm"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/results.csv", views.survey_results_csv, name="results-csv"),
    path("s/<str:token>/", views_public.answer, name="answer"),
    path("published/<int:pk>/", views_public.public_results, name="public-results"),
    path("published/<int:pk>/results.csv", views_public.public_results_csv,
         name="public-results-csv"),
]
