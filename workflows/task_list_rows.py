"""The rows of the staff task lists as plain values, read in one query per page.

viewflow's generic list draws every cell through its column objects (a method call, a format and an escape
per cell, a URL reverse per link): with 25 rows that was most of the page's time (py-spy: 96 % of a request
in template rendering, SQL 12 ms). Here each row is a dict of strings and dates, built in one pass over the
page's tasks and one query for their cases, and workflows/task_list.html draws them with plain variables.
"""

from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from workflows.models import Incident
from workflows.task_selectors import DeadlineState, deadline_state_of

# Stand-ins reversed once per page, then replaced in each row's link: the URLs differ only by these parts,
# and a reverse through viewflow's namespaces costs a fraction of a millisecond each.
_PROCESS, _TASK, _FOLIO = 918273645, 546372819, "FOLIO-PLACEHOLDER"


class _TaskUrls:
    """Each task's page, one reverse per kind of task on the page."""

    def __init__(self):
        self._patterns = {}

    def __call__(self, task) -> str:
        node = task.flow_task
        pattern = self._patterns.get(node)
        if pattern is None:
            pattern = self._patterns[node] = node.reverse("index", args=[_PROCESS, _TASK])
        return pattern.replace(str(_PROCESS), str(task.process_id)).replace(str(_TASK), str(task.pk))


def case_rows(tasks, *, date_column: str = "created", now=None) -> list[dict]:
    """One dict per task: its link and title, its case's folio, category, neighbourhood, deadline light and
    acta link, and the date of `date_column` ("created" or "finished"). A task whose case is gone keeps its
    own cells and leaves the case's empty."""
    tasks = list(tasks)
    case_ids = {task.process.artifact_object_id for task in tasks}
    cases = {
        case["pk"]: case
        for case in Incident.objects.filter(pk__in=case_ids).values(
            "pk", "folio", "status", "due_at", "category__name", "neighbourhood__name"
        )
    }
    now = now or timezone.now()
    labels = {state: str(label) for state, label in DeadlineState.LABELS.items()}  # translated once per page
    task_url = _TaskUrls()
    acta_pattern = reverse("workflows_staff:acta_pdf", args=[_FOLIO])
    rows = []
    for task in tasks:
        row = {
            "pk": task.pk,
            "url": task_url(task),
            "label": f"#{task.process_id}/{task.pk}",
            "title": task.title,
            "date": getattr(task, date_column),  # drawn in local time and the user's format, as viewflow does
            "case": None,
        }
        case = cases.get(task.process.artifact_object_id)
        if case is not None:
            state = deadline_state_of(status=case["status"], due_at=case["due_at"], now=now)
            row["case"] = {
                "folio": case["folio"],
                "category": case["category__name"],
                "neighbourhood": case["neighbourhood__name"] or "",
                "deadline": state,
                "deadline_label": labels[state],
                # The due date is shown while the case is open (finished cases show "Caso terminado" only).
                "due": case["due_at"] if case["due_at"] and state != DeadlineState.DONE else None,
                "acta_url": acta_pattern.replace(_FOLIO, quote(case["folio"])),
            }
        rows.append(row)
    return rows
