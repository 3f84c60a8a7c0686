"""Every email has a way back: unsubscribe links (RFC 8058), footers, and the CASL block.

A non-transactional email carries ``List-Unsubscribe: <url>`` and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``: a mail client POSTs to the URL and the
address stops receiving that topic, without signing in. The URL holds an opaque random key
(``UnsubscribeKey``) standing for the (address, topic) pair: unguessable, and it shows nothing of the
address. Links sent before these keys hold the pair itself, signed (readable once base64-decoded,
valid as long as the secret key): they keep working, since emails already sent cannot change.

Each email reads its key twice: for the footer when it is queued, for the header when it is sent. A
batch (the reminders, a plan's emails, the sweep) reads all its keys in one query first
(``unsubscribe_keys_known``); nothing is kept beyond the batch.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tablee.outbox.models import Topic, UnsubscribeKey

_SALT = "tablee.outbox.unsubscribe"

# The keys read for the batch being written or sent (``unsubscribe_keys_known``), "" for a pair that had
# none; None outside a batch.
_known: ContextVar[dict[tuple[str, str], str] | None] = ContextVar("tablee_unsubscribe_keys", default=None)
# Addresses per query when a batch reads its keys (SQLite's older limit on variables is 999).
_KNOWN_CHUNK = 500


def unsubscribe_token(*, address: str, topic: str, scope: str = "") -> str:
    """The key of (address, topic, scope), made the first time it is asked for. The same key every
    time: the footer (written at queue time) and the header (at send time) carry one URL."""
    address = address.strip().lower()
    known = _known.get()
    if known is None or scope:  # a batch reads the keys of whole topics only
        return _unsubscribe_key(address=address, topic=topic, scope=scope)
    if not known.get((address, topic)):
        known[(address, topic)] = _unsubscribe_key(address=address, topic=topic, read=(address, topic) in known)
    return known[(address, topic)]


@contextmanager
def unsubscribe_keys_known(*, pairs: Iterable[tuple[str, str]]) -> Iterator[None]:
    """Within the block, the keys of these (address, topic) pairs are read in one query, not once per
    email; a pair without a key yet gets one as before. Kept for the block only (and only in its
    thread): a key forgotten afterwards (an account deleted) is never handed out from here."""
    known = dict(_known.get() or {})  # a block inside another sees the keys the outer one read
    wanted = {(address.strip().lower(), topic) for address, topic in pairs if address and topic} - known.keys()
    addresses = sorted({address for address, _topic in wanted})
    topics = {topic for _address, topic in wanted}
    for start in range(0, len(addresses), _KNOWN_CHUNK):
        rows = UnsubscribeKey.objects.filter(address__in=addresses[start : start + _KNOWN_CHUNK], topic__in=topics,
                                             scope="")
        known.update({(address, topic): key for address, topic, key in rows.values_list("address", "topic", "key")})
    known.update({pair: "" for pair in wanted - known.keys()})  # read: none yet, the first email makes it
    reset = _known.set(known)
    try:
        yield
    finally:
        _known.reset(reset)


def _unsubscribe_key(*, address: str, topic: str, scope: str = "", read: bool = False) -> str:
    """Read the pair's key (unless the batch just ``read`` there was none), or make it."""
    if not read:
        found = (UnsubscribeKey.objects.filter(address=address, topic=topic, scope=scope)
                 .values_list("key", flat=True).first())
        if found is not None:
            return found
    try:
        with transaction.atomic():
            return UnsubscribeKey.objects.create(address=address, topic=topic, scope=scope,
                                                 key=secrets.token_urlsafe(18)).key
    except IntegrityError:  # made meanwhile by another email of the same pair
        return UnsubscribeKey.objects.get(address=address, topic=topic, scope=scope).key


def signed_unsubscribe_token(*, address: str, topic: str) -> str:
    """The token of the links sent before the opaque keys (still read; no longer written)."""
    return signing.Signer(salt=_SALT).sign_object([address.strip().lower(), topic], compress=True)


class Unsubscribe(NamedTuple):
    """What an unsubscribe link stands for."""

    address: str
    topic: str
    scope: str = ""


