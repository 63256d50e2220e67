"""Chat rooms (one per neighbourhood, per incident, per workshop), memberships, messages and moderation.

Messages are stored before anyone hears of them (the websocket only broadcasts saved rows), so the
database is the truth a reconnecting client resyncs from. Moderation never destroys text: a hidden or
deleted message keeps its body for the municipality, and every action is an append-only log row.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The reports' private storage: photos are never served directly by the web server.
from workflows.storage import get_private_storage

MESSAGE_MAX_CHARS = 4000
CLIENT_ID_MAX_CHARS = 64
MESSAGE_MAX_PHOTOS = 3


class RoomKind(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("Barrio")
    INCIDENT = "incident", _("Coordinación de un incidente")
    WORKSHOP = "workshop", _("Taller en vivo")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Abierta: cualquier vecino entra")
    APPROVAL = "approval", _("Con aprobación de un dirigente")


class Room(models.Model):
    """A chat room. Neighbourhood rooms are created from the CMS neighbourhoods (`room_sync_neighbourhoods`).

    Incident rooms point at an incident by id only: `chat` and `workflows` do not import each other's models.
    """

    kind = models.CharField(_("tipo"), max_length=20, choices=RoomKind.choices)
    name = models.CharField(_("nombre"), max_length=120)
    neighbourhood = models.ForeignKey(
        "cms_content.Neighbourhood",
        verbose_name=_("barrio"),
        # The room's history and moderation log outlive a mistaken delete: editors deactivate instead.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chat_rooms",
    )
    incident_id = models.PositiveBigIntegerField(_("incidente"), null=True, blank=True)
    join_policy = models.CharField(
        _("ingreso"), max_length=20, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    active = models.BooleanField(_("activa"), default=True)
    created_at = models.DateTimeField(_("creada"), default=timezone.now)

    def __str__(self):
        return self.name

    class Meta:
        ordering = ["name"]
        verbose_name = _("sala de chat")
        verbose_name_plural = _("salas de chat")
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood"],
                condition=models.Q(kind="neighbourhood"),
                name="chat_one_room_per_neighbourhood",
            ),
            models.UniqueConstraint(
                fields=["incident_id"],
                condition=models.Q(kind="incident"),
                name="chat_one_room_per_incident",
            ),
        ]
        permissions = [
            # The municipality: appoints leaders, reads every moderation log, handles escalated reports.
            ("oversee_rooms", _("Supervisa las salas de chat vecinal")),
        ]


class MembershipRole(models.TextChoices):
    LEADER = "leader", _("Dirigente")
    MODERATOR = "moderator", _("Moderador")
    MEMBER = "member", _("Integrante")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Solicitud pendiente")
    ACTIVE = "active", _("Activa")
    REMOVED = "removed", _("Retirada por moderación")


class Membership(models.Model):
    """A person in a room: role, status, mute, read position and roll-call choice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_memberships"
    )
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("rol"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    status = models.CharField(
        _("estado"), max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    muted_until = models.DateTimeField(_("silenciado hasta"), null=True, blank=True)
    leader_term_ends = models.DateField(_("fin del periodo de dirigente"), null=True, blank=True)
    last_read_message_id = models.PositiveBigIntegerField(_("último mensaje leído"), default=0)
    roll_call_opt_in = models.BooleanField(_("participa en pasar lista"), default=False)
    joined_at = models.DateTimeField(_("ingreso"), default=timezone.now)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    def __str__(self):
        return f"{self.user_id}@{self.room_id}"

    def is_muted(self, now=None) -> bool:
        return self.muted_until is not None and self.muted_until > (now or timezone.now())

    def can_moderate(self, today=None) -> bool:
        """Leaders (within their term) and moderators of an active membership moderate the room."""
        if self.status != MembershipStatus.ACTIVE:
            return False
        if self.role == MembershipRole.MODERATOR:
            return True
        if self.role == MembershipRole.LEADER:
            today = today or timezone.localdate()
            return self.leader_term_ends is None or self.leader_term_ends >= today
        return False

    def is_leader(self, today=None) -> bool:
        return self.role == MembershipRole.LEADER and self.can_moderate(today)

    class Meta:
        verbose_name = _("integrante de sala")
        verbose_name_plural = _("integrantes de salas")
        constraints = [models.UniqueConstraint(fields=["user", "room"], name="chat_one_membership")]


class Message(models.Model):
    """One message, stored as typed (escaped when shown). Hidden and deleted ones keep their text."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="chat_messages"
    )
    body = models.TextField(_("texto"), max_length=MESSAGE_MAX_CHARS)
    # Chosen by the sending client; a resend after a dropped connection carries the same one.
    client_id = models.CharField(_("identificador del cliente"), max_length=CLIENT_ID_MAX_CHARS, blank=True)
    created_at = models.DateTimeField(_("enviado"), default=timezone.now)
    edited_at = models.DateTimeField(_("editado"), null=True, blank=True)
    hidden = models.BooleanField(_("oculto por moderación"), default=False)
    hidden_reason = models.CharField(_("motivo de ocultamiento"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(_("ocultado"), null=True, blank=True)
    deleted = models.BooleanField(_("eliminado por su autor"), default=False)
    deleted_at = models.DateTimeField(_("eliminado"), null=True, blank=True)
    # Moved forward by every later change (edit, delete, hide, restore): a reconnecting client asks for the
    # messages changed since its last sync and applies them (`message_changes_since`).
    updated_at = models.DateTimeField(_("modificado"), default=timezone.now)
    # Where the author says it happens (optional): "turn this message into a report" puts the pin there.
    latitude = models.FloatField(_("latitud"), null=True, blank=True)
    longitude = models.FloatField(_("longitud"), null=True, blank=True)

    def __str__(self):
        return f"{self.room_id}#{self.pk}"

    class Meta:
        ordering = ["id"]
        verbose_name = _("mensaje")
        verbose_name_plural = _("mensajes")
        constraints = [
            models.UniqueConstraint(
                fields=["room", "author", "client_id"],
                condition=~models.Q(client_id=""),
                name="chat_message_client_id_once",
            )
        ]
        indexes = [
            models.Index(fields=["room", "id"], name="chat_message_room_id"),
            models.Index(fields=["room", "updated_at"], name="chat_message_room_updated"),
        ]


def message_photo_path(photo: "MessagePhoto", filename: str) -> str:
    # Random names: the original file name may carry a person's name.
    return f"chat/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


def message_thumbnail_path(photo: "MessagePhoto", filename: str) -> str:
    return f"chat/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-thumb.jpg"


class MessagePhoto(models.Model):
    """A photo of a message, rebuilt from its pixels by the reports' pipeline (no EXIF, GPS or comments).

    Kept in private storage and served by `chat:message_photo` to the room's members only: a hidden
    message's photos to its moderators, a deleted one's to nobody.
    """

    uid = models.UUIDField(_("identificador"), default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("foto"),
        upload_to=message_photo_path,
        storage=get_private_storage,
        width_field="width",
        height_field="height",
    )
    thumbnail = models.ImageField(
        _("miniatura"), upload_to=message_thumbnail_path, storage=get_private_storage
    )
    width = models.PositiveIntegerField(_("ancho"), default=0)
    height = models.PositiveIntegerField(_("alto"), default=0)
    created_at = models.DateTimeField(_("subida"), auto_now_add=True)

    def __str__(self):
        return f"{self.message_id} · {self.uid}"

    class Meta:
        ordering = ["id"]
        verbose_name = _("foto de mensaje")
        verbose_name_plural = _("fotos de mensajes")


class ModerationKind(models.TextChoices):
    HIDE = "hide", _("Ocultó un mensaje")
    MUTE = "mute", _("Silenció a un integrante")
    REMOVE = "remove", _("Retiró a un integrante")
    APPROVE = "approve", _("Aprobó un ingreso")
    APPOINT_MODERATOR = "appoint_moderator", _("Nombró moderador")
    APPOINT_LEADER = "appoint_leader", _("Nombró dirigente")
    REPORT_HANDLED = "report_handled", _("Atendió una denuncia")
    UNMUTE = "unmute", _("Quitó el silencio antes de plazo")
    READMIT = "readmit", _("Levantó un retiro")
    APPEAL_UPHELD = "appeal_upheld", _("Confirmó una medida apelada")
    APPEAL_REVERTED = "appeal_reverted", _("Revirtió una medida apelada")


class ModerationAction(models.Model):
    """One moderation step, for the municipality's log and appeals. Append-only: never updated or deleted."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="moderation_actions")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)
    kind = models.CharField(_("acción"), max_length=30, choices=ModerationKind.choices)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("motivo"), blank=True)
    until = models.DateTimeField(_("hasta"), null=True, blank=True)

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("ModerationAction rows are append-only")
        super().save(*args, **kwargs)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("acción de moderación")
        verbose_name_plural = _("acciones de moderación")


APPEALABLE_KINDS = (ModerationKind.HIDE, ModerationKind.MUTE, ModerationKind.REMOVE)


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("En revisión")
    UPHELD = "upheld", _("Medida confirmada")
    REVERTED = "reverted", _("Medida revertida")


class ModerationAppeal(models.Model):
    """The affected member's appeal of a hide, mute or removal; the municipality upholds or reverts it.

    One appeal per action. The decision is also logged as a `ModerationAction` of the room.
    """

    action = models.OneToOneField(
        ModerationAction, on_delete=models.CASCADE, related_name="appeal", verbose_name=_("medida")
    )
    appellant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("apelación"), max_length=1000)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)
    status = models.CharField(
        _("estado"), max_length=20, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("resuelta"), null=True, blank=True)
    decision_note = models.TextField(_("respuesta de la municipalidad"), blank=True)

    def __str__(self):
        return f"{self.action_id} ({self.status})"

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("apelación de moderación")
        verbose_name_plural = _("apelaciones de moderación")


