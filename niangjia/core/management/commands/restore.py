from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from niangjia.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份文件恢复数据库和文件（会覆盖当前数据和文件）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup 命令生成的备份文件")
        parser.add_argument("--yes", action="store_true", help="不再确认，直接覆盖当前数据")

    def handle(self, *args, file: str, yes: bool = False, **options):
        if (
            not yes
            and input("恢复将覆盖当前数据库的全部数据和全部文件，输入 yes 继续：").strip() != "yes"
        ):
            raise CommandError("已取消")
        try:
            restore(Path(file))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已从 {file} 恢复"))
