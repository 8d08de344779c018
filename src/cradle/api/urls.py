from django.urls import include, path
from rest_framework.urlpatterns import format_suffix_patterns

from . import views, views_docs, views_more
from .base import endpoint

app_name = "api"

v1 = format_suffix_patterns([
    path("schemes/", endpoint(views.SchemeList), name="schemes"),
    path("areas/", endpoint(views.AreaList), name="areas"),
    path("areas/<str:scheme>/<str:code>/", endpoint(views.AreaDetail), name="area"),
    path("local-authorities/", endpoint(views.LocalAuthorityList), name="local-authorities"),
    path("coverage/areas/", endpoint(views.CoverageAreas), name="coverage-areas"),
    path("coverage/nations/", endpoint(views.CoverageNations), name="coverage-nations"),
    path("services/", endpoint(views_more.ServiceList), name="services"),
    path("services/<str:id>/", endpoint(views_more.ServiceDetail), name="service"),
    path("planning/areas/", endpoint(views_more.PlanningAreas), name="planning-areas"),
    path("foi/campaigns/", endpoint(views_more.FoiCampaigns), name="foi-campaigns"),
    path("foi/campaigns/<str:id>/areas/", endpoint(views_more.FoiCampaignAreas),
         name="foi-campaign-areas"),
    path("foi/campaigns/<str:id>/todays-areas/", endpoint(views_more.FoiCampaignTodaysAreas),
         name="foi-campaign-todays-areas"),
    path("pooled/summary/", endpoint(views_more.PooledSummary), name="pooled-summary"),
    path("milestones/", endpoint(views_more.Milestones), name="milestones"),
], allowed=["csv", "geojson", "json"])

urlpatterns = [
    path("", views_docs.docs, name="docs"),
    path("v1/schema/", endpoint(views_more.SchemaView), name="schema"),
    path("v1/", include(v1)),
]
