"""The front desk: enter a report brought in person or by phone, print its receipt, look up any report.

Every view here needs `workflows.intake_incident` (role group `front_desk`). Staff see the citizen's
details on these screens; sensitive categories only when they entered the report themselves or may see
sensitive cases of their actor (`_visible_incidents`).
"""

import hashlib
import logging
import re
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace, Upper
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cms_content.selectors import directory_query_clean, phone_links
from portal.intake_forms import IntakeForm
from portal.qr import qr_svg
from portal.tracking_views import deadline_light
from workflows import services
from workflows.models import Incident, IncidentEvent, IncidentEventKind
from workflows.rut import rut_clean, rut_format, rut_is_valid
from workflows.selectors import incident_list_for_user

logger = logging.getLogger(__name__)

INTAKE_PERMISSION = "workflows.intake_incident"
CHANNEL_SESSION_KEY = "portal.intake_channel"
# The same form sent twice must give the first report back: the key identifies the form, so every
# submission of one key is "the same request" whatever was changed in between.
INTAKE_IDEMPOTENCY_HASH = hashlib.sha256(b"portal.intake").hexdigest()
QUERY_MIN_LENGTH = 3
QUERY_MAX_WORDS = 5
SEARCH_RESULTS_MAX = 50
CITIZEN_MATCHES_MAX = 10
# Contact rows scanned to fill the ten distinct citizens (the same person often reported many times).
CITIZEN_ROWS_SCANNED = 200
PHONE_QUERY_DIGITS_MIN = 6
# A Chilean number has nine digits after the country code (56): match on those, however it was typed.
PHONE_SIGNIFICANT_DIGITS = 9
_FOLIO_QUERY = re.compile(r"^CN-?(?P<year>\d{4})-?(?P<number>\d{1,6})$", re.IGNORECASE)
_PHONE_QUERY = re.compile(r"^[\d\s+().\-]+$")
_PHONE_PUNCTUATION = (" ", "-", "+", "(", ")", ".")

# Categories out of public lists (DESIGN.md privacy rules): sensitive, not public, or under such a section.
_HIDDEN_CATEGORY = (
    Q(category__sensitive=True)
    | Q(category__public=False)
    | Q(category__parent__sensitive=True)
    | Q(category__parent__public=False)
)


def intake_required(view):
    """Front-desk staff only: anonymous visitors go to the login page, signed-in citizens get a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        if not request.user.has_perm(INTAKE_PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --- Reads (scoped by who is looking) ------------------------------------------------------------------


def _visible_incidents(user) -> QuerySet[Incident]:
    """Every incident, except sensitive ones the officer neither entered nor may see through their actor."""
    entered = IncidentEvent.objects.filter(kind=IncidentEventKind.REPORTED, by=user).values("incident_id")
    allowed = Q(pk__in=entered)
    if user.has_perm("workflows.view_sensitive_incident"):
        # Scoped by actor membership (auditors: all), as everywhere else sensitive cases are shown.
        allowed |= Q(pk__in=incident_list_for_user(user=user).values("pk"))
    return Incident.objects.filter(~_HIDDEN_CATEGORY | allowed)


def _phone_digits(field: str):
    expression = F(field)
    for character in _PHONE_PUNCTUATION:
        expression = Replace(expression, Value(character), Value(""))
    return expression


def _with_contact_keys(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """Annotate the RUT without dots or hyphen and the phone's digits, however they were stored."""
    return incidents.annotate(
        rut_compact=Upper(Replace(Replace(F("contact_rut"), Value("."), Value("")), Value("-"), Value(""))),
        phone_digits=_phone_digits("contact_phone"),
    )


def _query_words(query: str) -> list[str]:
    return query.split()[:QUERY_MAX_WORDS]


def _rut_compact(query: str) -> str:
    """The query as a RUT without dots or hyphen ("123456785"), or "" when it is not a valid RUT."""
    return rut_clean(query).replace("-", "") if rut_is_valid(query) else ""


def _phone_query(query: str) -> str:
    """The significant digits of a query that looks like a phone number, else ""."""
    digits = re.sub(r"\D", "", query)
    if len(digits) < PHONE_QUERY_DIGITS_MIN or not _PHONE_QUERY.match(query):
        return ""
    return digits[-PHONE_SIGNIFICANT_DIGITS:]


