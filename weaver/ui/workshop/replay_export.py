"""Export the growth replay as an animated GIF (Pillow) or a numbered PNG sequence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtWidgets import QApplication

from ...core.destination import atomic_path, check_destination
from .projector import ProjectorView


def replay_days(first: date, last: date, frames: int) -> list[date]:
    """``frames`` dates from first to last inclusive, evenly spaced (at least one)."""
    frames = max(1, frames)
    if frames == 1 or last <= first:
        return [last]
    span = (last - first).days
    return [first + timedelta(days=round(span * k / (frames - 1))) for k in range(frames)]


def render_frames(
    view: ProjectorView,
    days: list[date],
    size: QSize,
    on_frame: Callable[[int, bytes], None],
    cancelled: Callable[[], bool] = lambda: False,
) -> None:
    """Render one PNG per day (UI thread: it paints widgets; the caller shows progress)."""
    view.resize(size)
    first_day = view.day
    try:
        for k, day in enumerate(days):
            if cancelled():
                return
            view.set_day(day)
            view.fit()
            QApplication.processEvents()
            data = QByteArray()
            buffer = QBuffer(data)
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            view.grab().save(buffer, "PNG")
            on_frame(k, bytes(data.data()))
    finally:
        view.set_day(first_day)


def write_png_sequence(frames: list[bytes], folder: Path, stem: str = "replay") -> list[Path]:
    """``stem-0001.png``, ``stem-0002.png``… in ``folder``; every name is checked before the
    first frame is written, so a refused one leaves no half sequence behind."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}-{k + 1:04d}.png" for k in range(len(frames))]
    for path in paths:
        check_destination(path)
    for path, png in zip(paths, frames, strict=True):
        with atomic_path(path) as tmp:
            tmp.write_bytes(png)
    return paths


def write_gif(
    frames: list[bytes], path: Path, frame_ms: int = 400, hold_last_ms: int = 2500
) -> None:
    """An animated GIF, written atomically; the last frame lingers so the room can read it."""
    from io import BytesIO

    from PIL import Image

    with atomic_path(path) as tmp:  # refused before any frame is converted
        images = [Image.open(BytesIO(png)).convert("RGB") for png in frames]
        if not images:
            raise ValueError("nothing to export")
        palette_images = [im.quantize(colors=255, method=Image.Quantize.MEDIANCUT) for im in images]
        durations = [frame_ms] * (len(images) - 1) + [hold_last_ms]
        palette_images[0].save(
            tmp,
            format="GIF",
            save_all=True,
            append_images=palette_images[1:],
            duration=durations,
            loop=0,
            optimize=False,
        )
