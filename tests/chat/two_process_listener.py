"""Child process of test_redis_crosses_processes: a websocket client of the notification consumer.

Connects (as user 4242, without a database) on the Redis layer given in REDIS_URL/CHANNEL_PREFIX, prints
READY, waits for one frame and prints it as JSON.
"""

import asyncio
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperanet.settings.test")

import django  # noqa: E402

django.setup()

from channels.testing import WebsocketCommunicator  # noqa: E402

from chat.consumers import NotificationConsumer  # noqa: E402


class FakeUser:
    pk = 4242
    is_authenticated = True


async def main():
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    communicator.scope["user"] = FakeUser()
    connected, _ = await communicator.connect()
    print("READY" if connected else "REFUSED", flush=True)
    frame = await communicator.receive_json_from(timeout=float(sys.argv[1]) if len(sys.argv) > 1 else 10)
    print(json.dumps(frame), flush=True)
    await communicator.disconnect()


asyncio.run(main())
