"""The `samvirke` console script: Django's manage.py with Samvirke's settings.

Commands may be written with hyphens as in the documented command-line contract
(`samvirke import-population`, `samvirke seed-demo`); they map to Django's underscore names.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (imports the settings, which check the environment)
    except ImproperlyConfigured as error:
        # A configuration mistake (DEBUG off with the demo key, a bad boolean): one line, not a traceback.
        sys.stderr.write(f"samvirke: {error}\n")
        raise SystemExit(1) from None

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
