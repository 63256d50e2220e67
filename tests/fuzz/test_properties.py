"""Property tests (hypothesis) of the services: RUT validation, strict JSON decoding, idempotency."""

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ParseError

from chat.consumers.base import strict_json_loads
from workflows.api.parsers import StrictJSONParser
from workflows.rut import rut_clean, rut_is_valid
from workflows.services.idempotency import (
    IDEMPOTENCY_KEY_PATTERN,
    IdempotencyKeyInvalid,
    idempotency_key_validate,
    request_fingerprint,
)

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_digit(number: int) -> str:
    total, factor = 0, 2
    for digit in reversed(str(number)):
        total += int(digit) * factor
        factor = 2 if factor == 7 else factor + 1
    rest = 11 - total % 11
    return {11: "0", 10: "K"}.get(rest, str(rest))


@FAST
@given(st.integers(min_value=1_000_000, max_value=99_999_999))
def test_every_rut_with_its_check_digit_is_valid_in_any_common_spelling(number):
    digit = _check_digit(number)
    dotted = f"{number:,}".replace(",", ".")
    for spelling in (
        f"{number}-{digit}",
        f"{dotted}-{digit}",
        f"{number}{digit}",
        f"{dotted}-{digit.lower()}",
    ):
        assert rut_is_valid(spelling), spelling
    assert rut_clean(f"{dotted}-{digit}") == rut_clean(f"{number}{digit}")


@FAST
@given(st.integers(min_value=1_000_000, max_value=99_999_999), st.sampled_from("0123456789K"))
def test_a_wrong_check_digit_is_never_valid(number, digit):
    if digit != _check_digit(number):
        assert not rut_is_valid(f"{number}-{digit}")


@FAST
@given(st.text(max_size=30))
def test_rut_validation_never_raises_on_any_text(text):
    assert rut_is_valid(text) in (True, False)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@FAST
@given(_json)
def test_strict_json_reads_back_whatever_json_writes(value):
    assert strict_json_loads(json.dumps(value)) == value


@FAST
@given(st.text(max_size=200))
def test_strict_json_either_decodes_or_raises_value_error(text):
    try:
        value = strict_json_loads(text)
    except (ValueError, RecursionError):
        return
    for number in _numbers(value):
        assert math.isfinite(number)


def _numbers(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)


class _Stream:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, size=-1):
        return self.data if size < 0 else self.data[:size]


@FAST
@given(st.binary(max_size=300))
def test_the_api_parser_answers_any_bytes_with_data_or_a_parse_error(data):
    try:
        StrictJSONParser().parse(_Stream(data))
    except ParseError as error:
        assert str(error.detail)


@FAST
@given(st.text(max_size=120))
def test_idempotency_keys_are_accepted_exactly_when_they_match_the_documented_shape(key):
    if IDEMPOTENCY_KEY_PATTERN.fullmatch(key):
        assert idempotency_key_validate(key) == key
    else:
        with pytest.raises(IdempotencyKeyInvalid):
            idempotency_key_validate(key)


@FAST
@given(st.dictionaries(st.text(max_size=10), _json, max_size=6))
def test_a_fingerprint_ignores_key_order(payload):
    reordered = dict(reversed(list(payload.items())))
    assert request_fingerprint(payload) == request_fingerprint(reordered)
