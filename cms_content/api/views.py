"""Read-only reference data endpoints, cacheable (ETag from the content, short max-age)."""

import hashlib
import json

from django.db.models import Prefetch
from django.utils.cache import patch_cache_control, patch_vary_headers
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from cms_content.api.serializers import (
    ActorSerializer,
    NeighbourhoodFeatureSerializer,
    SectionSerializer,
)
from cms_content.api.taxonomy_cache import cached_taxonomy
from cms_content.models import Actor, IncidentCategory, Neighbourhood
from cms_content.selectors import emergency_number_list

CACHE_SECONDS = 300


class CachedReadOnlyMixin:
    """Adds an ETag computed from the JSON body and answers 304 when the client already has it."""

    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends: list = []

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and request.method == "GET":
            body = json.dumps(response.data, sort_keys=True, default=str).encode()
            etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
            if request.headers.get("If-None-Match") == etag:
                response = Response(status=304)
                response.accepted_renderer = request.accepted_renderer
                response.accepted_media_type = request.accepted_media_type
                response.renderer_context = self.get_renderer_context()
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
            patch_vary_headers(response, ["Accept-Language"])
        return response


class TaxonomyView(CachedReadOnlyMixin, generics.ListAPIView):
    """Sections with their active sub-sections, in the request's language (built once per version:
    cms_content.api.taxonomy_cache)."""

    serializer_class = SectionSerializer

    def list(self, request, *args, **kwargs):
        def build():
            # Plain lists and dicts (DRF's ReturnList keeps its serializer, which the cache cannot store).
            return json.loads(json.dumps(self.get_serializer(self.get_queryset(), many=True).data))

        return Response(cached_taxonomy(build, seconds=CACHE_SECONDS))

    def get_queryset(self):
        children = IncidentCategory.objects.select_related("responsible_actor").order_by("sort_order", "name")
        return (
            IncidentCategory.objects.sections()
            .filter(live=True, active=True)
            .prefetch_related(Prefetch("children", queryset=children))
            .order_by("sort_order", "name")
        )


class ActorListView(CachedReadOnlyMixin, generics.ListAPIView):
    """Active actors with their service catalogue."""

    serializer_class = ActorSerializer

    def get_queryset(self):
        return Actor.objects.filter(active=True).prefetch_related("services", "coverage")


class NeighbourhoodCollectionSerializer(serializers.Serializer):
    type = serializers.CharField()
    features = serializers.ListField(child=serializers.DictField())


class NeighbourhoodGeoJSONView(CachedReadOnlyMixin, generics.GenericAPIView):
    """Active neighbourhoods as a GeoJSON FeatureCollection."""

    serializer_class = NeighbourhoodCollectionSerializer

    @extend_schema(responses=NeighbourhoodCollectionSerializer)
    def get(self, request):
        features = NeighbourhoodFeatureSerializer(Neighbourhood.objects.filter(active=True), many=True).data
        return Response({"type": "FeatureCollection", "features": features})


class EmergencyNumberSerializer(serializers.Serializer):
    number = serializers.CharField()
    actor = serializers.CharField()
    actor_slug = serializers.CharField()


class EmergencyNumberListView(CachedReadOnlyMixin, generics.GenericAPIView):
    """Emergency numbers of the actor directory (133, 132, 131…)."""

    serializer_class = EmergencyNumberSerializer
    queryset = Actor.objects.none()  # rows come from a selector; this only tells the schema the model

    @extend_schema(responses=EmergencyNumberSerializer(many=True))
    def get(self, request):
        rows = [
            {"number": item["number"], "actor": item["actor"].display_name, "actor_slug": item["actor"].slug}
            for item in emergency_number_list()
        ]
        return Response(rows)
