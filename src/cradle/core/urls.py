from django.urls import path

from . import views, views_statements

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("data/", views.data_sources, name="data-sources"),
    path("privacy/", views_statements.privacy, name="privacy"),
    path("accessibility/", views_statements.accessibility, name="accessibility"),
    path("cookies/", views_statements.cookies, name="cookies"),
    path("contact/", views_statements.contact, name="contact"),
]
