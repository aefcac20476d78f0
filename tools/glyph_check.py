#!/usr/bin/env python3
"""Fails when a page holds a character no installed font can draw (docs/report.md).

Chromium on Linux draws text with the fonts fontconfig knows, so fontconfig answers whether a
character will show as a glyph or as an empty box: every character outside ASCII must be in some
installed font (`fc-list :charset=HEX`), and every Chinese character in the page's first font
family, Noto Sans CJK SC, which must itself be installed (`fc-match` resolves the name to it)."""
import re
import subprocess
import sys

FAMILY = "Noto Sans CJK SC"


def fonts_with(char, family=""):
    pattern = f"{family}:charset={ord(char):x}"
    out = subprocess.run(["fc-list", pattern, "family"], capture_output=True, text=True)
    return out.stdout.strip()


def is_cjk(char):
    code = ord(char)
    return 0x3000 <= code <= 0x9FFF or 0xFF00 <= code <= 0xFFEF


def main(path):
    text = open(path, encoding="utf-8").read()
    resolved = subprocess.run(["fc-match", FAMILY, "family"], capture_output=True, text=True)
    if FAMILY not in resolved.stdout:
        print(f"{path}: font family '{FAMILY}' resolves to '{resolved.stdout.strip()}'")
        return 1
    visible = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
    chars = sorted({c for c in visible if ord(c) > 0x7F})
    bad = []
    for c in chars:
        if is_cjk(c) and not fonts_with(c, FAMILY):
            bad.append(f"U+{ord(c):04X} {c!r} is not in {FAMILY}")
        elif not fonts_with(c):
            bad.append(f"U+{ord(c):04X} {c!r} is in no installed font")
    for line in bad:
        print(f"{path}: {line}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
