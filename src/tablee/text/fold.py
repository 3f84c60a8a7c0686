"""Folding text for search as people type it on a phone."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents, so « helene » finds Hélène on a phone keyboard."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
