from __future__ import annotations

from django.core.management.base import BaseCommand

from niangjia.hotline.tasks import send_callback_reminders


class Command(BaseCommand):
    help = "发送即将到时和已逾期的12351热线回访提醒（每条回访只提醒一次）"

    def handle(self, *args, **options):
        # .delay() queues it on Celery where a broker is configured and runs it inline otherwise
        result = send_callback_reminders.delay()
        self.stdout.write(f"reminders: {result.get() if result.ready() else 'queued'}")
