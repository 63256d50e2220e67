"""The Chilean RUT: cleaning, check digit, display."""

import pytest

from workflows.rut import rut_check_digit, rut_clean, rut_format, rut_is_valid


@pytest.mark.parametrize(
    "value",
    [
        "12.345.678-5",
        "123456785",
        "12345678-5",
        " 12.345.678-5 ",
        "11.111.111-1",
        "5.126.663-3",
        "76.354.771-k",
    ],
)
def test_valid_ruts_are_accepted_however_they_are_written(value):
    assert rut_is_valid(value)


@pytest.mark.parametrize(
    "value", ["12.345.678-4", "12.345.678-K", "", "K", "abc", "0-0", "1234567890-1", "12.345.678-5" * 3]
)
def test_wrong_digit_or_shape_is_refused(value):
    assert not rut_is_valid(value)


def test_check_digit_ten_is_written_k_and_eleven_zero():
    assert rut_check_digit("10000013") == "K"
    assert rut_check_digit("10000004") == "0"
    assert rut_is_valid("10.000.013-k")


def test_clean_and_format():
    assert rut_clean("012.345.678-5") == "12345678-5"
    assert rut_format("123456785") == "12.345.678-5"
