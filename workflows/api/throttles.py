"""Rate limits of the incidents API (scopes in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])."""

from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

CREATE_SCOPE = "incident_create"
SUPPORT_SCOPE = "incident_support"
# Used when the settings name no rate for a scope (a missing key must not turn every request into a 500).
FALLBACK_RATES = {CREATE_SCOPE: "20/hour", SUPPORT_SCOPE: "60/hour"}


class ProjectScopedRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle that reads its rates when asked, with a fallback per scope.

    DRF copies DEFAULT_THROTTLE_RATES into the class once, at import; reading them at request time lets
    settings changes (and tests' override_settings) take effect. Clients are told apart by DRF's own
    rule: the signed-in user, else the address (X-Forwarded-For under REST_FRAMEWORK["NUM_PROXIES"],
    which production sets for nginx).
    """

    @property
    def THROTTLE_RATES(self):  # noqa: N802 (the name DRF reads)
        return api_settings.DEFAULT_THROTTLE_RATES or {}

    def get_rate(self):
        rates = self.THROTTLE_RATES
        if self.scope in rates:
            return rates[self.scope]
        return FALLBACK_RATES.get(self.scope)
