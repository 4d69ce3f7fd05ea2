"""Draw samvirke/static/samvirke/favicon.ico from favicon.svg with the machine's Chromium (no image library).

Run after changing the SVG: .venv/bin/python tools/favicon.py. The .ico holds one 32×32 PNG, which every browser
since Windows Vista's reads; browsers that read SVG icons use the SVG (linked from the base templates)."""

from __future__ import annotations

import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parents[1] / "samvirke" / "static" / "samvirke"
SIZE = 32


def png_of_svg(svg: str) -> bytes:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": SIZE, "height": SIZE})
        page.set_content(f'<body style="margin:0;background:transparent">{svg}</body>')
        page.locator("svg").evaluate(
            f"svg => {{ svg.setAttribute('width', {SIZE}); svg.setAttribute('height', {SIZE}); }}"
        )
        png = page.locator("svg").screenshot(omit_background=True)
        browser.close()
    return png


def ico_of_png(png: bytes) -> bytes:
    header = struct.pack("<HHH", 0, 1, 1)  # reserved, type 1 = icon, one image
    entry = struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


if __name__ == "__main__":
    (STATIC / "favicon.ico").write_bytes(ico_of_png(png_of_svg((STATIC / "favicon.svg").read_text())))
    print(f"skrev {STATIC / 'favicon.ico'}")
