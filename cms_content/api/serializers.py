"""Read-only JSON shapes of the reference data (for kiosks, native apps, other front ends)."""

from rest_framework import serializers

from cms_content.geo import parse_point
from cms_content.models import Actor, ActorService, IncidentCategory, Neighbourhood


class SubSectionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    description = serializers.CharField(source="display_description")
    emergency_notice = serializers.CharField(source="display_emergency_notice")
    responsible_actor = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = IncidentCategory
        fields = [
            "slug",
            "name",
            "icon",
            "colour",
            "description",
            "emergency_notice",
            "emergency_phone",
            "blocks_form",
            "sensitive",
            "default_priority",
            "requires_photo",
            "requires_exact_location",
            "requires_contact",
            "duplicate_radius_m",
            "responsible_actor",
        ]


class SectionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    description = serializers.CharField(source="display_description")
    children = serializers.SerializerMethodField()

    class Meta:
        model = IncidentCategory
        fields = ["slug", "name", "icon", "colour", "description", "children"]

    def get_children(self, section) -> list[dict]:
        children = [c for c in section.children.all() if c.live and c.active]
        return SubSectionSerializer(children, many=True).data


class ActorServiceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = ActorService
        fields = ["name", "requirements", "where_when", "mode", "url"]


class ActorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    description = serializers.CharField(source="display_description")
    location = serializers.SerializerMethodField()
    services = ActorServiceSerializer(many=True, read_only=True)
    coverage = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Actor
        fields = [
            "slug",
            "name",
            "group",
            "description",
            "phones",
            "emergency_phone",
            "email",
            "website",
            "address",
            "location",
            "open_24_7",
            "opening_hours",
            "coverage",
            "services",
        ]

    def get_location(self, actor) -> dict | None:
        point = parse_point(actor.location)
        return {"lat": point.lat, "lon": point.lon} if point else None


class NeighbourhoodFeatureSerializer(serializers.ModelSerializer):
    """A neighbourhood as a GeoJSON Feature."""

    class Meta:
        model = Neighbourhood
        fields = ["slug", "name"]

    def to_representation(self, neighbourhood):
        return {
            "type": "Feature",
            "id": neighbourhood.slug,
            "geometry": neighbourhood.boundary,
            "properties": {"slug": neighbourhood.slug, "name": neighbourhood.name},
        }
