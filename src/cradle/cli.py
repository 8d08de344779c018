"""The `cradle` console command: Django's management commands under Cradle's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cradle.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cradle", *sys.argv[1:]])


if __name__ == "__main__":
    main()
