from __future__ import annotations

from django.core.management.base import BaseCommand

from niangjia.rights.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = "发送逾期和即将届满的法定期限提醒（每日运行一次）"

    def handle(self, *args, **options):
        # .delay() queues it on Celery where a broker is configured and runs it inline otherwise
        result = send_deadline_reminders.delay()
        self.stdout.write(f"reminders: {result.get() if result.ready() else 'queued'}")
