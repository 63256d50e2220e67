"""Background jobs (django-tasks) delivering staff notifications; each body calls one service."""

from django_tasks import task

from workflows.services import staff_notifications


@task()
def deliver_assigned(task_ids: list[int], user_id: int) -> int:
    return staff_notifications.assigned_deliver(task_ids=task_ids, user_id=user_id)


@task()
def deliver_new_task(task_id: int) -> int:
    return staff_notifications.new_task_deliver(task_id=task_id)


@task()
def deliver_deadline(incident_id: int, level: str) -> int:
    return staff_notifications.deadline_deliver(incident_id=incident_id, level=level)


@task()
def deliver_subtask_escalation(subtask_id: int, level: str) -> int:
    return staff_notifications.subtask_escalation_deliver(subtask_id=subtask_id, level=level)
