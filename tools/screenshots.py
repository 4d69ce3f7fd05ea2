"""Take screenshots of Samvirke's pages as a logged-in user, to look at what we built.

    .venv/bin/python tools/screenshots.py --user sekretariat /medlemmer/ /oekonomi/
Needs a running server (make demo) and Debian's Chromium. Writes PNGs to var/screenshots/.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="sekretariat")
    parser.add_argument("--password", default="samvirke-demo")
    parser.add_argument("--out", type=Path, default=Path("var/screenshots"))
    parser.add_argument("--width", type=int, default=1366)
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": options.width, "height": 900}, locale="da-DK")
        page.goto(f"{options.base}/login/")
        page.get_by_label("Brugernavn").fill(options.user)
        page.get_by_label("Adgangskode").fill(options.password)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_load_state()
        for path in options.paths:
            page.goto(options.base + path)
            name = re.sub(r"[^a-z0-9]+", "-", f"{options.user}{path}".lower()).strip("-")
            target = options.out / f"{name}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target)
        browser.close()


if __name__ == "__main__":
    main()
