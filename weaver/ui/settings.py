"""The user's own preferences (window geometry, dock layout, recent files): the only QSettings user.

Network settings (its name, privacy) live in the document, not here. A throwaway instance
(``Preferences.ephemeral()``) keeps everything in memory, so screenshots and tests never touch
the user's real preferences.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10


class Preferences:
    def __init__(self, store: QSettings | None = None, *, persistent: bool = True) -> None:
        self._qsettings = store if store is not None else (QSettings() if persistent else None)
        self._memory: dict[str, Any] = {}

    @classmethod
    def ephemeral(cls) -> Preferences:
        """Preferences that are never read from or written to disk."""
        return cls(persistent=False)

    @property
    def persistent(self) -> bool:
        return self._qsettings is not None

    # ---- raw values ----------------------------------------------------------------------

    def value(self, key: str, default: Any = None) -> Any:
        if self._qsettings is None:
            return self._memory.get(key, default)
        return self._qsettings.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        if self._qsettings is None:
            self._memory[key] = value
        else:
            self._qsettings.setValue(key, value)

    def sync(self) -> None:
        if self._qsettings is not None:
            self._qsettings.sync()

    # ---- recent files --------------------------------------------------------------------

    def recent_files(self) -> list[Path]:
        raw = self.value("files/recent", [])
        if isinstance(raw, str):  # QSettings hands back a bare string for a one-item list
            raw = [raw]
        return [Path(p) for p in (raw or []) if p]

    def add_recent_file(self, path: Path) -> None:
        path = path.resolve()
        items = [p for p in self.recent_files() if p != path]
        items.insert(0, path)
        self.set_value("files/recent", [str(p) for p in items[:MAX_RECENT]])
        self.set_value("files/last", str(path))

    def remove_recent_file(self, path: Path) -> None:
        path = path.resolve()
        self.set_value("files/recent", [str(p) for p in self.recent_files() if p != path])

    def clear_recent_files(self) -> None:
        self.set_value("files/recent", [])

    def last_file(self) -> Path | None:
        raw = self.value("files/last", "")
        return Path(raw) if raw else None

    def forget_last_file(self) -> None:
        self.set_value("files/last", "")

    # ---- window layout -------------------------------------------------------------------

    def window_geometry(self) -> QByteArray | None:
        value = self.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_state(self) -> QByteArray | None:
        value = self.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self.set_value("window/geometry", geometry)
        self.set_value("window/state", state)

    # ---- start-up ------------------------------------------------------------------------

    def reopen_last(self) -> bool:
        return str(self.value("start/reopen_last", "true")).lower() == "true"

    def set_reopen_last(self, reopen: bool) -> None:
        self.set_value("start/reopen_last", "true" if reopen else "false")
