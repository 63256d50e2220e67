"""Incidents over REST: report (idempotent), public list and detail, "this affects me too".

Thin views: parse, call a service or a selector, shape the answer. Domain errors become 4xx answers in
`workflows.api.errors`; the reporter's identity and contact never appear in any answer here.
"""

from functools import partial
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from workflows.api.errors import DomainErrorsMixin
from workflows.api.filters import IncidentPublicFilter
from workflows.api.parsers import StrictJSONParser
from workflows.api.reporting import incident_report_web
from workflows.api.selectors import incident_public_by_folio, incident_public_list
from workflows.api.serializers import (
    IncidentCreatedSerializer,
    IncidentCreateSerializer,
    IncidentPublicDetailSerializer,
    IncidentPublicSerializer,
    IncidentSupportResultSerializer,
)
from workflows.api.throttles import CREATE_SCOPE, SUPPORT_SCOPE, ProjectScopedRateThrottle
from workflows.models import Incident
from workflows.selectors import incident_for_tracking
from workflows.services import idempotent, incident_support, request_fingerprint

IDEMPOTENCY_HEADER = "Idempotency-Key"
# Schema texts below are API documentation, written in Spanish and not translated (as in cms_content.api).
# The portal's tracking page (it takes the same ?s= secret); the API detail if the portal is not mounted.
PORTAL_TRACKING_URL_NAME = "portal:incident_detail"
SECRET_PARAMETER = "s"
SECRET_MAX_LENGTH = 64  # the model's field; longer is never a match


def tracking_path(incident: Incident) -> str:
    """Where the reporter follows the case; carries its secret, so the link works for any case."""
    try:
        path = reverse(PORTAL_TRACKING_URL_NAME, kwargs={"folio": incident.folio})
    except NoReverseMatch:
        path = reverse("api-incident-detail", kwargs={"folio": incident.folio})
    return f"{path}?{urlencode({SECRET_PARAMETER: incident.tracking_secret})}"


class IncidentPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


_ERROR = inline_serializer(
    name="ApiError", fields={"detail": serializers.CharField(), "code": serializers.CharField()}
)
_FIELD_ERRORS = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="Datos no válidos: un objeto {campo: [mensajes]} en español.",
    examples=[
        OpenApiExample(
            "Categoría desconocida",
            value={"category": ["Categoría desconocida."]},
            response_only=True,
            status_codes=["400"],
        )
    ],
)
_IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    name=IDEMPOTENCY_HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Clave única de esta solicitud (1 a 100 caracteres de A-Z a-z 0-9 _ . : -; por ejemplo un UUID). "
        "Un reintento con la misma clave y el mismo cuerpo recibe la misma respuesta (el mismo folio); "
        "la misma clave con otro cuerpo recibe 422; mientras la primera solicitud se procesa, 409."
    ),
)


