"""Short codes people read aloud or type on a phone, and long secrets that only travel in links."""

import secrets

# No 0/O, 1/I/L: codes are read aloud at the door and typed by elderly people on small keyboards.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REGISTRATION_CODE_LENGTH = 8
WORKSHOP_CODE_LENGTH = 6


def short_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def registration_code() -> str:
    return short_code(REGISTRATION_CODE_LENGTH)


def workshop_code() -> str:
    return short_code(WORKSHOP_CODE_LENGTH)


def secret_token() -> str:
    """The secret of a cancel link or a participant's cookie (~256 bits)."""
    return secrets.token_urlsafe(32)


def normalise_code(value: str) -> str:
    """What a person typed, as stored: spaces and dashes dropped, capitals."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())[:32]
