"""Reads of workshops: lists, seats, who may run a workshop, live results, the minute and participation."""

from collections import Counter, defaultdict
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from workshops.models import (
    Answer,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Suggestion,
    WorkshopIndexPage,
    WorkshopPage,
)
from workshops.ranking import borda_count

PAST_WORKSHOPS_SHOWN = 20
TEXT_ANSWERS_SHOWN = 100


def workshop_lists(*, index: WorkshopIndexPage, today: date | None = None):
    """Live workshops under `index`: upcoming (today included) soonest first, then recent past ones."""
    today = today or timezone.localdate()
    workshops = WorkshopPage.objects.child_of(index).live()
    upcoming = workshops.filter(date__gte=today).order_by("date", "start_time")
    past = workshops.filter(date__lt=today).order_by("-date", "-start_time")[:PAST_WORKSHOPS_SHOWN]
    return list(upcoming), list(past)


def upcoming_workshops(*, today: date | None = None) -> list[WorkshopPage]:
    today = today or timezone.localdate()
    return list(WorkshopPage.objects.live().filter(date__gte=today).order_by("date", "start_time"))


def seats_left(*, workshop: WorkshopPage) -> int:
    taken = Registration.objects.filter(workshop=workshop, status=RegistrationStatus.CONFIRMED).count()
    return max(workshop.capacity - taken, 0)


def waiting_position(*, registration: Registration) -> int | None:
    """1 for the first person waiting; None when not on the waiting list."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(
        workshop_id=registration.workshop_id, status=RegistrationStatus.WAITING
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def can_run(*, user, workshop: WorkshopPage) -> bool:
    """The workshop's own trainer, or anyone allowed to run every workshop (the trainer role)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return workshop.trainer_id == user.pk or user.has_perm("workshops.run_workshop")


def registrations_of(*, workshop: WorkshopPage):
    return (
        Registration.objects.filter(workshop=workshop)
        .select_related("neighbourhood")
        .order_by("created_at", "pk")
    )


def open_questions(*, workshop_id: int) -> list[dict]:
    """What phones show: the open questions with their options (never other people's answers)."""
    questions = Question.objects.filter(workshop_id=workshop_id, status="open").order_by("opened_at", "pk")
    return [
        {
            "id": q.pk,
            "kind": q.kind,
            "kind_label": str(q.get_kind_display()),
            "prompt": q.prompt,
            "options": q.options,
        }
        for q in questions
    ]


def _counted(labels) -> list[dict]:
    """Count free-text items, grouping the same words written with other capitals or spacing."""
    counts: Counter = Counter()
    first_spelling: dict[str, str] = {}
    for label in labels:
        key = " ".join(label.split()).casefold()
        first_spelling.setdefault(key, " ".join(label.split()))
        counts[key] += 1
    rows = [{"label": first_spelling[key], "count": n} for key, n in counts.items()]
    return sorted(rows, key=lambda row: (-row["count"], row["label"].casefold()))


def question_results(*, question: Question) -> dict:
    """The aggregated answers of one question, as the results screen shows them (JSON-ready)."""
    values = list(
        Answer.objects.filter(question=question).order_by("created_at", "pk").values_list("value", flat=True)
    )
    result = {
        "id": question.pk,
        "kind": question.kind,
        "prompt": question.prompt,
        "status": question.status,
        "count": len(values),
    }
    kind = question.kind
    if kind == QuestionKind.TEXT:
        result["answers"] = [v for v in values if isinstance(v, str)][-TEXT_ANSWERS_SHOWN:]
    elif kind == QuestionKind.LIST:
        result["items"] = _counted(
            item for v in values if isinstance(v, list) for item in v if isinstance(item, str)
        )
    elif kind == QuestionKind.CHOICE:
        counts = Counter(v for v in values if isinstance(v, int))
        result["items"] = [{"label": label, "count": counts[i]} for i, label in enumerate(question.options)]
    elif kind == QuestionKind.RANK:
        ballots = [v for v in values if isinstance(v, list)]
        result["items"] = borda_count(ballots, question.options)
    else:
        result["items"] = _counted(v["name"] for v in values if isinstance(v, dict) and "name" in v)
    return result


