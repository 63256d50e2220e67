"""Issue or revoke an Open311 api_key: `manage.py open311_key NAME`, `manage.py open311_key --revoke PREFIX`.

The key is printed once and stored nowhere: only its SHA-256 and its first 8 characters are kept.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workflows.open311.services import integrator_key_issue, integrator_key_revoke


class Command(BaseCommand):
    help = (
        "Crea una clave Open311 (api_key) para un integrador y la muestra una sola vez (se guarda solo su "
        "SHA-256), o la revoca con --revoke INICIO."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="Nombre del integrador que usará la clave.")
        parser.add_argument("--revoke", metavar="PREFIX", help="Desactiva la clave activa que empieza así.")

    def handle(self, *args, name=None, revoke=None, **options):
        if revoke:
            try:
                integrator = integrator_key_revoke(prefix=revoke)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            self.stdout.write(_("Clave %(key)s revocada.") % {"key": integrator})
            return
        if not name or not name.strip():
            raise CommandError(_("Indique el nombre del integrador, o --revoke INICIO."))
        try:
            integrator, key = integrator_key_issue(name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            _(
                "Clave Open311 creada para «%(name)s» (inicio %(prefix)s). "
                "Guárdela ahora: no se volverá a mostrar."
            )
            % {"name": integrator.name, "prefix": integrator.prefix}
        )
        # The key alone on the last line, so a script can take it with `tail -n 1`.
        self.stdout.write(key)