def _incident_search(*, user, query: str) -> QuerySet[Incident]:
    """Incidents matching a folio, a RUT (any punctuation), phone digits or words of the address."""
    query = directory_query_clean(query)
    if len(query) < QUERY_MIN_LENGTH:
        return Incident.objects.none()
    address = Q()
    for word in _query_words(query):
        address &= Q(address__icontains=word)
    conditions = address
    folio = _FOLIO_QUERY.match(query.replace(" ", ""))
    if folio:
        conditions |= Q(folio=f"CN-{folio['year']}-{int(folio['number']):06d}")
    if rut := _rut_compact(query):
        conditions |= Q(rut_compact=rut)
    if phone := _phone_query(query):
        conditions |= Q(phone_digits__contains=phone)
    return (
        _with_contact_keys(_visible_incidents(user))
        .filter(conditions)
        .select_related("category", "category__parent", "responsible_actor")
        .order_by("-created_at")
    )


def _citizen_matches(*, user, query: str) -> list[dict]:
    """Up to ten people whose details match a RUT, a phone or a name: from earlier reports, then accounts."""
    query = directory_query_clean(query)
    if len(query) < QUERY_MIN_LENGTH:
        return []
    words = _query_words(query)
    rut, phone = _rut_compact(query), _phone_query(query)
    by_contact = Q()
    by_account = Q()
    if rut:
        by_contact = Q(rut_compact=rut)
    elif phone:
        by_contact = Q(phone_digits__contains=phone)
    elif "@" in query:
        by_contact = Q(contact_email__iexact=query)
        by_account = Q(email__iexact=query)
    else:
        for word in words:
            by_contact &= Q(contact_name__icontains=word)
            by_account &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    matches: dict[tuple, dict] = {}

    def add(name: str, rut_value: str, phone_value: str, email: str) -> None:
        key = (name.casefold(), rut_clean(rut_value), re.sub(r"\D", "", phone_value), email.casefold())
        if key not in matches and len(matches) < CITIZEN_MATCHES_MAX:
            matches[key] = {
                "name": name,
                "rut": rut_format(rut_value) or rut_value,
                "phone": phone_value,
                "email": email,
            }

    contacts = (
        _with_contact_keys(_visible_incidents(user))
        .filter(by_contact, is_anonymous=False)
        .exclude(contact_name="", contact_rut="", contact_phone="", contact_email="")
        .order_by("-created_at")
        .values_list("contact_name", "contact_rut", "contact_phone", "contact_email")[:CITIZEN_ROWS_SCANNED]
    )
    for row in contacts:
        add(*row)
    if by_account and len(matches) < CITIZEN_MATCHES_MAX:
        accounts = get_user_model().objects.filter(by_account, is_active=True).order_by("last_name")
        for account in accounts[:CITIZEN_MATCHES_MAX]:
            add(account.get_full_name(), "", "", account.email)
    return list(matches.values())


# --- Views -------------------------------------------------------------------------------------------


def _create(*, form: IntakeForm, user) -> tuple[str, bool]:
    """Store the report and its photos in one transaction; (folio, whether this call created it).

    A form sent twice (double click, back and resend) carries the same key and gets the first folio.
    """
    data = form.cleaned_data
    written = []
    ran = []

    def work() -> tuple[int, dict]:
        ran.append(True)
        incident = services.incident_report(
            category=data["category"],
            description=data["description"],
            by=user,
            latitude=data["latitude"],
            longitude=data["longitude"],
            address=data["address"],
            channel=data["channel"],
            is_anonymous=data["is_anonymous"],
            contact_name=data["contact_name"],
            contact_rut=data["contact_rut"],
            contact_phone=data["contact_phone"],
            contact_email=data["contact_email"],
        )
        for rebuilt in data["photos"]:
            try:
                written.append(services.incident_photo_add(incident=incident, upload=rebuilt, by=user))
            except ValidationError as error:
                raise ValidationError({"photos": error.messages}) from error
        return 201, {"folio": incident.folio}

    try:
        _status, body = services.idempotent(
            scope=f"intake:{user.pk}",
            key=data["submission_key"],
            request_hash=INTAKE_IDEMPOTENCY_HASH,
            work=work,
        )
    except BaseException:
        # The rows rolled back, but photo files written inside the transaction stay unless removed.
        for photo in written:
            for file in (photo.image, photo.thumbnail):
                try:
                    file.storage.delete(file.name)
                except OSError:
                    logger.exception("Could not remove orphan photo file %s", file.name)
        raise
    return body["folio"], bool(ran)


