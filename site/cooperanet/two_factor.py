"""TOTP two-factor for staff and editors (django-otp): the requirement, and the enroll and verify screens.

Who: anyone with is_staff/is_superuser or a staff role (every role but citizen and neighbourhood leader).
Where: the staff screens under settings.COOPERANET_2FA_PATHS (/cms/, /tareas/) when
settings.COOPERANET_REQUIRE_2FA is on (the default; test settings switch it off, tests/security on).
How: a signed-in staff user whose session is not yet verified is sent to /seguridad/verificar/, or to
/seguridad/activar/ to set up an authenticator app first. Codes are throttled by django-otp per device.
"""

import base64
import io
import re

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.roles import Role

# Roles that only use the citizen site: no second factor asked.
CITIZEN_ROLES = {Role.CITIZEN, Role.NEIGHBOURHOOD_LEADER}
DEVICE_NAME = "Aplicación de autenticación"
_CODE = re.compile(r"^\d{6}$")


def needs_two_factor(user) -> bool:
    """Staff and editors: is_staff, superusers, or any role beyond the citizen ones."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.exclude(name__in=CITIZEN_ROLES).exists()


def _safe_next(request, default: str = "/cms/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class RequireTwoFactorMiddleware:
    """Sends unverified staff sessions on the staff paths to the verify (or enroll) screen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect_to = self._redirect(request)
        if redirect_to is not None:
            return redirect_to
        return self.get_response(request)

    def _redirect(self, request):
        if not getattr(settings, "COOPERANET_REQUIRE_2FA", False):
            return None
        paths = tuple(getattr(settings, "COOPERANET_2FA_PATHS", ()))
        if not paths or not request.path_info.startswith(paths):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not needs_two_factor(user):
            return None
        if user.is_verified():
            return None
        # Wagtail's own logout must stay reachable.
        if request.path_info.rstrip("/").endswith("/logout"):
            return None
        confirmed = any(True for _device in devices_for_user(user, confirmed=True))
        name = "two_factor_verify" if confirmed else "two_factor_enroll"
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Código de 6 dígitos"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
        error_messages={"required": gettext_lazy("Escriba el código de 6 dígitos.")},
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not _CODE.fullmatch(code):
            raise forms.ValidationError(_("El código tiene 6 dígitos, sin espacios ni letras."))
        return code


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]  # drop the XML declaration; the SVG goes inline in the page


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_enroll(request):
    """Set up an authenticator app: show the QR code and the key, confirm with a first code."""
    if any(True for _device in devices_for_user(request.user, confirmed=True)):
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': _safe_next(request)})}")
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error(
                "code", _("Demasiados intentos seguidos. Espere unos segundos e intente de nuevo.")
            )
        elif device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_safe_next(request))
        else:
            form.add_error(
                "code",
                _("El código no coincide. Revise la hora del teléfono y escriba el código nuevo."),
            )
    secret = base64.b32encode(device.bin_key).decode("ascii")
    context = {
        "form": form,
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 (our own SVG, no user text)
        "secret": _grouped(secret),
        "next": _safe_next(request),
    }
    return render(request, "cooperanet/two_factor_enroll.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """Ask for the current code of the user's authenticator app."""
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('two_factor_enroll')}?{urlencode({'next': _safe_next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            allowed, _details = device.verify_is_allowed()
            if allowed and device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error(
            "code",
            _("El código no es correcto o ya venció. Espere el siguiente código e inténtelo otra vez."),
        )
    return render(request, "cooperanet/two_factor_verify.html", {"form": form, "next": _safe_next(request)})
