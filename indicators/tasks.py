"""Background jobs of indicators (django-tasks); each body calls one service."""

from django_tasks import task

from indicators.services import export_job_run


@task()
def run_export_job(job_id: int) -> str:
    return export_job_run(job_id=job_id)
