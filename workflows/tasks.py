"""Background jobs of workflows (django-tasks); each body calls one service."""

from django_tasks import task

from workflows.notifications import status_email_send


@task()
def send_status_email(incident_id: int) -> bool:
    return status_email_send(incident_id=incident_id)
