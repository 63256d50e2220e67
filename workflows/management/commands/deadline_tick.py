"""Fire deadline warnings (50 %, 80 %) and escalations (100 %); safe to run twice at once, or late."""

from django.core.management import BaseCommand

from workflows.services import deadline_tick, incident_close_unanswered


class Command(BaseCommand):
    help = (
        "Revisa los plazos de los casos abiertos: avisa al 50 % y 80 % y escala a la jefatura al vencer. "
        "Cada aviso se envía una sola vez, aunque el comando corra dos veces a la vez o tras una caída."
    )

    def handle(self, *args, **options):
        result = deadline_tick()
        closed = incident_close_unanswered()
        self.stdout.write(
            f"Casos revisados: {result.checked}; avisos enviados: {result.fired}; "
            f"cerrados sin reclamo: {closed}."
        )
