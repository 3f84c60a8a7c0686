"""The journey's part of « Toutes mes données » (registered in ``tablee.circle.hooks``): my
intentions (energy before, prepared questions), my reflections (energy after), my pace and my
shares, with the contacts of my own circle they went to."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from tablee.journey.models import Intention, Pacing, Reflection, Share, ShareRecipient


def _plain(row: Mapping[str, Any]) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def _rows(queryset) -> Iterator[dict]:
    for row in queryset.values().iterator(chunk_size=1000):
        yield _plain(row)


def _shares(owner) -> Iterator[dict]:
    for share in Share.objects.filter(author_id=owner.pk).order_by("pk").iterator(chunk_size=500):
        recipients = ShareRecipient.objects.filter(share_id=share.pk).order_by("pk")
        yield _plain({"id": share.pk, "text": share.text, "created_at": share.created_at,
                      "recipients": [_plain(r) for r in recipients.values("contact_id", "followup_id", "created_at")]})


def export_sections(*, owner) -> Iterator[tuple[str, Iterator[dict]]]:
    yield "intentions", _rows(Intention.objects.filter(author_id=owner.pk).order_by("pk"))
    yield "reflections", _rows(Reflection.objects.filter(intention__author_id=owner.pk).order_by("pk"))
    yield "pacing", (_plain(row) for row in Pacing.objects.filter(user_id=owner.pk).values("weekly_cap"))
    yield "shares", _shares(owner)
