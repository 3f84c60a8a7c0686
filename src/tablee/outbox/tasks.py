"""Background tasks of the outbox. The logic lives in services; a task only names the work."""

from __future__ import annotations

from django_tasks import task

from tablee.outbox import services


@task(queue_name=services.EMAIL_QUEUE_NAME)
def send_email(*, email_id: int) -> str:
    return services.email_send(email_id=email_id)
