"""Open311 GeoReport v2 endpoints; each answers XML or JSON after its `.xml` / `.json` suffix.

Thin views: forms check input, selectors read, services write, serializers and renderers answer.
Every refusal is the spec's error list with its HTTP status, never an HTML page.
"""

import functools

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from workflows.open311 import serializers
from workflows.open311.forms import Open311Error, ServiceRequestForm, field_error, parse_request_query
from workflows.open311.renderers import JSON, XML, render, render_errors
from workflows.open311.selectors import (
    integrator_key_for,
    open311_request_get,
    open311_request_list,
    open311_service_get,
    open311_service_list,
    open311_services_changed_at,
)
from workflows.open311.services import open311_request_create

# Field names of the incident model, as the client knows them.
_MODEL_TO_SPEC_FIELDS = {
    "latitude": "lat",
    "longitude": "long",
    "address": "address_string",
    "category": "service_code",
}


def open311_endpoint(*methods: str):
    """Allow `methods` only (405 otherwise) and turn an Open311Error into the spec's error list."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, fmt: str, **kwargs):
            if request.method not in methods:
                response = render_errors(
                    [_("Método %(method)s no permitido aquí.") % {"method": request.method}],
                    fmt=fmt,
                    status=405,
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                return render_errors(error.descriptions, fmt=fmt, status=error.status)

        return wrapper

    return decorator


def _validation_descriptions(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        field_error(_MODEL_TO_SPEC_FIELDS.get(field, field), message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]


@open311_endpoint("GET", "HEAD")
def discovery(request, *, fmt: str):
    base_url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0]
    payload = serializers.discovery(base_url=f"{base_url}/", changed_at=open311_services_changed_at())
    return render(payload, fmt=fmt, root="discovery")


@open311_endpoint("GET", "HEAD")
def service_list(request, *, fmt: str):
    services = [serializers.service(category) for category in open311_service_list()]
    return render(services, fmt=fmt, root="services")


@open311_endpoint("GET", "HEAD")
def service_definition(request, service_code: str, *, fmt: str):
    category = open311_service_get(service_code=service_code)
    if category is None:
        raise Open311Error(404, [field_error("service_code", _("servicio desconocido o no disponible."))])
    return render(serializers.service_definition(category), fmt=fmt, root="service_definition")


@csrf_exempt  # integrators authenticate with api_key, never with a session cookie
@open311_endpoint("GET", "HEAD", "POST")
def service_requests(request, *, fmt: str):
    """GET: public service requests (spec filters, 90 days, at most 1000). POST: create one."""
    if request.method == "POST":
        return _request_create(request, fmt=fmt)
    query = parse_request_query(request.GET)
    incidents = open311_request_list(
        service_request_ids=query.service_request_ids,
        service_codes=query.service_codes,
        start=query.start,
        end=query.end,
        statuses=query.statuses,
    )
    payload = [serializers.service_request(incident, request=request) for incident in incidents]
    return render(payload, fmt=fmt, root="service_requests")


def _request_create(request, *, fmt: str):
    integrator = integrator_key_for(key=request.POST.get("api_key", ""))
    if integrator is None:
        raise Open311Error(403, [_("api_key ausente, no válida o revocada: no se puede crear la solicitud.")])
    form = ServiceRequestForm(request.POST)
    if not form.is_valid():
        raise Open311Error(400, form.descriptions())
    category = open311_service_get(service_code=form.cleaned_data["service_code"])
    if category is None:
        # Unknown, sensitive and non-public services get the same answer: none is offered here.
        raise Open311Error(400, [field_error("service_code", _("servicio desconocido o no disponible."))])
    missing = form.requirement_errors(category)
    if missing:
        raise Open311Error(400, missing)
    data = form.cleaned_data
    try:
        incident = open311_request_create(
            category=category,
            integrator=integrator,
            description=data["description"],
            latitude=data["lat"],
            longitude=data["long"],
            address=data["address_string"] or data["address_id"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            media_url=data["media_url"],
        )
    except ValidationError as error:
        raise Open311Error(400, _validation_descriptions(error)) from error
    return render([serializers.request_created(incident)], fmt=fmt, root="service_requests")


@open311_endpoint("GET", "HEAD")
def request_detail(request, service_request_id: str, *, fmt: str):
    incident = open311_request_get(service_request_id=service_request_id)
    if incident is None:
        raise Open311Error(404, [field_error("service_request_id", _("solicitud no encontrada."))])
    return render([serializers.service_request(incident, request=request)], fmt=fmt, root="service_requests")


@open311_endpoint("GET", "HEAD")
def token_detail(request, token: str, *, fmt: str):
    """Requests are created at once and their id is the folio, so a token is simply the folio."""
    incident = open311_request_get(service_request_id=token)
    if incident is None:
        raise Open311Error(404, [field_error("token", _("token no encontrado."))])
    return render([serializers.token(incident)], fmt=fmt, root="service_requests")


@csrf_exempt
def not_found(request, path: str = ""):
    """Anything else under the API: the spec's 404, in JSON if the path asked for it, else in XML."""
    fmt = JSON if path.endswith(".json") else XML
    return render_errors([_("Recurso desconocido: vea discovery.xml.")], fmt=fmt, status=404)
