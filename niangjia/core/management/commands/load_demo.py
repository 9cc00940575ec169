"""Load the demo world: `python manage.py load_demo`. Safe to re-run (each part loads once)."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# One loader per app, in dependency order; each module exposes `load(stdout, full=False)`.
DEMO_LOADERS = [
    "niangjia.orgs.demo",
    "niangjia.rights.demo",
    "niangjia.stations.demo",
    "niangjia.care.demo",
    "niangjia.hotline.demo",
    "niangjia.intake.demo",
]


class Command(BaseCommand):
    help = "加载演示数据（仅用于开发和演示环境）"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="在 DEBUG 关闭时也加载（慎用）")
        parser.add_argument("--full", action="store_true", help="加载完整规模的演示数据")
        parser.add_argument(
            "--only",
            default="",
            help="只加载这些模块（逗号分隔，如 orgs,rights；组织数据总会先加载）",
        )

    def handle(self, *args, force: bool = False, full: bool = False, only: str = "", **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "演示数据及其公开密码只用于开发和演示：DEBUG 关闭时拒绝加载（确需加载请加 --force）"
            )
        wanted = {"orgs", *filter(None, only.split(","))} if only else None
        for name in DEMO_LOADERS:
            if wanted is not None and name.split(".")[1] not in wanted:
                continue
            with transaction.atomic():
                importlib.import_module(name).load(self.stdout, full=full)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪"))
