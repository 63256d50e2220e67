"""A new human task waiting in a queue tells the staff who may take it (connected in WorkflowsConfig.ready).

viewflow has no "task created" signal; a Task row inserted without an owner is exactly that.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS


@receiver(post_save, sender=Task, dispatch_uid="workflows.staff_new_task")
def queue_new_task_notification(sender, instance: Task, created: bool, raw: bool = False, **kwargs):
    if raw or not created or instance.flow_task_type != "HUMAN" or instance.owner_id is not None:
        return
    if instance.status != STATUS.NEW:
        return
    from workflows.services.staff_notifications import staff_notify_new_task

    staff_notify_new_task(task_id=instance.pk)
