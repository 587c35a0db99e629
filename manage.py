#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import sys


def main():
    from django.core.management import execute_from_command_line

    from newsroom.configuration import load_or_exit

    load_or_exit()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
