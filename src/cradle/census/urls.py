from django.urls import path

from . import views, views_answer, views_import, views_suggest

app_name = "census"

urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/send/", views.send_links, name="send-links"),
    path("rounds/<int:pk>/remind/", views.send_reminders, name="send-reminders"),
    path("rounds/<int:pk>/mail-merge.csv", views.mail_merge, name="mail-merge"),
    path("rounds/<int:pk>/import/", views_import.import_answers, name="import"),
    path("rounds/<int:pk>/import/confirm/", views_import.import_confirm, name="import-confirm"),
    path("rounds/<int:pk>/import/template.csv", views_import.import_template,
         name="import-template"),
    path("links/<int:pk>/", views.invitation_change, name="invitation-change"),
    path("answers/<int:pk>/review/", views.review, name="review"),
    path("link/<str:token>/", views_answer.open_link, name="open-link"),
    path("answer/", views_answer.answer, name="answer"),
    path("suggestions/", views_suggest.queue, name="suggestions"),
    path("suggestions/<int:pk>/", views_suggest.suggestion_detail, name="suggestion"),
    path("tell-us-about-a-service/", views_suggest.suggest, name="suggest"),
    path("tell-us-about-a-service/thanks/", views_suggest.suggest_thanks,
         name="suggest-thanks"),
]
