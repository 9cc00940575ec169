from __future__ import annotations

from celery import shared_task

from niangjia.rights import services


@shared_task
def send_deadline_reminders() -> int:
    """Daily (Celery beat in production; `manage.py send_deadline_reminders` from cron otherwise)."""
    return services.deadline_reminders()
