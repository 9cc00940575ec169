from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from niangjia.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库（SQLite 在线备份 / PostgreSQL pg_dump 自定义格式）"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="备份文件路径（默认写入 BACKUP_DIR）")

    def handle(self, *args, file: str | None = None, **options):
        target = (
            Path(file)
            if file
            else settings.BACKUP_DIR / f"niangjia-{timezone.now():%Y%m%d-%H%M%S}.backup"
        )
        try:
            path = backup(target)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已备份到 {path}"))
