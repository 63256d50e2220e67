"""Helpers shared by the chat room modules (test_room_*.py); their fixtures live in conftest.py."""

from chat import services


def post(room, user, body="Hola vecinos", client_id=""):
    return services.message_post(room_id=room.pk, by=user, body=body, client_id=client_id).message