@never_cache
@intake_required
@require_http_methods(["GET", "POST"])
def intake_new(request):
    """The intake screen; a valid POST stores the report and goes to its printable receipt."""
    form = IntakeForm(
        request.POST or None,
        request.FILES or None,
        initial_channel=request.session.get(CHANNEL_SESSION_KEY),
    )
    if request.method == "POST" and form.is_valid():
        try:
            folio, created = _create(form=form, user=request.user)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                for field, errors in error.message_dict.items():
                    # The map's hidden fields show nothing: their errors go next to the address.
                    field = "address" if field in ("latitude", "longitude") else field
                    form.add_error(field if field in form.fields else None, errors)
        except services.IdempotencyError as error:
            form.add_error(None, error.message)
        else:
            request.session[CHANNEL_SESSION_KEY] = form.cleaned_data["channel"]
            if created:
                messages.success(request, _("Reporte %(folio)s ingresado.") % {"folio": folio})
            else:
                messages.info(
                    request,
                    _("Este formulario ya se había enviado: el reporte es el %(folio)s.") % {"folio": folio},
                )
            return redirect("portal:intake_receipt", folio=folio)
    return render(request, "portal/intake/new.html", {"form": form})


def _tracking_url(request, incident: Incident) -> str:
    """The tracking page with its secret: it opens the report even when its category is sensitive."""
    path = reverse("portal:incident_detail", args=[incident.folio])
    return request.build_absolute_uri(f"{path}?s={incident.tracking_secret}")


@never_cache
@intake_required
@require_GET
def intake_receipt(request, folio):
    """The printable receipt: folio, category, dates, responsible actor, tracking link and its QR code."""
    incident = (
        _visible_incidents(request.user)
        .select_related("category", "category__parent", "responsible_actor")
        .filter(folio=folio[:20])
        .first()
    )
    if incident is None:
        raise Http404
    tracking_url = _tracking_url(request, incident)
    light_class, light_text = deadline_light(incident)
    actor = incident.responsible_actor
    phones = phone_links(actor.phones) if actor else []
    # The emergency number only when it is not already one of the actor's phones (132 / 132).
    emergency_phone = actor.emergency_phone if actor else ""
    if emergency_phone in {phone.dial for phone in phones}:
        emergency_phone = ""
    return render(
        request,
        "portal/intake/receipt.html",
        {
            "incident": incident,
            "tracking_url": tracking_url,
            "qr_url": tracking_url,
            "qr": qr_svg(tracking_url, label=_("Código QR del enlace de seguimiento")),
            "actor": actor,
            "actor_phones": phones,
            "actor_emergency_phone": emergency_phone,
            "light_class": light_class,
            "light_text": light_text,
        },
    )


@never_cache
@intake_required
@require_GET
def intake_search(request):
    """ "¿Cómo va mi reporte?" at the desk: find a report by folio, RUT, phone or address."""
    query = directory_query_clean(request.GET.get("q", ""))
    results = None
    if query:
        results = []
        for incident in _incident_search(user=request.user, query=query)[:SEARCH_RESULTS_MAX]:
            light_class, light_text = deadline_light(incident)
            results.append({"incident": incident, "light_class": light_class, "light_text": light_text})
    return render(
        request,
        "portal/intake/search.html",
        {
            "query": query,
            "results": results,
            "too_short": bool(query) and len(query) < QUERY_MIN_LENGTH,
            "results_max": SEARCH_RESULTS_MAX,
        },
    )


@never_cache
@intake_required
@require_GET
def intake_citizen_search(request):
    """JSON for the "find citizen" box: {"results": [{"name", "rut", "phone", "email"}]}, at most ten."""
    return JsonResponse({"results": _citizen_matches(user=request.user, query=request.GET.get("q", ""))})
