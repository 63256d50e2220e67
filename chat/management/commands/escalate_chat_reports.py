"""Escalate chat reports the moderators left unhandled to the municipality (run by the timers)."""

from django.core.management.base import BaseCommand

from chat.services import reports_escalate_overdue


class Command(BaseCommand):
    help = "Escala a la municipalidad las denuncias de chat que los moderadores no atendieron a tiempo."

    def handle(self, *args, **options):
        count = reports_escalate_overdue()
        self.stdout.write(f"{count} denuncias escaladas")
