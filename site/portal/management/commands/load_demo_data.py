"""Create demo users of every role and demo incidents (fixed random seed); refused in production."""

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.test.utils import override_settings

from portal.demo import DEMO_PASSWORD, demo_incidents_create, demo_users_create
from workflows.models import Incident
from workshops.demo import workshops_demo_setup


class Command(BaseCommand):
    help = (
        "Crea usuarios de demostración de cada rol (contraseña pública) y reportes de ejemplo "
        "con una semilla fija. Se niega a correr con la configuración de producción."
    )

    def add_arguments(self, parser):
        parser.add_argument("--incidents", type=int, default=300, help="Cuántos reportes crear (300).")
        parser.add_argument("--seed", type=int, default=2026, help="Semilla aleatoria (2026).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="No crear reportes si ya hay alguno (para `make run` repetido).",
        )

    def handle(self, *args, incidents, seed, if_empty, **options):
        if getattr(settings, "SETTINGS_KIND", "") == "production":
            raise CommandError("Los datos de demostración no se cargan en producción.")
        users = demo_users_create()
        self.stdout.write(f"Usuarios de demostración: {len(users)} (contraseña «{DEMO_PASSWORD}»).")
        workshops_demo_setup()
        if if_empty and Incident.objects.exists():
            self.stdout.write("Ya hay reportes: no se crean más.")
            return
        step = max(1, incidents // 10)

        def progress(done, total):
            if done % step == 0 or done == total:
                self.stdout.write(f"  reportes: {done}/{total}")

        # Demo status changes would e-mail the demo citizen hundreds of times: keep those in memory.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            demo_incidents_create(count=incidents, seed=seed, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Reportes de demostración: {incidents}."))
