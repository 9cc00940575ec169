"""Precision and recall of the intake analyser per field over the labelled corpus; writes the
table into docs/intake.md between its markers (the rest of that page is written by hand)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from niangjia.intake.evaluation import CORPUS, evaluate, load_corpus, markdown_table

START = "<!-- intake_eval:start -->"
END = "<!-- intake_eval:end -->"


class Command(BaseCommand):
    help = "按语料计算接诉助手各字段的准确率和召回率，并写入 docs/intake.md"

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, default=CORPUS, help="JSONL 语料文件")
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "docs" / "intake.md",
            help="写入结果的 Markdown 文件（含标记行）",
        )
        parser.add_argument("--no-write", action="store_true", help="只打印，不写文件")

    def handle(self, *args, corpus: Path, output: Path, no_write: bool, **options):
        items = load_corpus(corpus)
        scores = evaluate(items)
        table = markdown_table(scores, len(items), corpus)
        self.stdout.write(table)
        if options["verbosity"] >= 2:
            for score in scores.values():
                for miss in score.misses:
                    self.stdout.write(f"{score.name} #{miss['id']}: {miss['got']} ≠ {miss['want']}")
        if no_write:
            return
        if not output.exists():
            raise CommandError(f"{output} 不存在")
        text = output.read_text(encoding="utf-8")
        if START not in text or END not in text:
            raise CommandError(f"{output} 缺少标记行 {START} / {END}")
        head, rest = text.split(START, 1)
        _old, tail = rest.split(END, 1)
        output.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"已写入 {output}"))
