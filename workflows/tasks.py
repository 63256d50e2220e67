"""Background jobs of workflows (django-tasks); each body calls one service."""

from django_tasks import task

from workflows.notifications import deadline_email_send, status_email_send


@task()
def send_status_email(incident_id: int) -> bool:
    return status_email_send(incident_id=incident_id)


@task()
def send_deadline_email(incident_id: int, level: str) -> int:
    return deadline_email_send(incident_id=incident_id, level=level)
