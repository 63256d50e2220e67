"""The bare Channels baseline: a consumer doing plain group_send, with its own tiny ASGI routing.

No auth, no database, no presence: a socket at /ws/bare/<group>/ joins the group; a frame
{"type": "send", "body": "…"} is broadcast to the group as {"type": "message", "body": "…"}.
It uses the same channel layer settings (bench.settings, BENCH_LAYER) as the project's consumers.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.routing import URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class BareGroupConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.group = f"bare-{self.scope['url_route']['kwargs']['group']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "send":
            await self.channel_layer.group_send(self.group, {"type": "bare.message", "body": content["body"]})

    async def bare_message(self, event):
        await self.send_json({"type": "message", "body": event["body"]})


bare_websockets = URLRouter([path("ws/bare/<str:group>/", BareGroupConsumer.as_asgi())])

# The project's application for everything else: the bare consumer runs in the same processes, on the
# same layer, so each fan-out figure and its baseline share one server set-up.
from cooperanet.asgi import application as project_application  # noqa: E402


async def application(scope, receive, send):
    if scope["type"] == "websocket" and scope["path"].startswith("/ws/bare/"):
        return await bare_websockets(scope, receive, send)
    return await project_application(scope, receive, send)
