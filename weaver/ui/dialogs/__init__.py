"""Dialogs. The small modal prompts the shell asks (confirm, inform, warn) go through the
functions here, so there is one place that decides how a question is asked — and one place a
test replaces to answer it without blocking on a modal loop.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

Button = QMessageBox.StandardButton


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: Button = Button.Yes | Button.No,
    default: Button = Button.Yes,
    informative: str = "",
) -> Button:
    """Ask a question; returns the button the user chose (Cancel/No when the box is closed)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, buttons, parent)
    box.setDefaultButton(default)
    if informative:
        box.setInformativeText(informative)
    return Button(box.exec())


def inform(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, Button.Ok, parent)
    if informative:
        box.setInformativeText(informative)
    box.exec()


def warn(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, Button.Ok, parent)
    if informative:
        box.setInformativeText(informative)
    box.exec()


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """Ask for one line of text; None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None
