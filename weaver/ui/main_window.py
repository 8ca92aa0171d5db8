"""The main window: composes the map, the panels, menus, toolbar and status bar.

It holds no SQL and no domain logic: files are opened through ``dialogs.open_file``, edits go
through ``editing`` and the meeting dialog as core commands pushed on the controller.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QToolBar,
    QUndoView,
    QWidget,
)

from ..core.changes import Changes
from . import editing
from .controller import Controller
from .dialogs.errors import open_log_folder
from .panels.details import DetailsPanel
from .panels.events import EventsPanel
from .panels.members import MembersPanel
from .panels.relationships import RelationshipsPanel
from .settings import Preferences
from .tasks import Task
from .textmatch import plural
from .theme import app_icon, icon
from .window_editing import EditCommands
from .window_files import FileCommands
from .window_layout import LayoutMemory
from .window_weaving import WeavingFeatures
from .window_workshop import WorkshopFeatures

# Actions that change the document: disabled while read-only or while a long write runs.
EDITING_ACTIONS = (
    "add_member",
    "add_organization",
    "add_relationship",
    "add_affiliation",
    "log_meeting",
    "delete",
    "import",
    "network_settings",
)


def _central_map(controller: Controller, with_map: bool) -> QWidget:
    if with_map:
        try:
            from .map.widget import MapWidget
        except ImportError:  # the map lands in its own issue; until then, say so
            pass
        else:
            return MapWidget(controller)
    label = QLabel(
        QApplication.translate("MainWindow", "The network map appears here.") if with_map else ""
    )
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setObjectName("mapPlaceholder")
    return label


class MainWindow(FileCommands, EditCommands, LayoutMemory, QMainWindow):
    def __init__(
        self,
        controller: Controller | None = None,
        prefs: Preferences | None = None,
        *,
        with_map: bool = True,
    ) -> None:
        super().__init__()
        self.controller = controller or Controller(self)
        self.prefs = prefs if prefs is not None else Preferences()
        self.setWindowIcon(app_icon())
        self.setObjectName("MainWindow")
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )
        self.tasks: list[Task] = []
        self.actions: dict[str, QAction] = {}
        self.map = _central_map(self.controller, with_map)
        self.setCentralWidget(self.map)
        self._build_docks()
        self.weaving = WeavingFeatures(self)
        self.workshop = WorkshopFeatures(self)
        self._arrange_docks()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()

        c = self.controller
        c.changed.connect(self._on_changed)
        c.document_changed.connect(self._on_document_changed)
        c.busy_changed.connect(self._on_busy)
        c.selection_changed.connect(self._on_selection)
        c.undo_stack.canUndoChanged.connect(self._update_undo)
        c.undo_stack.canRedoChanged.connect(self._update_undo)
        c.undo_stack.undoTextChanged.connect(self._update_undo)
        c.undo_stack.redoTextChanged.connect(self._update_undo)
        # A first run's size, never more than the screen has room for (see _restore_layout).
        self.resize(self.fontMetrics().averageCharWidth() * 200, self.fontMetrics().height() * 50)
        self._restore_layout()
        self._on_document_changed()

    # ---- building ------------------------------------------------------------------------

    def _dock(
        self,
        title: str,
        name: str,
        widget: QWidget,
        area: Qt.DockWidgetArea,
        *,
        scroll: bool = False,
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState/restoreState find docks by this
        if scroll:
            # A panel with a wide button row or a long form must not force its width (or
            # height) on every dock tabbed with it: it scrolls when the dock is small.
            area_widget = QScrollArea()
            area_widget.setWidgetResizable(True)
            area_widget.setFrameShape(QFrame.Shape.NoFrame)
            area_widget.setWidget(widget)
            dock.setWidget(area_widget)
        else:
            dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        c = self.controller
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.members_panel = MembersPanel(c)
        self.relationships_panel = RelationshipsPanel(c)
        self.events_panel = EventsPanel(c)
        self.details_panel = DetailsPanel(c)
        self.undo_view = QUndoView(c.undo_stack)
        self.undo_view.setEmptyLabel(self.tr("Opened — no changes yet"))
        self.undo_view.setAccessibleName(self.tr("Undo history"))
        self.members_dock = self._dock(self.tr("Members"), "membersDock", self.members_panel, left)
        self.relationships_dock = self._dock(
            self.tr("Relationships"), "relationshipsDock", self.relationships_panel, left
        )
        # "Meetings" on its tab (the three tables' tabs fit the dock's narrowest); the View
        # menu and the tab's tooltip say "Meetings & events".
        self.events_dock = self._dock(self.tr("Meetings"), "eventsDock", self.events_panel, left)
        self.details_dock = self._dock(self.tr("Details"), "detailsDock", self.details_panel, right)
        self.history_dock = self._dock(self.tr("History"), "historyDock", self.undo_view, right)

    def _arrange_docks(self) -> None:
        """The wide arrangement to begin with (see ``window_layout``); the first show picks
        the one that fits the window. Workshop docks join the right tabs, hidden until used."""
        # Workshop docks wait until a workshop needs them: a weaver's day starts without them.
        for dock in self.workshop.docks:
            dock.hide()
        self.compact_layout = False
        self.arrange_docks(compact=False)
        self.docks = [
            self.members_dock,
            self.relationships_dock,
            self.events_dock,
            self.details_dock,
            self.history_dock,
        ]
        self.docks += self.weaving.docks + self.workshop.docks
        for dock in self.docks:
            # Moving a dock or showing one makes Qt relabel its tab bar: tooltips again.
            dock.dockLocationChanged.connect(self._dock_tabs_changed)
            dock.visibilityChanged.connect(self._dock_tabs_changed)

    def _dock_tabs_changed(self, *_args: object) -> None:
        QTimer.singleShot(0, self, self.refresh_dock_tabs)

    def dock_tooltips(self) -> dict[str, str]:
        """Each dock's tab label and the fuller name its tooltip gives."""
        tips = {
            self.members_dock: self.tr("Members: everyone in the network"),
            self.relationships_dock: self.tr("Relationships between members"),
            self.events_dock: self.tr("Meetings and events, with who attended"),
            self.details_dock: self.tr("Details of the selected member, relationship or event"),
            self.history_dock: self.tr("History: every change, to undo or redo"),
            self.weaving.weaving_dock: self.tr(
                "Weaving: suggested introductions, offers and needs, nudges"
            ),
            self.weaving.health_dock: self.tr("Network health: measures, stage and trends"),
            self.weaving.network_dock: self.tr(
                "Network profile: purpose, value, stage and design questions"
            ),
        }
        return {dock.windowTitle(): tip for dock, tip in tips.items()}

    def _action(
        self,
        key: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon_name: str = "",
        tip: str = "",
        fallback: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        shortcuts: list[QKeySequence] = []
        if isinstance(shortcut, QKeySequence.StandardKey):
            shortcuts = QKeySequence.keyBindings(shortcut)
        elif shortcut:
            shortcuts = [QKeySequence(shortcut)]
        if not shortcuts and fallback:  # e.g. Preferences or Quit on platforms without one
            shortcuts = [QKeySequence(fallback)]
        action.setShortcuts(shortcuts)
        if tip or shortcuts:
            shown = tip or text.replace("&", "").rstrip("…")
            if shortcuts:
                keys = shortcuts[0].toString(QKeySequence.SequenceFormat.NativeText)
                shown = f"{shown} ({keys})"
            action.setToolTip(shown)
            action.setStatusTip(tip or shown)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work even when menus/toolbars are hidden
        self.actions[key] = action
        return action

    def _build_actions(self) -> None:
        sk = QKeySequence.StandardKey
        a = self._action
        a("new", self.tr("&New Network…"), self.new_document, sk.New, "document-new")
        a("open", self.tr("&Open…"), self.open_document, sk.Open, "document-open")
        a(
            "save_copy",
            self.tr("Save a &Copy As…"),
            self.save_copy,
            sk.SaveAs,
            "document-save-as",
            self.tr("Write a compact copy of this network to another file"),
            fallback="Ctrl+Shift+S",
        )
        a("import", self.tr("&Import…"), self.import_file, "Ctrl+I", "document-import")
        a("export", self.tr("&Export…"), self.export_file, "Ctrl+E", "document-export")
        a("close", self.tr("&Close"), self.close_document, sk.Close, "close", fallback="Ctrl+W")
        a("quit", self.tr("&Quit"), self.close, sk.Quit, fallback="Ctrl+Q")
        self.actions["quit"].setMenuRole(QAction.MenuRole.QuitRole)
        a("undo", self.tr("&Undo"), self.undo, sk.Undo, "edit-undo")
        a("redo", self.tr("&Redo"), self.redo, sk.Redo, "edit-redo", fallback="Ctrl+Shift+Z")
        a("find", self.tr("&Find Member…"), self.find, sk.Find, "edit-find")
        a("delete", self.tr("&Delete"), self.delete_selection, sk.Delete, "edit-delete")
        a(
            "preferences",
            self.tr("&Preferences…"),
            self.preferences,
            sk.Preferences,
            "preferences",
            fallback="Ctrl+,",
        )
        self.actions["preferences"].setMenuRole(QAction.MenuRole.PreferencesRole)
        a(
            "add_member",
            self.tr("Add &Person…"),
            lambda: editing.add_member(self, self.controller, "person"),
            "Ctrl+Shift+P",
            "member-add",
        )
        a(
            "add_organization",
            self.tr("Add &Organization…"),
            lambda: editing.add_member(self, self.controller, "organization"),
            "Ctrl+Shift+O",
            "organization-add",
        )
        a(
            "add_relationship",
            self.tr("Add &Relationship…"),
            self.add_relationship,
            "Ctrl+Shift+R",
            "relationship-add",
        )
        a(
            "add_affiliation",
            self.tr("Add A&ffiliation…"),
            self.add_affiliation,
            "Ctrl+Shift+F",
            "affiliation-add",
        )
        a("log_meeting", self.tr("&Log a Meeting…"), self.log_meeting, "Ctrl+M", "meeting-log")
        a(
            "network_settings",
            self.tr("Network &Settings…"),
            lambda: self.preferences(network=True),
        )
        a("open_log", self.tr("Open &Log Folder"), open_log_folder, icon_name="folder-log")
        a("about", self.tr("&About Weaver"), self.about)
        self.actions["about"].setMenuRole(QAction.MenuRole.AboutRole)
        for n, (dock, panel) in enumerate(
            [
                (self.members_dock, self.members_panel),
                (self.relationships_dock, self.relationships_panel),
                (self.events_dock, self.events_panel),
                (self.details_dock, self.details_panel),
            ],
            start=1,
        ):
            a(
                f"go_{dock.objectName()}",
                self.tr("Go to {0}").format(dock.windowTitle()),
                lambda d=dock, p=panel: self._focus_dock(d, p),
                f"Ctrl+{n}",
            )
        a("go_map", self.tr("Go to Map"), lambda: self.map.setFocus(), "Ctrl+0")
        self.weaving.build_actions()
        self.workshop.build_actions()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        act = self.actions
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([act["new"], act["open"]])
        self.recent_menu = QMenu(self.tr("Open &Recent"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(act["save_copy"])
        file_menu.addSeparator()
        file_menu.addActions([act["import"], act["export"]])
        file_menu.addSeparator()
        file_menu.addActions([act["start_workshop"], act["end_workshop"]])
        file_menu.addSeparator()
        file_menu.addActions([act["close"], act["quit"]])

        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addActions([act["undo"], act["redo"]])
        edit_menu.addSeparator()
        edit_menu.addActions([act["find"], act["delete"]])
        edit_menu.addSeparator()
        edit_menu.addAction(act["preferences"])

        network_menu = bar.addMenu(self.tr("&Network"))
        network_menu.addActions([act["add_member"], act["add_organization"]])
        network_menu.addActions([act["add_relationship"], act["add_affiliation"]])
        network_menu.addSeparator()
        network_menu.addActions([act["log_meeting"], act["rate_tie"]])
        network_menu.addSeparator()
        network_menu.addActions([act["show_weaving"], act["show_health"], act["show_profile"]])
        network_menu.addActions([act["take_snapshot"], act["export_report"]])
        network_menu.addSeparator()
        network_menu.addAction(act["network_settings"])

        self.view_menu = bar.addMenu(self.tr("&View"))
        for key in [k for k in act if k.startswith("go_")]:
            self.view_menu.addAction(act[key])
        self.view_menu.addSeparator()
        self.view_menu.addActions([act["present"], act["presenter_controls"], act["quick_entry"]])
        self.view_menu.addSeparator()
        panels = self.view_menu.addMenu(self.tr("&Panels"))
        for dock in self.docks:
            panels.addAction(dock.toggleViewAction())
        # The tabs say "Meetings" and "Profile" to stay short; the menu has room for more.
        self.events_dock.toggleViewAction().setText(self.tr("Meetings && events"))
        self.weaving.network_dock.toggleViewAction().setText(self.tr("Network profile"))
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addActions([act["open_log"], act["about"]])

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Main toolbar"), self)
        bar.setObjectName("mainToolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        icon_size = self.style().pixelMetric(self.style().PixelMetric.PM_ToolBarIconSize)
        bar.setIconSize(QSize(icon_size, icon_size))
        keys = ["undo", "redo", None, "add_member", "add_organization", "add_relationship"]
        keys += [None, "log_meeting", "quick_entry", None, "present", None, "find"]
        for key in keys:
            if key is None:
                bar.addSeparator()
                continue
            bar.addAction(self.actions[key])
            button = bar.widgetForAction(self.actions[key])
            name = self.actions[key].text().replace("&", "").rstrip("…")
            button.setAccessibleName(name)
        # Icon-only for the self-explanatory ones, text for the rest, so nothing gets clipped.
        for key in ("undo", "redo", "find"):
            button = bar.widgetForAction(self.actions[key])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.toolbar = bar
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.view_menu.addAction(bar.toggleViewAction())

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.counts_label = QLabel()
        self.mode_label = QLabel()
        status.addPermanentWidget(self.mode_label)
        status.addPermanentWidget(self.counts_label)

    # ---- state -----------------------------------------------------------------------------

    def update_title(self) -> None:
        wb = self._document()
        if wb is None:
            self.setWindowTitle(self.tr("Weaver"))
            self.setWindowFilePath("")
            return
        title = self.tr("{0} — {1}").format(wb.name, wb.path.name)
        if wb.readonly:
            title += " " + self.tr("[read-only]")
        self.setWindowTitle(f"{title} — Weaver")
        self.setWindowFilePath(str(wb.path))

    def _update_actions(self) -> None:
        has_doc = self.controller.has_document
        editable = self.controller.editable
        for key in EDITING_ACTIONS:
            self.actions[key].setEnabled(editable)
        for key in ("save_copy", "export", "close", "find"):
            self.actions[key].setEnabled(has_doc)
        self.weaving.update_actions()
        self.workshop.update_actions()
        self._update_undo()
        if not has_doc:
            self.mode_label.setText(self.tr("No network open"))
        elif self.controller.readonly:
            self.mode_label.setText(self.tr("Read-only: changes are disabled"))
        elif not editable:
            self.mode_label.setText(self.tr("Working… editing is paused"))
        else:
            self.mode_label.setText("")
        if "export" in self._missing:
            self.actions["export"].setEnabled(False)
        if "import" in self._missing:
            self.actions["import"].setEnabled(False)

    @property
    def _missing(self) -> set[str]:
        missing = set()
        for key, module in (("import", "import_dialog"), ("export", "export_dialog")):
            if not _has_module(f"weaver.ui.dialogs.{module}"):
                missing.add(key)
        return missing

    def _update_undo(self, *_: object) -> None:
        stack = self.controller.undo_stack
        editable = self.controller.editable
        undo, redo = self.actions["undo"], self.actions["redo"]
        undo.setEnabled(editable and stack.canUndo())
        redo.setEnabled(editable and stack.canRedo())
        undo.setText(
            self.tr("&Undo {0}").format(stack.undoText()) if stack.canUndo() else self.tr("&Undo")
        )
        redo.setText(
            self.tr("&Redo {0}").format(stack.redoText()) if stack.canRedo() else self.tr("&Redo")
        )
        for action, base in ((undo, self.tr("Undo")), (redo, self.tr("Redo"))):
            text = action.text().replace("&", "")
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{text} ({keys})" if keys else text)
            button = self.toolbar.widgetForAction(action) if hasattr(self, "toolbar") else None
            if button is not None:
                button.setAccessibleName(base)

    def _update_counts(self) -> None:
        wb = self._document()
        if wb is None:
            self.counts_label.setText("")
            return
        counts = wb.counts()
        # "relationships" counts every one recorded, ended ones too (said apart); the Health
        # panel's "tied pairs" is another count with its own word.
        ended = wb.ended_relationships(date.today())
        relationships = self.tr("{0} relationships").format(counts["relationships"])
        if ended:
            relationships = self.tr("{0} relationships, {1} ended").format(
                counts["relationships"], ended
            )
        self.counts_label.setText(
            self.tr("{0} people · {1} organizations · {2} · {3} events").format(
                counts["people"], counts["organizations"], relationships, counts["events"]
            )
        )

    def _on_changed(self, changes: Changes) -> None:
        if changes.reset or changes.settings:
            self.update_title()
        if changes.reset or changes.members or changes.relationships or changes.events:
            self._update_counts()

    def _on_document_changed(self) -> None:
        has_doc = self.controller.has_document
        for dock in self.docks:
            dock.widget().setEnabled(has_doc)
        self.update_title()
        self._update_actions()
        self._update_counts()

    def _on_busy(self, busy: bool) -> None:
        self._update_actions()

    def _on_selection(self, members: tuple[str, ...], relationships: tuple[str, ...]) -> None:
        n, r = len(members), len(relationships)
        if n or r:
            parts = []
            if n:
                parts.append(plural(self.tr("%n member(s) selected", "", n), n))
            if r:
                parts.append(plural(self.tr("%n relationship(s) selected", "", r), r))
            self.statusBar().showMessage(" · ".join(parts), 4000)

    # ---- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._can_switch():
            event.ignore()
            return
        self.save_layout()
        self.workshop.shutdown()
        self.controller.close_document()
        event.accept()


def _has_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False