def answer_rows(*, workshop: WorkshopPage):
    """Every answer of a workshop, one row per answer (or per item), for the CSV export."""
    answers = (
        Answer.objects.filter(question__workshop=workshop)
        .select_related("question")
        .order_by("question__created_at", "question_id", "created_at", "pk")
    )
    for answer in answers:
        question, value = answer.question, answer.value
        if question.kind == QuestionKind.CHOICE and isinstance(value, int) and value < len(question.options):
            text = question.options[value]
        elif question.kind == QuestionKind.RANK and isinstance(value, list):
            text = " > ".join(
                question.options[i] for i in value if isinstance(i, int) and i < len(question.options)
            )
        elif isinstance(value, list):
            text = " | ".join(str(item) for item in value)
        elif isinstance(value, dict):
            text = value.get("name", "") + (f": {value['description']}" if value.get("description") else "")
        else:
            text = str(value)
        yield question, answer.participant_id, text, answer.created_at


def minute_data(*, workshop: WorkshopPage) -> dict:
    """Everything the minute (acta) shows: attendance, organisations, neighbourhoods, results, proposals."""
    attended = registrations_of(workshop=workshop).filter(checked_in_at__isnull=False)
    registered = Registration.objects.filter(workshop=workshop, walk_in=False).exclude(
        status=RegistrationStatus.CANCELLED
    )
    organisations = sorted({r.organisation for r in attended if r.organisation}, key=str.casefold)
    neighbourhoods = Counter(r.neighbourhood.name for r in attended if r.neighbourhood_id)
    questions = (
        Question.objects.filter(workshop=workshop).exclude(status="draft").order_by("created_at", "pk")
    )
    minute = getattr(workshop, "minute", None) if workshop.pk else None
    return {
        "attendees": list(attended),
        "attendance": attended.count(),
        "registered": registered.count(),
        "walk_ins": attended.filter(walk_in=True).count(),
        "organisations": organisations,
        "neighbourhoods": sorted(neighbourhoods.items()),
        "results": [question_results(question=q) for q in questions],
        "suggestions": list(Suggestion.objects.filter(workshop=workshop).order_by("created_at", "pk")),
        "outcomes": minute.outcomes if minute else "",
    }


def workshop_participation(*, date_from: date, date_to: date) -> dict:
    """Indicators of participation (seed 004), for the indicators app, which links incidents to them.

    A workshop counts as held when it is published, its date is in [date_from, date_to] and at least one
    person's arrival was recorded. Returns:
      {"workshops": [{"id", "title", "kind", "date", "attendance", "organisations": [names],
                      "neighbourhood_ids": [ids of attendees' neighbourhoods and the convened ones]}],
       "by_month": [{"month": "YYYY-MM", "workshops", "attendance", "organisations", "neighbourhoods"}],
       "totals": {"workshops", "attendance", "organisations", "neighbourhoods"}}
    Organisations are counted by name, without regard to capitals; people are never named.
    """
    workshops = (
        WorkshopPage.objects.live()
        .filter(date__gte=date_from, date__lte=date_to)
        .annotate(attendance=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)))
        .filter(attendance__gt=0)
        .order_by("date", "pk")
        .prefetch_related("neighbourhoods")
    )
    rows = []
    for workshop in workshops:
        attended = Registration.objects.filter(workshop=workshop, checked_in_at__isnull=False)
        organisations = sorted(
            {o.strip() for o in attended.values_list("organisation", flat=True) if o.strip()},
            key=str.casefold,
        )
        reached = set(attended.exclude(neighbourhood=None).values_list("neighbourhood_id", flat=True))
        reached |= {n.pk for n in workshop.neighbourhoods.all()}
        rows.append(
            {
                "id": workshop.pk,
                "title": workshop.title,
                "kind": workshop.kind,
                "date": workshop.date,
                "attendance": workshop.attendance,
                "organisations": organisations,
                "neighbourhood_ids": sorted(reached),
            }
        )
    months: dict[str, dict] = defaultdict(
        lambda: {"workshops": 0, "attendance": 0, "orgs": set(), "hoods": set()}
    )
    for row in rows:
        month = months[row["date"].strftime("%Y-%m")]
        month["workshops"] += 1
        month["attendance"] += row["attendance"]
        month["orgs"] |= {o.casefold() for o in row["organisations"]}
        month["hoods"] |= set(row["neighbourhood_ids"])
    by_month = [
        {
            "month": key,
            "workshops": m["workshops"],
            "attendance": m["attendance"],
            "organisations": len(m["orgs"]),
            "neighbourhoods": len(m["hoods"]),
        }
        for key, m in sorted(months.items())
    ]
    totals = {
        "workshops": len(rows),
        "attendance": sum(row["attendance"] for row in rows),
        "organisations": len({o.casefold() for row in rows for o in row["organisations"]}),
        "neighbourhoods": len({n for row in rows for n in row["neighbourhood_ids"]}),
    }
    return {"workshops": rows, "by_month": by_month, "totals": totals}
