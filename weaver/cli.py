"""The command line: ``weaver [FILE] [options]`` opens the window; a first word that names a
subcommand runs it headless (``weaver demo FILE``, ``weaver info FILE --json``, …).

Exit codes: 0 success, 2 bad input or a refused file (one line on stderr naming the file and
the reason), 1 an unexpected error (the traceback goes to the log file only).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from .core.errors import DocumentError
from .core.model import ValidationError
from .errors import UsageError
from .logs import log, log_file, setup_logging

# Subcommand name -> module in weaver.commandline exposing HELP, add_arguments(p), run(args).
SUBCOMMANDS = {
    "new": "new",
    "demo": "demo",
    "info": "info",
    "import": "import_",
    "export": "export",
    "report": "report",
    "bench": "bench",
}


def _load(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"weaver.commandline.{SUBCOMMANDS[name]}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("weaver.commandline"):
            return None  # not built yet in this version
        raise


class OneLineParser(argparse.ArgumentParser):
    """argparse with the house contract: a usage error is one line on stderr (exit 2), naming
    the command and pointing at its --help, instead of the usage block plus the error."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("weaver").strip()
        where = f"{command}: " if command else ""
        raise UsageError(f"{where}{message} (see '{self.prog} --help')")


def _subcommand_parser(name: str, module: ModuleType) -> argparse.ArgumentParser:
    parser = OneLineParser(prog=f"weaver {name}", description=module.HELP)
    module.add_arguments(parser)
    return parser


def _gui_parser() -> argparse.ArgumentParser:
    available = [n for n in SUBCOMMANDS if _load(n) is not None]
    parser = OneLineParser(
        prog="weaver",
        description="Weaver: a desktop workbench for network weavers.",
        epilog="subcommands (run headless): "
        + ", ".join(f"weaver {n} …" for n in available)
        + ". Use 'weaver SUBCOMMAND --help' for each.",
    )
    parser.add_argument("file", nargs="?", help="the .weaver document to open")
    parser.add_argument(
        "--screenshot",
        metavar="OUT.png",
        help="render the window offscreen to a PNG and exit (FILE required)",
    )
    parser.add_argument(
        "--size",
        default=None,
        metavar="WxH",
        help="window size for --screenshot (default 1600x1000)",
    )
    parser.add_argument(
        "--present", action="store_true", help="with --screenshot: render the projector view"
    )
    parser.add_argument("--version", action="version", version=f"weaver {_version()}")
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def _fail(message: str) -> int:
    print(f"weaver: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    setup_logging()
    try:
        if args_list and args_list[0] in SUBCOMMANDS:
            name = args_list[0]
            module = _load(name)
            if module is None:
                return _fail(f"'{name}' is not available in this version")
            args = _subcommand_parser(name, module).parse_args(args_list[1:])
            code = int(module.run(args) or 0)
            sys.stdout.flush()  # a closed pipe shows here, inside the handler below
            return code
        args = _gui_parser().parse_args(args_list)
        from .ui.app import run_gui  # Qt only when a window is wanted

        return int(run_gui(args) or 0)
    except BrokenPipeError:
        # The reader stopped early (`weaver info x --json | head`): not an error. Point stdout
        # at nothing so the interpreter's last flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code) if isinstance(exc.code, int) else 2
    except (DocumentError, UsageError, ValidationError) as exc:
        log.info("refused: %s", exc)
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except Exception:
        log.exception("unexpected error running %s", args_list)
        where = log_file()
        print(f"weaver: unexpected error; details are in {where}", file=sys.stderr)
        return 1
