# Hand-written (helper "tasks"): only StaffNotification. The lead renumbers it after the flows migrations.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0010_incident_subtasks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StaffNotification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("assigned", "Tarea asignada a usted"),
                            ("new_task", "Nueva tarea en la cola de su institución"),
                            ("deadline_warning", "Aviso de plazo"),
                            ("escalated", "Caso escalado a la jefatura"),
                        ],
                        max_length=20,
                        verbose_name="tipo",
                    ),
                ),
                ("text", models.CharField(max_length=300, verbose_name="texto")),
                ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="leída")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="fecha")),
                (
                    "incident",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="staff_notifications",
                        to="workflows.incident",
                        verbose_name="caso",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="staff_notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="persona",
                    ),
                ),
            ],
            options={
                "verbose_name": "aviso para el personal",
                "verbose_name_plural": "avisos para el personal",
                "ordering": ["-created_at", "-id"],
                "indexes": [models.Index(fields=["user", "read_at"], name="staffnotif_user_unread")],
            },
        ),
    ]
