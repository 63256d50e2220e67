"""The project's deploy checks (cooperanet.checks) flag each unsafe configuration."""

import pytest

from cooperanet import checks
from workflows.flows import StandardFlow


def _ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_the_test_configuration_passes_csp_uploads_and_locks():
    assert checks.check_content_security_policy() == []
    assert checks.check_upload_limits() == []
    assert checks.check_flow_locks() == []


def test_a_missing_csp_middleware_is_an_error(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "CSP" not in m]
    assert _ids(checks.check_content_security_policy()) == ["cooperanet.E001"]


def test_inline_scripts_on_citizen_pages_are_an_error(settings):
    policy = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]}}
    policy["DIRECTIVES"]["script-src"] = ["'self'", "'unsafe-inline'"]
    settings.CONTENT_SECURITY_POLICY = policy
    assert _ids(checks.check_content_security_policy()) == ["cooperanet.E001"]


def test_an_unset_upload_limit_is_an_error(settings):
    del settings.DATA_UPLOAD_MAX_NUMBER_FILES
    assert _ids(checks.check_upload_limits()) == ["cooperanet.E002"]


@pytest.mark.parametrize(
    ("backend", "ids"),
    [
        ("channels.layers.InMemoryChannelLayer", ["cooperanet.E003"]),
        ("channels_redis.core.RedisChannelLayer", []),
    ],
)
def test_the_channel_layer_must_not_be_in_memory(settings, backend, ids):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": backend}}
    assert _ids(checks.check_channel_layer()) == ids


def test_a_flow_without_row_locks_is_an_error(monkeypatch):
    from viewflow.workflow.lock import no_lock

    monkeypatch.setattr(StandardFlow, "lock_impl", no_lock)
    assert _ids(checks.check_flow_locks()) == ["cooperanet.E004"]


def test_two_factor_switched_off_is_a_warning(settings):
    settings.COOPERANET_REQUIRE_2FA = False
    assert _ids(checks.check_two_factor()) == ["cooperanet.W001"]
