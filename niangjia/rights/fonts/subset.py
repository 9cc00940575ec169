"""Rebuild the vendored CJK font subsets the case documents embed (run once; the output is
committed): Noto Serif CJK SC Regular for the text and Noto Sans CJK SC Bold for titles, cut down
to GB2312 + ASCII + CJK and full-width punctuation, from Debian's fonts-noto-cjk.

    apt-get install fonts-noto-cjk
    .venv/bin/python niangjia/rights/fonts/subset.py

The fonts are under the SIL Open Font License 1.1 (OFL.txt beside them); a subset is a Modified
Version, so it must not use the Reserved Font Name "Noto" as its primary name: the family names
are changed to "NJ Serif SC" / "NJ Sans SC" while the copyright notices are kept.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent
SOURCE = Path("/usr/share/fonts/opentype/noto")
FONTS = [
    # (collection, index of the SC face, output file, new family name, weight name, GB2312 level 1
    # only): the bold face is for titles and headings; a rarer character there falls back to the
    # regular face through the CSS font-family list, which keeps the vendored files small
    ("NotoSerifCJK-Regular.ttc", 2, "NJSerifSC-Regular.otf", "NJ Serif SC", "Regular", False),
    ("NotoSansCJK-Bold.ttc", 2, "NJSansSC-Bold.otf", "NJ Sans SC", "Bold", True),
]


def gb2312(level1_only: bool = False) -> set[int]:
    """GB2312: symbols (rows 1-9), level 1 hanzi (rows 16-55), level 2 hanzi (rows 56-87)."""
    chars: set[int] = set()
    for high in range(0xA1, 0xD8 if level1_only else 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # unassigned cells
                chars.add(ord(bytes([high, low]).decode("gb2312")))
    return chars


def codepoints(level1_only: bool = False) -> list[int]:
    points = gb2312(level1_only)
    points |= set(range(0x20, 0x7F))  # ASCII
    points |= set(range(0xA0, 0x100))  # Latin-1 (¥ × ÷ § °)
    points |= set(range(0x3000, 0x3040))  # CJK symbols and punctuation (〇 〔 〕 「 」)
    points |= set(range(0xFF01, 0xFF5F))  # full-width forms
    points |= set(range(0x2460, 0x2474))  # ① … ⑳
    points |= {0x2014, 0x2015, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2030, 0x2103, 0x2116}
    points |= {0x00B7, 0x2022, 0x25A1, 0x2610, 0x2611, 0x2713, 0x2714, 0x2715}  # · • □ ☐ ☑ ✓
    return sorted(points)


def rename(font, family: str, weight: str) -> None:
    postscript = f"{family.replace(' ', '')}-{weight}"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID == 4:
            record.string = f"{family} {weight}" if weight != "Regular" else family
        elif record.nameID == 6:
            record.string = postscript
        elif record.nameID == 3:
            record.string = f"{postscript};subset"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]


def main() -> int:
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    for collection, index, output, family, weight, level1_only in FONTS:
        font = TTCollection(SOURCE / collection).fonts[index]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints(level1_only))
        subsetter.subset(font)
        rename(font, family, weight)
        font.save(HERE / output)
        sys.stdout.write(f"{output}: {(HERE / output).stat().st_size // 1024} KiB\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
