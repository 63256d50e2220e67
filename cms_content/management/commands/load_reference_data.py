"""Load the reviewed reference data of Coyhaique from fixtures/ (idempotent: run twice = run once)."""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command

from cms_content.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Carga los datos de referencia de Coyhaique (barrios, actores, categorías, ayuda) desde fixtures/. "
        "Es idempotente: ejecutarlo dos veces deja la base igual que una vez."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures-dir",
            default=str(settings.FIXTURE_DIRS[0]),
            help="Carpeta con los archivos JSON de referencia.",
        )

    def handle(self, *args, fixtures_dir, **options):
        stats = reference_data_load(fixtures_dir=Path(fixtures_dir))
        created = sum(v for k, v in stats.items() if k.endswith(".created"))
        updated = sum(v for k, v in stats.items() if k.endswith(".updated"))
        for key in sorted(stats):
            self.stdout.write(f"  {key}: {stats[key]}")
        call_command("update_index", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"Datos de referencia: {created} creados, {updated} actualizados.")
        )
