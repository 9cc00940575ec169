from __future__ import annotations

from celery import shared_task

from niangjia.hotline import services


@shared_task
def send_callback_reminders() -> int:
    """Every ten minutes (Celery beat in production; `manage.py send_callback_reminders` from cron
    otherwise): remind each callback's assignee once when it falls due."""
    return services.callback_reminders()
