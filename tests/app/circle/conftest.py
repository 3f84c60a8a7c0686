"""Circle fixtures: a past gathering Marie and Samuel attended, a JSON client, a loopback SMTP server."""

from __future__ import annotations

import asyncio
import json
import socket
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def french_by_default():
    """Requests leave their language active in the thread: start and end each test in French."""
    from django.utils import translation

    translation.activate("fr-ca")
    yield
    translation.activate("fr-ca")


@pytest.fixture
def past_gathering(association):
    from tablee.gatherings.models import Gathering

    return Gathering.objects.create(
        association=association, title="Déjeuner de la Saint-Roch", starts_at=timezone.now() - timedelta(days=1),
        venue="Café Saint-Roch, Québec", state=Gathering.State.DONE,
    )


@pytest.fixture
def attend():
    from tablee.gatherings.models import Rsvp

    def attend(gathering, *users):
        for user in users:
            Rsvp.objects.create(gathering=gathering, user=user, status=Rsvp.Status.CONFIRMED,
                                queued_at=timezone.now(), confirmed_at=timezone.now())

    return attend


@pytest.fixture
def table_mates(make_person, association, past_gathering, attend, member, other_member, organizer):
    """Marie, Samuel, Olivier and four more members at the same past gathering."""
    more = [make_person(association=association, email=f"convive{n}@example.org", first_name=f"Convive{n}",
                        last_name="Lapointe") for n in range(1, 5)]
    attend(past_gathering, member, other_member, organizer, *more)
    return [other_member, organizer, *more]


@pytest.fixture
def api(client):
    """A JSON client: api.get(path, user=None) sends the user's bearer token (none = anonymous)."""
    from tablee.members.models import ApiToken

    tokens = {}

    class Api:
        def headers(self, user):
            if user is None:
                return {}
            if user.pk not in tokens:
                raw = ApiToken.new_raw()
                ApiToken.objects.create(user=user, key_hash=ApiToken.hash(raw))
                tokens[user.pk] = raw
            return {"HTTP_AUTHORIZATION": f"Bearer {tokens[user.pk]}"}

        def get(self, path, user=None):
            return client.get(path, **self.headers(user))

        def post(self, path, body=None, user=None):
            data = json.dumps(body) if body is not None else ""
            return client.post(path, data=data, content_type="application/json", **self.headers(user))

        def patch(self, path, body=None, user=None):
            return client.patch(path, data=json.dumps(body or {}), content_type="application/json", **self.headers(user))

        def delete(self, path, user=None):
            return client.delete(path, **self.headers(user))

        def upload(self, path, name, data: bytes, user=None):
            from django.core.files.uploadedfile import SimpleUploadedFile

            return client.post(path, {"file": SimpleUploadedFile(name, data)}, **self.headers(user))

    return Api()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping every accepted message. ``gate`` (asyncio-free) can hold DATA."""

    def __init__(self):
        self.envelopes = []
        self.delay = 0.0

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        return [message_from_bytes(e.original_content, policy=policy.default) for e in self.envelopes]


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_down(settings):
    server = SmtpServer(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_down):
    smtp_down.start()
    return smtp_down
