from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from niangjia.core.backup import BackupError, backup, private_dir


class Command(BaseCommand):
    help = "备份数据库和文件（媒体文件、证据、签收单、签署文书）到一个仅所有者可读的归档文件"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="备份文件路径（默认写入 BACKUP_DIR）")

    def handle(self, *args, file: str | None = None, **options):
        if file:
            target = Path(file)
        else:
            target = settings.BACKUP_DIR / f"niangjia-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        try:
            if not file:  # the backup directory holds every archive: owner only (0700)
                private_dir(settings.BACKUP_DIR)
            path = backup(target)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已备份到 {path}"))
