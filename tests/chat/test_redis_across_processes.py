"""A group message sent in one process reaches a websocket client in another, through Redis."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from asgiref.sync import async_to_sync
from channels_redis.core import RedisChannelLayer

from chat import groups
from tests.chat.helpers import REDIS_URL

LISTENER = Path(__file__).with_name("two_process_listener.py")


def test_group_message_crosses_from_this_process_to_a_client_in_another_process():
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "CHANNEL_PREFIX": prefix,
        "DJANGO_SETTINGS_MODULE": "cooperanet.settings.test",
    }
    child = subprocess.Popen(
        [sys.executable, str(LISTENER), "10"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "READY"
        sender = RedisChannelLayer(hosts=[REDIS_URL], prefix=prefix)
        event = groups.notification_event(kind="alerta", title="Corte de agua", body="Sector Centro")
        async_to_sync(sender.group_send)(groups.user_group(4242), event)
        out, err = child.communicate(timeout=15)
    finally:
        child.kill()
    assert child.returncode == 0, err
    assert json.loads(out.strip().splitlines()[-1]) == {
        "type": "notification",
        "kind": "alerta",
        "title": "Corte de agua",
        "body": "Sector Centro",
        "url": "",
    }
