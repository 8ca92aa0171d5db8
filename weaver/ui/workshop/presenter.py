"""Presenting: the full-screen projector window and the presenter's controls.

View ▸ Present (F5) opens the projector on a chosen screen (a second screen when there is one);
the weaver keeps editing in the main window. The controls live in a dock of the main window:
privacy, prompt, colour, spotlight, focus, freeze, black screen, and the growth replay.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QScreen,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.commands import SetSettings
from ...core.errors import DocumentError
from ...core.privacy import SETTING_KEY, PresentationPrivacy
from ...core.projection import PROJECTOR_COLOR_FIELDS
from ..controller import Controller
from .projector import ProjectorView
from .replay_export import render_frames, replay_days, write_gif, write_png_sequence


def default_screen() -> QScreen | None:
    """A second screen when one is connected (the projector), else the primary one."""
    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    others = [s for s in screens if s is not primary]
    return others[0] if others else primary


class ProjectorWindow(QWidget):
    """A frameless full-screen window holding the projector view."""

    closed = Signal()

    def __init__(self, controller: Controller, screen: QScreen | None = None) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setWindowTitle(self.tr("Weaver — projector"))
        self.view = ProjectorView(controller, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.close)
        self.move_to(screen or default_screen())

    def move_to(self, screen: QScreen | None) -> None:
        if screen is None:
            return
        self.setScreen(screen)
        self.setGeometry(screen.geometry())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # The view uses Esc first to clear a focus or spotlight; an Esc it passes on ends
        # presenting, as in every slide-show program.
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.closed.emit()
        super().closeEvent(event)

    def present(self) -> None:
        self.showFullScreen()
        self.view.setFocus()
        QTimer.singleShot(0, self.view, self.view.fit)


class PresenterPanel(QWidget):
    """Controls for the projector, in the main window (so the wall shows no chrome)."""

    # Whether the projector is up, however it came or went (button, F5, Esc, closed window).
    presenting_changed = Signal(bool)

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.window_: ProjectorWindow | None = None
        self._playing = QTimer(self)
        self._playing.setInterval(350)
        self._playing.timeout.connect(self._advance)

        self.present_button = QPushButton(self.tr("Present (F5)"))
        self.present_button.setCheckable(True)
        self.present_button.toggled.connect(self.set_presenting)
        self.screen_combo = QComboBox()
        self.screen_combo.setAccessibleName(self.tr("Screen to present on"))
        QGuiApplication.instance().screenAdded.connect(self._screen_added)
        QGuiApplication.instance().screenRemoved.connect(lambda _s: self._fill_screens())
        self._fill_screens()

        # Privacy and wording: stored in the document.
        self.theme = QComboBox()
        self.theme.addItem(self.tr("Dark (high contrast)"), "dark")
        self.theme.addItem(self.tr("Light (high contrast)"), "light")
        self.labels = QComboBox()
        self.labels.addItem(self.tr("Names"), "name")
        self.labels.addItem(self.tr("Initials"), "initials")
        self.labels.addItem(self.tr("Pseudonyms"), "pseudonym")
        self.consent_no = QComboBox()
        self.consent_no.addItem(self.tr("Anonymous dots"), "anonymous")
        self.consent_no.addItem(self.tr("Hidden"), "hidden")
        self.not_asked = QComboBox()
        self.not_asked.addItem(self.tr("By name"), "name")
        self.not_asked.addItem(self.tr("Anonymous dots"), "anonymous")
        self.not_asked.addItem(self.tr("Hidden"), "hidden")
        self.legend_box = QCheckBox(self.tr("Show legend"))
        for combo in (self.theme, self.labels, self.consent_no, self.not_asked):
            combo.activated.connect(self._save_rules)
        self.legend_box.toggled.connect(self._save_rules)

        self.color = QComboBox()
        names = {
            "kind": self.tr("Kind"),
            "organization": self.tr("Organization"),
            "tag": self.tr("Tag"),
            "community": self.tr("Cluster"),
        }
        for key in PROJECTOR_COLOR_FIELDS:
            self.color.addItem(names[key], key)
        self.color.activated.connect(self._color_chosen)
        self.spotlight = QComboBox()
        self.spotlight.setAccessibleName(self.tr("Spotlight a group"))
        self.spotlight.activated.connect(self._spotlight_chosen)
        self.focus_depth = QSpinBox()
        self.focus_depth.setRange(1, 6)
        self.focus_depth.setPrefix("± ")
        self.focus_depth.setSuffix(self.tr(" steps"))
        self.focus_button = QPushButton(self.tr("Focus on selection"))
        self.focus_button.setCheckable(True)
        self.focus_button.toggled.connect(self._focus_toggled)
        self.focus_depth.valueChanged.connect(self._focus_depth_changed)
        self.freeze = QPushButton(self.tr("Freeze"))
        self.freeze.setCheckable(True)
        self.freeze.setToolTip(
            self.tr("Prepare edits without showing them (Space on the projector)")
        )
        self.freeze.toggled.connect(lambda on: self._view_call("set_frozen", on))
        self.black = QPushButton(self.tr("Black screen"))
        self.black.setCheckable(True)
        self.black.setToolTip(self.tr("B on the projector"))
        self.black.toggled.connect(lambda on: self._view_call("set_blacked_out", on))
        fit = QPushButton(self.tr("Zoom to fit"))
        fit.clicked.connect(lambda: self._view_call("fit"))

        # Growth replay
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName(self.tr("Replay date"))
        self.slider.valueChanged.connect(self._slider_moved)
        self.day_label = QLabel(self.tr("Today (live)"))
        self.play = QPushButton(self.tr("Play"))
        self.play.setCheckable(True)
        self.play.toggled.connect(self._play_toggled)
        live = QPushButton(self.tr("Live"))
        live.clicked.connect(self._go_live)
        export = QPushButton(self.tr("Export replay…"))
        export.clicked.connect(self.export_replay)

        top = QHBoxLayout()
        top.addWidget(self.present_button)
        top.addWidget(self.screen_combo, 1)
        privacy = QGroupBox(self.tr("On the wall (saved in the network)"))
        pf = QFormLayout(privacy)
        pf.addRow(self.tr("Theme:"), self.theme)
        pf.addRow(self.tr("Labels:"), self.labels)
        pf.addRow(self.tr("Consent “no”:"), self.consent_no)
        pf.addRow(self.tr("Consent not asked:"), self.not_asked)
        pf.addRow("", self.legend_box)
        show = QGroupBox(self.tr("Show"))
        sf = QFormLayout(show)
        sf.addRow(self.tr("Colour by:"), self.color)
        sf.addRow(self.tr("Spotlight:"), self.spotlight)
        focus_row = QHBoxLayout()
        focus_row.addWidget(self.focus_button)
        focus_row.addWidget(self.focus_depth)
        sf.addRow(self.tr("Focus:"), focus_row)
        buttons = QHBoxLayout()
        for b in (self.freeze, self.black, fit):
            buttons.addWidget(b)
        sf.addRow(buttons)
        replay = QGroupBox(self.tr("Growth replay"))
        rl = QVBoxLayout(replay)
        rl.addWidget(self.slider)
        row = QHBoxLayout()
        row.addWidget(self.day_label, 1)
        row.addWidget(self.play)
        row.addWidget(live)
        row.addWidget(export)
        rl.addLayout(row)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(privacy)
        layout.addWidget(show)
        layout.addWidget(replay)
        layout.addStretch(1)

        # An offscreen view keeps the controls meaningful before presenting (and exports replays).
        self.preview = ProjectorView(controller)
        self.preview.lazy = True
        self.preview.hide()
        # Filled when first seen (or when presenting starts), not on every document opened:
        # the projection of a big network is work a weaver who never presents should not wait on.
        self._needs_load = True
        controller.document_changed.connect(self._document_changed)
        controller.changed.connect(lambda _c: self._load_rules())
        if self.isVisible():
            self._load()

    # ---- which view the controls drive ---------------------------------------------------

    @property
    def view(self) -> ProjectorView:
        return self.window_.view if self.window_ is not None else self.preview

    def _view_call(self, name: str, *args) -> None:
        getattr(self.view, name)(*args)

    def _fill_screens(self) -> None:
        current = self.screen_combo.currentData()
        self.screen_combo.clear()
        for screen in QGuiApplication.screens():
            g = screen.geometry()
            self.screen_combo.addItem(f"{screen.name()} ({g.width()}×{g.height()})", screen.name())
        default = default_screen()
        wanted = current or (default.name() if default else None)
        index = self.screen_combo.findData(wanted)
        self.screen_combo.setCurrentIndex(max(0, index))

    def _chosen_screen(self) -> QScreen | None:
        name = self.screen_combo.currentData()
        return next((s for s in QGuiApplication.screens() if s.name() == name), default_screen())

    def _screen_added(self, screen: QScreen) -> None:
        self._fill_screens()
        if self.window_ is None and self.controller.has_document and self.isVisible():
            answer = QMessageBox.question(
                self,
                self.tr("Projector connected"),
                self.tr("A new screen (%1) was connected. Start presenting on it?").replace(
                    "%1", screen.name()
                ),
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.screen_combo.setCurrentIndex(self.screen_combo.findData(screen.name()))
                self.present_button.setChecked(True)

    def set_presenting(self, on: bool) -> None:
        if on and self._needs_load:
            self._load()
        if on and self.window_ is None:
            self.window_ = ProjectorWindow(self.controller, self._chosen_screen())
            self.window_.closed.connect(self._window_gone)
            self.window_.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            v = self.window_.view
            v.color_by, v.spotlight = self.preview.color_by, self.preview.spotlight
            v.day = self.preview.day
            v.refresh(fit=True)
            self.window_.present()
        elif not on and self.window_ is not None:
            self.window_.close()
        self.present_button.blockSignals(True)
        self.present_button.setChecked(self.window_ is not None)
        self.present_button.blockSignals(False)
        self.presenting_changed.emit(self.window_ is not None)

    def toggle_presenting(self) -> None:
        self.set_presenting(self.window_ is None)

    def _window_gone(self) -> None:
        self.window_ = None
        self.present_button.blockSignals(True)
        self.present_button.setChecked(False)
        self.present_button.blockSignals(False)
        self.freeze.setChecked(False)
        self.black.setChecked(False)
        self.presenting_changed.emit(False)

    # ---- settings in the document --------------------------------------------------------

    def _document_changed(self) -> None:
        self._needs_load = True
        if self.isVisible():
            self._load()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._needs_load:
            self._load()

    def _load(self) -> None:
        self._needs_load = False
        self._load_rules()
        self._fill_spotlight()
        timeline = self.preview.timeline() if self.controller.has_document else None
        first = timeline.first_date if timeline else None
        self._first_day = first or date.today()
        span = max(0, (date.today() - self._first_day).days)
        self.slider.blockSignals(True)
        self.slider.setRange(0, span)
        self.slider.setValue(span)
        self.slider.blockSignals(False)
        self.setEnabled(self.controller.has_document)

    def _load_rules(self) -> None:
        if not self.controller.has_document:
            return
        rules = PresentationPrivacy.from_settings(self.controller.document.settings())
        for combo, value in (
            (self.theme, rules.theme),
            (self.labels, rules.label_mode),
            (self.consent_no, rules.consent_no),
            (self.not_asked, rules.consent_not_asked),
        ):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.legend_box.blockSignals(True)
        self.legend_box.setChecked(rules.show_legend)
        self.legend_box.blockSignals(False)
        editable = self.controller.editable
        for w in (self.theme, self.labels, self.consent_no, self.not_asked, self.legend_box):
            w.setEnabled(editable)

    def _save_rules(self) -> None:
        if not self.controller.editable:
            return
        wb = self.controller.document
        rules = PresentationPrivacy.from_settings(wb.settings())
        updated = rules.to_setting() | {
            "theme": self.theme.currentData(),
            "label_mode": self.labels.currentData(),
            "consent_no": self.consent_no.currentData(),
            "consent_not_asked": self.not_asked.currentData(),
            "show_legend": self.legend_box.isChecked(),
        }
        if updated != rules.to_setting():
            try:
                self.controller.push(
                    SetSettings({SETTING_KEY: updated}, self.tr("Change presentation privacy"))
                )
            except DocumentError as exc:
                QMessageBox.warning(self, self.tr("Presentation"), str(exc))

    # ---- what is shown -------------------------------------------------------------------

    def _color_chosen(self) -> None:
        for v in {self.preview, self.view}:
            v.set_color_by(self.color.currentData())
        self._fill_spotlight()

    def _fill_spotlight(self) -> None:
        self.spotlight.clear()
        self.spotlight.addItem(self.tr("Nobody — show everyone"), None)
        self.preview.ensure_current()
        proj = self.preview.projection
        if proj is not None:
            for label, _rgba in proj.legend:
                self.spotlight.addItem(label, label)

    def _spotlight_chosen(self) -> None:
        value = self.spotlight.currentData()
        spot = (self.color.currentData(), value) if value else None
        for v in {self.preview, self.view}:
            v.set_spotlight(spot)

    def _focus_toggled(self, on: bool) -> None:
        selected = self.controller.selected_members
        member = selected[0] if (on and selected) else None
        if on and member is None:
            self.focus_button.setChecked(False)
            QMessageBox.information(
                self, self.tr("Focus"), self.tr("Select a member first (in a table or on the map).")
            )
            return
        for v in {self.preview, self.view}:
            v.set_focus(member, self.focus_depth.value())

    def _focus_depth_changed(self, depth: int) -> None:
        if self.focus_button.isChecked():
            for v in {self.preview, self.view}:
                v.set_focus(v.focus_member, depth)

    # ---- replay --------------------------------------------------------------------------

    def _slider_day(self) -> date | None:
        if self.slider.value() >= self.slider.maximum():
            return None
        return self._first_day + timedelta(days=self.slider.value())

    def _slider_moved(self) -> None:
        day = self._slider_day()
        self.day_label.setText(
            self.tr("Today (live)") if day is None else QDate(day).toString("d MMMM yyyy")
        )
        for v in {self.preview, self.view}:
            v.set_day(day)

    def _play_toggled(self, on: bool) -> None:
        if on:
            if self.slider.value() >= self.slider.maximum():
                self.slider.setValue(0)
            self._playing.start()
        else:
            self._playing.stop()

    def _advance(self) -> None:
        step = max(1, self.slider.maximum() // 48)  # about 48 frames from start to today
        value = min(self.slider.maximum(), self.slider.value() + step)
        self.slider.setValue(value)
        if value >= self.slider.maximum():
            self.play.setChecked(False)

    def _go_live(self) -> None:
        self.play.setChecked(False)
        self.slider.setValue(self.slider.maximum())

    def export_replay(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Export growth replay"),
            "replay.gif",
            self.tr("Animated GIF (*.gif);;PNG sequence (*.png)"),
        )
        if not path:
            return
        days = replay_days(self._first_day, date.today(), 40)
        progress = QProgressDialog(
            self.tr("Rendering the replay…"), self.tr("Cancel"), 0, len(days), self
        )
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        frames: list[bytes] = []

        def on_frame(k: int, png: bytes) -> None:
            frames.append(png)
            progress.setValue(k + 1)

        render_frames(self.preview, days, QSize(1280, 720), on_frame, progress.wasCanceled)
        if progress.wasCanceled():
            return
        progress.close()
        try:
            target = Path(path)
            if "png" in chosen.lower() or target.suffix.lower() == ".png":
                write_png_sequence(frames, target.parent, target.stem)
            else:
                write_gif(frames, target.with_suffix(".gif"))
        except DocumentError as exc:  # a refused destination: its reason says it all
            QMessageBox.warning(self, self.tr("Export replay"), str(exc))
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("Export replay"),
                self.tr("%1 could not be written: %2")
                .replace("%1", path)
                .replace("%2", exc.strerror or str(exc)),
            )
