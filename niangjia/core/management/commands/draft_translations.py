"""Fill untranslated zh-Hant entries by converting the Simplified source text (OpenCC s2hk).

Our msgids are the Simplified Chinese text itself, so Traditional Chinese for Hong Kong and Macau
workers is a mechanical conversion that a reviewer then reads; English is translated by hand.
Run after `makemessages` (make messages does both).
"""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

# OpenCC's character-level choices that read wrong in Hong Kong usage
HK_FIXES = {"孃": "娘", "用户": "用戶", "賬號": "帳號", "賬户": "帳戶"}


def _hk_usage(text: str) -> str:
    for wrong, right in HK_FIXES.items():
        text = text.replace(wrong, right)
    return text


class Command(BaseCommand):
    help = "用 OpenCC 为繁体中文（港澳）生成尚未翻译条目的初稿"

    def handle(self, *args, **options):
        import opencc  # a development dependency: only translators run this

        converter = opencc.OpenCC("s2hk")
        po_path = Path(settings.LOCALE_PATHS[0]) / "zh_Hant" / "LC_MESSAGES" / "django.po"
        catalog = polib.pofile(str(po_path))
        filled = 0
        for entry in catalog:
            if "fuzzy" in entry.flags:  # makemessages' guess from a similar string: redo it
                entry.flags.remove("fuzzy")
                entry.msgstr = ""
                entry.msgstr_plural = {}
            if entry.obsolete or entry.msgstr or any(entry.msgstr_plural.values()):
                continue
            draft = _hk_usage(converter.convert(entry.msgid))
            if entry.msgid_plural:  # Chinese has one plural form
                entry.msgstr, entry.msgstr_plural = "", {0: draft}
            else:
                entry.msgstr = draft
            filled += 1
        catalog.metadata_is_fuzzy = False
        catalog.save()
        untranslated = [
            e.msgid
            for e in polib.pofile(
                str(po_path.parent.parent.parent / "en" / "LC_MESSAGES" / "django.po")
            )
            if not e.msgstr and not any(e.msgstr_plural.values()) and not e.obsolete and e.msgid
        ]
        self.stdout.write(f"zh-Hant: {filled} drafted; en: {len(untranslated)} untranslated")
        for msgid in untranslated:
            self.stdout.write(f"  en missing: {msgid}")
