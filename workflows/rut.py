"""The Chilean RUT (Rol Único Tributario): cleaning, check digit, display.

A RUT is a number of up to eight digits (nine for a few legal persons) and a check digit, 0-9 or K,
computed modulo 11. People write it with or without dots and hyphen ("12.345.678-5", "123456785");
we store the clean form "12345678-5" and show the dotted one.
"""

import re

# Longer input is not a RUT however it is punctuated; bounding it keeps cleaning cheap.
RUT_INPUT_MAX_LENGTH = 20
# Dots, spaces, and the hyphen or any dash a phone keyboard may put instead.
_SEPARATORS = re.compile("[.\\s\\-\u2010-\u2015]")
_CLEAN = re.compile(r"^(?P<body>\d{1,9})(?P<dv>[0-9K])$")


def rut_check_digit(body: str) -> str:
    """The check digit ("0"-"9" or "K") of the digits of a RUT's number."""
    total = 0
    factor = 2
    for digit in reversed(body):
        total += int(digit) * factor
        factor = 2 if factor == 7 else factor + 1
    remainder = 11 - total % 11
    if remainder == 11:
        return "0"
    if remainder == 10:
        return "K"
    return str(remainder)


def rut_clean(value: str) -> str:
    """The RUT as "NNNNNNNN-D" (no dots, no leading zeros, upper-case K), or "" if it cannot be one.

    Only the shape is checked here; `rut_is_valid` checks the digit.
    """
    if not isinstance(value, str) or len(value) > RUT_INPUT_MAX_LENGTH:
        return ""
    compact = _SEPARATORS.sub("", value).upper()
    match = _CLEAN.match(compact)
    if not match:
        return ""
    body = match.group("body").lstrip("0")
    if not body:
        return ""
    return f"{body}-{match.group('dv')}"


def rut_is_valid(value: str) -> bool:
    """Whether `value` is a RUT whose check digit matches its number."""
    clean = rut_clean(value)
    if not clean:
        return False
    body, dv = clean.split("-")
    return rut_check_digit(body) == dv


def rut_format(value: str) -> str:
    """The RUT with thousands dots, as printed on the identity card ("12.345.678-5"); "" if unreadable."""
    clean = rut_clean(value)
    if not clean:
        return ""
    body, dv = clean.split("-")
    return f"{int(body):,}".replace(",", ".") + f"-{dv}"
