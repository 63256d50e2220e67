"""The trainer's part of the minute (acta): outcomes and agreements."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms_content.validators import PLAIN_TEXT
from workshops.models import WorkshopMinute, WorkshopPage
from workshops.services.errors import WorkshopError


def minute_save(*, workshop: WorkshopPage, outcomes: str, user) -> WorkshopMinute:
    text = str(outcomes or "").strip()
    if len(text) > 10000:
        raise WorkshopError(_("El texto es demasiado largo."))
    try:
        for validator in PLAIN_TEXT:
            validator(text)
    except ValidationError as error:
        raise WorkshopError(error.messages[0]) from None
    minute, _created = WorkshopMinute.objects.update_or_create(
        workshop=workshop, defaults={"outcomes": text, "updated_by": user}
    )
    return minute
