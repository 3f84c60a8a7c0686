"""Fixtures shared by the database tests: gatherings, a JSON API client with bearer tokens, and a
real SMTP server on loopback with Django pointed at it."""

from __future__ import annotations

import asyncio
import json
import socket
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone


@pytest.fixture
def make_gathering(association):
    from tablee.gatherings.services import gathering_create

    def make(**fields):
        fields.setdefault("association", association)
        fields.setdefault("title", "Déjeuner réseautage")
        fields.setdefault("starts_at", timezone.now() + timedelta(days=7))
        return gathering_create(**fields)

    return make


@pytest.fixture
def gathering(make_gathering):
    return make_gathering()


@pytest.fixture
def tonight(make_gathering):
    """A gathering starting within the hour: its door (check-in) is open."""
    return make_gathering(starts_at=timezone.now() + timedelta(hours=1))


@pytest.fixture
def api(client):
    """A JSON client: api.get(path, user=None) sends the user's bearer token (none = anonymous)."""
    from tablee.members.models import ApiToken

    tokens = {}

    class Api:
        def headers(self, user):  # also used for raw requests (uploads)
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
    """aiosmtpd handler keeping every accepted message; refuses the addresses in ``refuse``."""

    def __init__(self):
        self.envelopes = []
        self.refuse: set[str] = set()
        self.delay = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.original_content, policy=policy.default) for e in self.envelopes]


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_down(settings):
    """Django sends to a loopback port where nothing listens yet; ``.start()`` brings the server up."""
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
