"""The question bank: conversation starters graded by depth, in French and English.

Each member gets three (one per depth), chosen deterministically from the member and the gathering,
and biased toward questions whose tags appear in what the table shares (needs, offers, interests).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

BANK = Path(__file__).parent / "data" / "questions.json"
DEPTHS = (1, 2, 3)


@cache
def bank() -> tuple[dict, ...]:
    questions = json.loads(BANK.read_text(encoding="utf-8"))["questions"]
    return tuple(questions)


def _relevance(question: dict, topics: str) -> int:
    return sum(1 for tag in question["tags"] if tag in topics)


def _stable(*parts: object) -> int:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def starters(*, gathering_id: int, user_id: int, language: str, topics: list[str] | None = None) -> list[str]:
    """Three questions, depth 1 then 2 then 3, in ``language`` ("fr…" or "en")."""
    text = " ".join(topics or []).casefold()
    lang = "en" if (language or "").startswith("en") else "fr"
    chosen = []
    for depth in DEPTHS:
        pool = [q for q in bank() if q["depth"] == depth]
        best = max(_relevance(q, text) for q in pool)
        # When the table shares a topic a question is about, that question it is: the same one
        # for table-mates is fine, it gives the table a common thread.
        candidates = [q for q in pool if _relevance(q, text) == best] if best else pool
        pick = candidates[_stable(gathering_id, user_id, depth) % len(candidates)]
        chosen.append(pick[lang])
    return chosen
