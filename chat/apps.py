"""Neighbourhood chat and live notifications over websockets (Channels)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    label = "chat"
    verbose_name = _("Chat vecinal y avisos en vivo")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        from chat import tracking_access
        from chat.consumer_thread import keep_consumer_connection

        connection_created.connect(keep_consumer_connection, dispatch_uid="chat-keep-consumer-connection")
        tracking_access.connect_signals()
