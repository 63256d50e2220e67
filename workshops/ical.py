"""Calendar files (RFC 5545) of one workshop or of the upcoming list, built with `icalendar`."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from workshops.models import WorkshopPage

PRODID = "-//CooperaNet Coyhaique//Talleres//ES"


def _event(workshop: WorkshopPage, *, base_url: str) -> Event:
    zone = ZoneInfo(settings.TIME_ZONE)
    event = Event()
    # A stable UID: calendars update the same event when the workshop changes.
    event.add("uid", f"taller-{workshop.pk}@cooperanet")
    event.add("summary", workshop.title)
    event.add("dtstart", datetime.combine(workshop.date, workshop.start_time, tzinfo=zone))
    event.add("dtend", datetime.combine(workshop.date, workshop.end_time, tzinfo=zone))
    event.add(
        "dtstamp", workshop.last_published_at or workshop.latest_revision_created_at or datetime.now(tz=zone)
    )
    event.add("location", ", ".join(filter(None, [workshop.place_name, workshop.address])))
    point = workshop.coordinates
    if point:
        event.add("geo", (point["lat"], point["lon"]))
    description = [workshop.intro] if workshop.intro else []
    if workshop.accessibility:
        description.append(_("Accesibilidad: %(services)s") % {"services": ", ".join(workshop.accessibility)})
    if description:
        event.add("description", "\n\n".join(description))
    url = workshop.get_url()
    if url:
        event.add("url", url if url.startswith("http") else base_url.rstrip("/") + url)
    return event


def calendar_bytes(workshops, *, base_url: str, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for workshop in workshops:
        calendar.add_component(_event(workshop, base_url=base_url))
    return calendar.to_ical()