class MessageReport(models.Model):
    """A member's report of a message: moderators first, the municipality once it is overdue."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("motivo"), max_length=500)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)
    handled = models.BooleanField(_("atendida"), default=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("atendida el"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalada a la municipalidad"), null=True, blank=True)

    def __str__(self):
        return f"{self.message_id} ({self.reporter_id})"

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("denuncia de mensaje")
        verbose_name_plural = _("denuncias de mensajes")
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="chat_report_once_per_reporter")
        ]


class AlertKind(models.TextChoices):
    WATER_CUT = "water_cut", _("Corte de agua")
    POWER_CUT = "power_cut", _("Corte de luz")
    FIRE = "fire", _("Incendio")
    ROAD_CLOSED = "road_closed", _("Camino cortado")
    WEATHER = "weather", _("Clima extremo")
    OTHER = "other", _("Otro aviso")


class Alert(models.Model):
    """An alert from an authority or agency to every room whose neighbourhood meets an area.

    Shown pinned and highlighted in those rooms while active; members answer the roll call.
    """

    kind = models.CharField(_("tipo"), max_length=20, choices=AlertKind.choices)
    title = models.CharField(_("título"), max_length=120)
    body = models.TextField(_("texto"), max_length=1000, blank=True)
    area = models.JSONField(_("área"), null=True, blank=True)
    rooms = models.ManyToManyField(Room, related_name="alerts", verbose_name=_("salas"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("enviado"), default=timezone.now)
    ends_at = models.DateTimeField(_("vigente hasta"))

    def __str__(self):
        return self.title

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        permissions = [("send_alert", _("Envía avisos a las salas de chat vecinal"))]


class AlertAnswer(models.TextChoices):
    RECEIVED = "received", _("Recibido")
    OK = "ok", _("Estoy bien")
    NEED_HELP = "need_help", _("Necesito ayuda")


class AlertResponse(models.Model):
    """One member's answer to an alert's roll call (the latest answer counts)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("respuesta"), max_length=20, choices=AlertAnswer.choices)
    answered_at = models.DateTimeField(_("respondió"), default=timezone.now)

    def __str__(self):
        return f"{self.alert_id}: {self.answer}"

    class Meta:
        verbose_name = _("respuesta a un aviso")
        verbose_name_plural = _("respuestas a avisos")
        constraints = [models.UniqueConstraint(fields=["alert", "user"], name="chat_one_answer_per_alert")]


class SharedIncident(models.Model):
    """A public incident shared in a room, shown as a live status card.

    Points at the incident by id and folio only (`chat` does not import `workflows` models); its status
    is read through workflows' selectors and heard live on the incident's channel group.
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="shared_incidents")
    incident_id = models.PositiveBigIntegerField(_("incidente"))
    folio = models.CharField(_("folio"), max_length=20)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("compartido"), default=timezone.now)

    def __str__(self):
        return self.folio

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("incidente compartido")
        verbose_name_plural = _("incidentes compartidos")
        constraints = [
            models.UniqueConstraint(fields=["room", "incident_id"], name="chat_incident_shared_once")
        ]
