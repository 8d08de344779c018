from django.urls import path

from . import views, views_standards

app_name = "quality"
urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<int:service_pk>/start/", views.start, name="start"),
    path("reviews/<int:review_pk>/", views.review, name="review"),
    path("reviews/<int:review_pk>/standards/<int:standard_pk>/", views.standard,
         name="review-standard"),
    path("reviews/<int:review_pk>/standards/<int:standard_pk>/file/", views.add_file,
         name="add-file"),
    path("reviews/<int:review_pk>/standards/<int:standard_pk>/link/", views.add_link,
         name="add-link"),
    path("reviews/<int:review_pk>/submit/", views.submit, name="submit"),
    path("files/<int:file_pk>/", views.download, name="file"),
    path("files/<int:file_pk>/remove/", views.remove_file, name="remove-file"),
    path("links/<int:link_pk>/remove/", views.remove_link, name="remove-link"),
    path("sets/", views_standards.sets, name="sets"),
    path("sets/<int:set_pk>/", views_standards.set_detail, name="set"),
    path("sets/<int:set_pk>/thresholds/", views_standards.thresholds, name="thresholds"),
    path("sets/<int:set_pk>/new-version/", views_standards.new_version, name="new-version"),
    path("sets/<int:set_pk>/publish/", views_standards.publish, name="publish"),
    path("standards/<int:standard_pk>/edit/", views_standards.edit_standard,
         name="edit-standard"),
]
