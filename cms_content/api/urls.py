"""Reference data endpoints under /api/."""

from django.urls import path

from cms_content.api import views

urlpatterns = [
    path("taxonomy/", views.TaxonomyView.as_view(), name="api-taxonomy"),
    path("actors/", views.ActorListView.as_view(), name="api-actors"),
    path("neighbourhoods/", views.NeighbourhoodGeoJSONView.as_view(), name="api-neighbourhoods"),
    path("emergency-numbers/", views.EmergencyNumberListView.as_view(), name="api-emergency-numbers"),
]
