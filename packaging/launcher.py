"""The PyInstaller entry script: what the ``weaver`` console script runs, as a file.

PyInstaller needs a script, not a ``module:function`` entry point; this one only hands the
command line to :func:`weaver.cli.main` (open the window, or run a headless subcommand).
"""

import sys

from weaver.cli import main

if __name__ == "__main__":
    sys.exit(main())