class IncidentListCreateView(DomainErrorsMixin, generics.ListAPIView):
    """GET: public incidents (no sensitive or held ones). POST: report an incident."""

    permission_classes = [AllowAny]
    parser_classes = [StrictJSONParser]
    serializer_class = IncidentPublicSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = IncidentPublicFilter
    pagination_class = IncidentPagination
    throttle_scope = CREATE_SCOPE

    def get_queryset(self):
        return incident_public_list()

    def get_throttles(self):
        # Reading is free; reporting is limited per client address (or per signed-in user).
        return [ProjectScopedRateThrottle()] if self.request.method == "POST" else []

    @extend_schema(
        summary="Incidentes públicos",
        description=(
            "Incidentes de categorías públicas (nunca las sensibles ni los retenidos para revisión), "
            "más nuevos primero. Sin datos de quien reporta."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Reportar un incidente",
        description=(
            "Crea un reporte ciudadano (canal web), anónimo o con sesión iniciada. Indique un punto "
            "(latitud y longitud dentro de la comuna) o una descripción del lugar. La respuesta no repite "
            "los datos de contacto; `tracking_url` lleva la clave secreta del caso: guárdela. "
            "Límite de reportes por dirección IP (429 con Retry-After)."
        ),
        parameters=[_IDEMPOTENCY_KEY_PARAMETER],
        request=IncidentCreateSerializer,
        responses={
            201: IncidentCreatedSerializer,
            400: _FIELD_ERRORS,
            409: OpenApiResponse(_ERROR, description="La misma clave aún se está procesando."),
            422: OpenApiResponse(_ERROR, description="La clave ya se usó con otro cuerpo."),
            429: OpenApiResponse(_ERROR, description="Demasiados reportes; vea Retry-After."),
        },
        examples=[
            OpenApiExample(
                "Con punto en el mapa",
                value={
                    "category": "microbasural",
                    "description": "Bolsas de basura acumuladas en la esquina.",
                    "latitude": -45.5712,
                    "longitude": -72.0685,
                    "is_anonymous": False,
                    "contact_name": "Ana Pérez",
                    "contact_phone": "+56912345678",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Anónimo, con dirección",
                value={
                    "category": "luminaria-apagada",
                    "description": "Poste sin luz hace una semana.",
                    "address": "Baquedano con Prat",
                    "is_anonymous": True,
                },
                request_only=True,
            ),
            OpenApiExample(
                "Reporte recibido",
                value={
                    "folio": "CN-2026-000123",
                    "status": "received",
                    "tracking_url": "https://cooperanet.example/api/incidents/CN-2026-000123/?s=…",
                    "created_at": "2026-05-04T10:15:00-04:00",
                },
                response_only=True,
                status_codes=["201"],
            ),
        ],
    )
    def post(self, request, *args, **kwargs):
        payload = request.data
        key = request.headers.get(IDEMPOTENCY_HEADER)
        work = partial(self._create, request, payload)
        if key is None:
            status_code, body = work()
        else:
            status_code, body = idempotent(
                scope=self._idempotency_scope(request),
                key=key,
                request_hash=request_fingerprint(payload),
                work=work,
            )
        return Response(body, status=status_code)

    def _create(self, request, payload) -> tuple[int, dict]:
        if not isinstance(payload, dict):
            raise ValidationError(
                {"non_field_errors": [_("Envíe un objeto JSON con los campos del reporte.")]}
            )
        serializer = IncidentCreateSerializer(data=payload)
        serializer.is_valid(raise_exception=True)
        incident = incident_report_web(by=request.user, **serializer.validated_data)
        body = IncidentCreatedSerializer(
            {
                "folio": incident.folio,
                "status": incident.status,
                "tracking_url": request.build_absolute_uri(tracking_path(incident)),
                "created_at": incident.created_at,
            }
        ).data
        return status.HTTP_201_CREATED, dict(body)

    @staticmethod
    def _idempotency_scope(request) -> str:
        # Keys are per signed-in user, so one person's key never answers another's request.
        if request.user.is_authenticated:
            return f"incident_create:user:{request.user.pk}"
        return "incident_create:anonymous"


class IncidentDetailView(DomainErrorsMixin, generics.GenericAPIView):
    """An incident's public page and timeline; sensitive or held cases only with `?s=<secret>`.

    Same rules as the portal's tracking page: a signed-in reporter or staff member who may see the case
    gets it without the secret too.
    """

    permission_classes = [AllowAny]
    serializer_class = IncidentPublicDetailSerializer
    queryset = Incident.objects.none()  # rows come from a selector; this only names the model

    @extend_schema(
        summary="Detalle público de un incidente",
        parameters=[
            OpenApiParameter(
                name=SECRET_PARAMETER,
                type=str,
                location=OpenApiParameter.QUERY,
                required=False,
                description="Clave secreta del enlace de seguimiento (casos sensibles o anónimos).",
            )
        ],
        responses={200: IncidentPublicDetailSerializer, 404: _ERROR},
    )
    def get(self, request, folio: str):
        secret = request.query_params.get(SECRET_PARAMETER, "")[:SECRET_MAX_LENGTH] or None
        tracked = incident_for_tracking(folio=folio, user=request.user, secret=secret)
        if tracked is None:
            raise NotFound(_("Incidente no encontrado."))
        serializer = IncidentPublicDetailSerializer(tracked.incident, context={"timeline": tracked.events})
        return Response(serializer.data)


class IncidentSupportView(DomainErrorsMixin, generics.GenericAPIView):
    """ "This affects me too": one per signed-in user, or per browser session when anonymous."""

    permission_classes = [AllowAny]
    parser_classes = [StrictJSONParser]
    serializer_class = IncidentSupportResultSerializer
    queryset = Incident.objects.none()
    throttle_classes = [ProjectScopedRateThrottle]
    throttle_scope = SUPPORT_SCOPE

    @extend_schema(
        summary="También me afecta",
        description=(
            "Suma a quien llama como afectado por un incidente público y abierto: una vez por usuario "
            "con sesión iniciada o por sesión del navegador. Responde el nuevo total (201), o el mismo "
            "total si ya lo había apoyado (200)."
        ),
        request=None,
        responses={
            200: IncidentSupportResultSerializer,
            201: IncidentSupportResultSerializer,
            404: _ERROR,
            409: OpenApiResponse(_ERROR, description="El incidente ya está cerrado."),
            429: _ERROR,
        },
    )
    def post(self, request, folio: str):
        incident = incident_public_by_folio(folio=folio)
        if incident is None:
            raise NotFound(_("Incidente no encontrado."))
        session_key = ""
        if not request.user.is_authenticated:
            if not request.session.session_key:
                request.session.save()  # gives the browser a session cookie to be counted by
            session_key = request.session.session_key
        result = incident_support(incident_id=incident.pk, user=request.user, session_key=session_key)
        body = IncidentSupportResultSerializer(
            {"folio": incident.folio, "supporters_count": result.supporters_count, "created": result.created}
        ).data
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
