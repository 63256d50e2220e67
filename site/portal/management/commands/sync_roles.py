"""Create the role groups and set their permissions (idempotent; also runs after every migrate)."""

from django.core.management import BaseCommand

from portal.roles import roles_sync


class Command(BaseCommand):
    help = "Crea los grupos de roles y ajusta sus permisos. Idempotente."

    def handle(self, *args, **options):
        for role, count in roles_sync().items():
            self.stdout.write(f"  {role}: {count} permisos")
