"""Errors shared by the command line and the window's command-line entry (``--screenshot``).

Document errors (a file refused, damaged, locked) live in :mod:`weaver.core.errors`; this one is
about how Weaver was asked to run, so the window can raise it without importing the command
line (``weaver.cli`` maps it to exit 2 with one line on stderr).
"""

from __future__ import annotations


class UsageError(Exception):
    """Bad input on the command line or in a file: exit 2 with this message."""
