"""Create the chat room of every neighbourhood (idempotent; the room list also does it on first visit)."""

from django.core.management.base import BaseCommand

from chat.services import room_sync_neighbourhoods


class Command(BaseCommand):
    help = "Crea la sala de chat de cada barrio activo y cierra las de barrios inactivos (idempotente)."

    def handle(self, *args, **options):
        created = room_sync_neighbourhoods()
        self.stdout.write(f"{created} salas creadas")
