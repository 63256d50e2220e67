"""Rate limits of the incidents API (scopes in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])."""

from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

CREATE_SCOPE = "incident_create"
SUPPORT_SCOPE = "incident_support"
# Used when the settings name no rate for a scope (a missing key must not turn every request into a 500).
FALLBACK_RATES = {CREATE_SCOPE: "20/hour", SUPPORT_SCOPE: "60/hour"}


class ProjectScopedRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle that reads its rates when asked and identifies clients by REMOTE_ADDR.

    DRF copies DEFAULT_THROTTLE_RATES into the class once, at import; reading them at request time lets
    settings changes (and tests' override_settings) take effect. The client address is REMOTE_ADDR only:
    daphne's --proxy-headers already puts nginx's X-Forwarded-For there, while DRF's own reading of
    X-Forwarded-For would let a client reaching daphne directly pick a new address per request.
    """

    @property
    def THROTTLE_RATES(self):  # noqa: N802 (the name DRF reads)
        return api_settings.DEFAULT_THROTTLE_RATES or {}

    def get_rate(self):
        rates = self.THROTTLE_RATES
        if self.scope in rates:
            return rates[self.scope]
        return FALLBACK_RATES.get(self.scope)

    def get_ident(self, request):
        return request.META.get("REMOTE_ADDR") or "unknown"
