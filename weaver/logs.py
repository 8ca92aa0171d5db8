"""The rotating log file: where tracebacks go, so users never see one."""

from __future__ import annotations

import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

log = logging.getLogger("weaver")


def log_dir() -> Path:
    """The platform's folder for this app's logs (override with WEAVER_LOG_DIR)."""
    if override := os.environ.get("WEAVER_LOG_DIR"):
        return Path(override)
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / "Weaver" / "Logs"
    if sys.platform == "darwin":
        return home / "Library" / "Logs" / "Weaver"
    state = Path(os.environ.get("XDG_STATE_HOME") or home / ".local" / "state")
    return state / "weaver" / "log"


def log_file() -> Path:
    return log_dir() / "weaver.log"


def setup_logging() -> Path | None:
    """Attach the rotating file handler once. Returns the file, or None if it cannot be made."""
    if any(isinstance(h, RotatingFileHandler) for h in log.handlers):
        return log_file()
    try:
        log_dir().mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            log_file(), maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return log_file()
