"""Background tasks of the circle. The logic lives in services; a task only names the work."""

from __future__ import annotations

from django_tasks import task


@task()
def circle_vectors_refresh(owner_id: int) -> str:
    """Store the sentence vectors of one member's contacts, cards and notes that changed."""
    from tablee.circle.services import circle_vectors_store

    return f"{circle_vectors_store(owner_id=owner_id)} rows"