def unsubscribe_read(token: str) -> Unsubscribe | None:
    """(address, topic, scope) from a token, or None if it is neither one of our keys nor signed by us."""
    if ":" not in token:  # an opaque key (a signed token always holds the signer's colon)
        found = UnsubscribeKey.objects.filter(key=token).values_list("address", "topic", "scope").first()
        if found is None or found[1] not in Topic.values:
            return None
        return Unsubscribe(*found)
    try:
        address, topic = signing.Signer(salt=_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if topic not in Topic.values:
        return None
    return Unsubscribe(address, topic)


def unsubscribe_url(*, address: str, topic: str, scope: str = "") -> str:
    token = unsubscribe_token(address=address, topic=topic, scope=scope)
    return settings.SITE_URL + reverse("outbox:unsubscribe", args=[token])


# What the way back says of a scope (« Réseau des gens d'affaires de Québec » for an association's
# invitations): the room that owns the scope registers a reader (``scope_describe``), since the
# outbox is below every other room and imports none of them.
_scope_readers: dict[str, Callable[[str], str]] = {}
# The language a recipient chose (their profile's), for the way-back pages: the members room
# registers it; an address without an account has none ("").
_language_readers: list[Callable[[str], str]] = []


def register_scope_reader(topic: str, reader: Callable[[str], str]) -> None:
    _scope_readers[topic] = reader


def register_language_reader(reader: Callable[[str], str]) -> None:
    _language_readers[:] = [reader]


# Whether an address is that of an account that can sign in: the members room registers it. The
# way-back pages offer « Mes préférences de courriel » (behind a sign-in) only to such an address;
# someone outside Tablée (a follow-up, a share) has no session to open.
_account_readers: list[Callable[[str], bool]] = []


def register_account_reader(reader: Callable[[str], bool]) -> None:
    _account_readers[:] = [reader]


def recipient_has_account(address: str) -> bool:
    return bool(_account_readers) and _account_readers[0](address)


def scope_describe(*, topic: str, scope: str) -> str:
    """The name of what ``scope`` stands for ("" when it is gone or unknown)."""
    reader = _scope_readers.get(topic)
    return reader(scope) if reader is not None and scope else ""


def recipient_language(address: str) -> str:
    """The language the person at ``address`` chose, or "" when Tablée does not know it."""
    return _language_readers[0](address) if _language_readers else ""


def unsubscribe_keys_forget(*, address: str, keep: tuple[str, ...] = ()) -> int:
    """Erase an address's unsubscribe keys (account deletion), except the topics in ``keep``."""
    address = address.strip().lower()
    known = _known.get()
    if known is not None:  # within a batch: its copy goes too
        for pair in [pair for pair in known if pair[0] == address and pair[1] not in keep]:
            del known[pair]
    return UnsubscribeKey.objects.filter(address=address).exclude(topic__in=keep).delete()[0]


def preferences_url() -> str:
    # The page lives in the members room (a higher floor): reached by its URL name, not imported.
    return settings.SITE_URL + reverse("members:preferences")


def footer(*, to: str, topic: str, sender_name: str = "", sender_address: str = "",
           on_behalf_of: str = "", language: str = "", scope: str = "") -> tuple[str, str]:
    """(text, html) to append to a non-transactional email, in the recipient's language. An
    invitation's way back refuses the inviting association's invitations (``on_behalf_of`` names
    it); the person may have no account, so it offers no preferences page."""
    context = {
        "topic": topic,
        "topic_label": Topic(topic).label,
        "unsubscribe_url": unsubscribe_url(address=to, topic=topic, scope=scope),
        "preferences_url": preferences_url(),
        "site_url": settings.SITE_URL,
        "sender_name": sender_name,
        "sender_address": sender_address,
        "association": on_behalf_of,
        "personal": topic == Topic.PERSONAL,
        "invitation": topic == Topic.INVITATIONS,
        # A personal email may reach someone outside Tablée: the preferences page only for an account.
        "has_account": topic == Topic.PERSONAL and recipient_has_account(to),
    }
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        context["topic_label"] = str(Topic(topic).label)
        text = render_to_string("outbox/wayback/footer.txt", context)
        html = render_to_string("outbox/wayback/footer.html", context)
    return text, html


# Marks of ``outbox/email_base.html``'s footer cell: the sentence that says why (the default one,
# « membre de … sur Tablée »), and the place after whatever the template said there.
_WHY, _WHY_END, _SLOT = "<!--tablee:why-->", "<!--/tablee:why-->", "<!--tablee:wayback-->"


def with_footer(*, body_text: str, body_html: str, text: str, html: str) -> tuple[str, str]:
    """The way back appended to both bodies. In the HTML it goes into the card's footer, once: in
    place of the base's default reason (the way back gives its own, the topic), else after the reason
    the template wrote itself; an HTML body not built on the base gets it before ``</body>``."""
    body_text = body_text.rstrip("\n") + "\n\n-- \n" + text.strip() + "\n"
    if body_html:
        start, end = body_html.find(_WHY), body_html.find(_WHY_END)
        slot = body_html.find(_SLOT)
        if 0 <= start < end:
            body_html = body_html[:start] + html + body_html[end + len(_WHY_END):]
        elif slot >= 0:
            body_html = body_html[:slot] + html + body_html[slot:]
        else:
            marker = body_html.rfind("</body>")
            html = f'<div style="max-width:560px;margin:0 auto;padding:12px 20px 24px 20px;">{html}</div>'
            body_html = body_html[:marker] + html + body_html[marker:] if marker >= 0 else body_html + html
    return body_text, body_html
