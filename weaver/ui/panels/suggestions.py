"""The Weaving panel: what to do next.

Three lists: suggested introductions (mark one introduced, which logs a one-to-one
"introduction" event, or dismiss it), offers & needs (every need with the members who offer a
match, across clusters first) and nudges (ties going cold, members out of touch, isolates,
newcomers on the edge). Clicking a row selects its members on the map; each list exports to the
member-list spreadsheet. Everything is computed in a worker after each change.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.changes import Changes
from ...core.commands import SetSettings
from ...core.errors import DocumentError
from ...core.metrics import load_network
from ...core.model import ValidationError
from ...core.network import facts
from ...core.network.measures import communities
from ...core.store import Document
from ...core.weaving import nudges
from ...core.weaving_answers import MarkIntroduced, answered_suggestions
from ...core.weaving_match import pair_key
from ...core.weaving_offers import offers_and_needs
from ...core.weaving_suggest import STATUS_KEY, statuses, suggest_introductions
from ..controller import Controller
from .health_background import BackgroundAnalysis
from .weaving_lists import (
    IDS,
    WrappingTree,
    empty_row,
    filter_combo,
    text_button,
    write_list_xlsx,
)

TOP_SUGGESTIONS = 100
PAIR = Qt.ItemDataRole.UserRole + 2
RELS = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate("WeavingPanel", text)


NUDGE_TITLES = {
    "cold_tie": "Ties going cold",
    "no_contact": "No in-person contact in 90 days",
    "isolate": "Members without ties",
    "newcomer": "Newcomers with fewer than two ties",
}


def _compute(wb: Document) -> dict[str, Any]:
    data = load_network(wb)
    parts = communities(data.graph())
    community_of = {m: i + 1 for i, part in enumerate(parts) for m in part}
    return {
        "names": {m: mem.name for m, mem in data.members.items()},
        "suggestions": suggest_introductions(data, TOP_SUGGESTIONS, community_of),
        "answered": answered_suggestions(data),
        "needs": offers_and_needs(data, community_of),
        "nudges": nudges(data),
        "cold_days": facts.cold_days(data.settings),
    }


class WeavingPanel(QWidget):
    """Suggested introductions, offers & needs, and nudges."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.result: dict[str, Any] | None = None
        self.analysis = BackgroundAnalysis(controller, _compute, self)
        self.analysis.ready.connect(self._show)
        self.analysis.failed.connect(
            lambda msg: self.status.setText(
                self.tr("Could not analyse the network: {0}").format(msg)
            )
        )
        self.analysis.running_changed.connect(
            lambda running: self.status.setText(self.tr("Updating…") if running else "")
        )
        self.status = QLabel()
        self.status.setEnabled(False)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_suggestions(), self.tr("Introductions"))
        self.tabs.addTab(self._build_needs(), self.tr("Offers && needs"))
        self.tabs.addTab(self._build_nudges(), self.tr("Nudges"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        controller.changed.connect(self._changed)
        controller.document_changed.connect(self.analysis.request)
        controller.busy_changed.connect(lambda _b: self._update_buttons())
        if controller.has_document:
            self.analysis.request()
        self._update_buttons()

    # ---- building ----------------------------------------------------------------------------

    def _build_suggestions(self) -> QWidget:
        page = QWidget()
        self.show_answered = filter_combo()
        self.show_answered.addItem(self.tr("Open suggestions"), "open")
        self.show_answered.addItem(self.tr("Introduced, dismissed, tie formed"), "answered")
        self.show_answered.currentIndexChanged.connect(self._fill_suggestions)
        self.introduced_button = text_button(self.tr("Introduced"))
        self.introduced_button.setToolTip(
            self.tr("Log a one-to-one introduction event with both members and mark it done")
        )
        self.introduced_button.clicked.connect(self.mark_introduced)
        self.dismiss_button = text_button(self.tr("Dismiss"))
        self.dismiss_button.clicked.connect(self.dismiss)
        self.reopen_button = text_button(self.tr("Reopen"))
        self.reopen_button.clicked.connect(self.reopen)
        export = text_button(self.tr("Export…"))
        export.clicked.connect(lambda: self.export_list(self.suggestion_tree, "Introductions"))
        # The filter and Export share a row, the answers to a suggestion get the next: each
        # row fits a narrow dock.
        bar = QVBoxLayout()
        row = QHBoxLayout()
        row.addWidget(self.show_answered, 1)
        row.addWidget(export)
        bar.addLayout(row)
        buttons = QHBoxLayout()
        for b in (self.introduced_button, self.dismiss_button, self.reopen_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        bar.addLayout(buttons)
        self.suggestion_tree = WrappingTree(
            [self.tr("Introduce"), self.tr("Score"), self.tr("Why")],
            self.tr("Suggested introductions"),
        )
        self.suggestion_tree.itemSelectionChanged.connect(
            lambda: self._select_from(self.suggestion_tree)
        )
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self.suggestion_tree, 1)
        return page

    def _build_needs(self) -> QWidget:
        page = QWidget()
        self.needs_filter = filter_combo()
        self.needs_filter.addItem(self.tr("Needs someone can meet"), "matched")
        self.needs_filter.addItem(self.tr("All needs"), "all")
        self.needs_filter.currentIndexChanged.connect(self._fill_needs)
        export = text_button(self.tr("Export…"))
        export.clicked.connect(lambda: self.export_list(self.needs_tree, "Offers and needs"))
        bar = QHBoxLayout()
        bar.addWidget(self.needs_filter)
        bar.addStretch(1)
        bar.addWidget(export)
        self.needs_tree = WrappingTree(
            [self.tr("Member"), self.tr("Need"), self.tr("Offered by")],
            self.tr("Offers and needs"),
        )
        self.needs_tree.setRootIsDecorated(True)
        self.needs_tree.itemSelectionChanged.connect(lambda: self._select_from(self.needs_tree))
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self.needs_tree, 1)
        return page

    def _build_nudges(self) -> QWidget:
        page = QWidget()
        self.nudge_kind = filter_combo()
        self.nudge_kind.addItem(self.tr("All nudges"), "")
        for kind, title in NUDGE_TITLES.items():
            self.nudge_kind.addItem(_tr(title), kind)
        self.nudge_kind.currentIndexChanged.connect(self._fill_nudges)
        self.cold_days = QSpinBox()
        self.cold_days.setRange(7, 3650)
        self.cold_days.setSuffix(self.tr(" days"))
        self.cold_days.setPrefix(self.tr("Ties go cold after "))
        self.cold_days.setToolTip(
            self.tr("A tie goes cold when its members have not met in person for this long")
        )
        self.cold_days.setValue(facts.DEFAULT_COLD_DAYS)
        self.cold_days.editingFinished.connect(self._set_cold_days)
        export = text_button(self.tr("Export…"))
        export.clicked.connect(lambda: self.export_list(self.nudge_tree, "Nudges"))
        bar = QVBoxLayout()
        row = QHBoxLayout()
        row.addWidget(self.nudge_kind, 1)
        row.addWidget(export)
        bar.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.cold_days)
        row.addStretch(1)
        bar.addLayout(row)
        self.nudge_tree = WrappingTree(
            [self.tr("Nudge"), self.tr("Kind"), self.tr("Days")], self.tr("Nudges")
        )
        self.nudge_tree.itemSelectionChanged.connect(lambda: self._select_from(self.nudge_tree))
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self.nudge_tree, 1)
        return page

    # ---- refreshing --------------------------------------------------------------------------

    def refresh(self) -> None:
        self.analysis.start_now()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.analysis.shown()

    def _changed(self, changes: Changes) -> None:
        if (
            changes.reset
            or changes.members
            or changes.relationships
            or changes.affiliations
            or changes.attendance
            or changes.events
            or changes.ratings
            or changes.settings
        ):
            self.analysis.request()

    def _show(self, result: dict[str, Any] | None) -> None:
        self.result = result
        if result is not None:
            self.cold_days.blockSignals(True)
            self.cold_days.setValue(result["cold_days"])
            self.cold_days.blockSignals(False)
        self._fill_suggestions()
        self._fill_needs()
        self._fill_nudges()
        self._update_buttons()

    def _name(self, member_id: str) -> str:
        assert self.result is not None
        return self.result["names"].get(member_id, self.tr("(deleted member)"))

    def _fill_suggestions(self) -> None:
        tree = self.suggestion_tree
        tree.clear()
        if self.result is None:
            return
        items = []
        if self.show_answered.currentData() == "open":
            for s in self.result["suggestions"]:
                item = QTreeWidgetItem(
                    [
                        f"{self._name(s.a)} + {self._name(s.b)}",
                        f"{s.score:.2f}",
                        "; ".join(s.reasons),
                    ]
                )
                item.setToolTip(0, "\n".join(s.reasons))  # the why, even in a narrow dock
                item.setToolTip(2, "\n".join(s.reasons))
                item.setData(0, IDS, [s.a, s.b])
                item.setData(0, PAIR, ("open", s.a, s.b))
                item.setTextAlignment(
                    1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                items.append(item)
        else:
            status_words = {
                "introduced": self.tr("introduced"),
                "dismissed": self.tr("dismissed"),
                "tie formed": self.tr("tie formed"),
            }
            for x in self.result["answered"]:
                item = QTreeWidgetItem(
                    [
                        f"{self._name(x.a)} + {self._name(x.b)}",
                        "",
                        f"{status_words[x.status]} {x.on}",
                    ]
                )
                item.setData(0, IDS, [x.a, x.b])
                item.setData(0, PAIR, (x.status, x.a, x.b))
                items.append(item)
        tree.addTopLevelItems(items)
        if not items:
            empty_row(
                tree,
                self.tr(
                    "Nothing here yet: suggestions come from shared contacts, "
                    "shared tags and offers that meet needs."
                ),
            )
        tree.fit_columns()
        self._update_buttons()

    def _fill_needs(self) -> None:
        tree = self.needs_tree
        tree.clear()
        if self.result is None:
            return
        only_matched = self.needs_filter.currentData() == "matched"
        items = []
        for need in self.result["needs"]:
            if only_matched and not need.offerers:
                continue
            offerers = []
            for o in need.offerers:
                mark = (
                    self.tr(" (already tied)")
                    if o.tied
                    else self.tr(" (other cluster)")
                    if o.across_clusters
                    else ""
                )
                offerers.append(self._name(o.member_id) + mark)
            more = need.total_offerers - len(need.offerers)
            shown = ", ".join(offerers) + (
                self.tr(" and {0} more").format(more) if more > 0 else ""
            )
            item = QTreeWidgetItem([self._name(need.member_id), str(need.need), shown])
            item.setData(0, IDS, [need.member_id, *[o.member_id for o in need.offerers]])
            for o in need.offerers:
                child = QTreeWidgetItem(
                    item, [self._name(need.member_id), str(need.need), self._name(o.member_id)]
                )
                child.setData(0, IDS, [need.member_id, o.member_id])
            items.append(item)
        tree.addTopLevelItems(items)
        if not items:
            empty_row(tree, self.tr("No need that another member offers to meet."))
        tree.fit_columns()

    def _fill_nudges(self) -> None:
        tree = self.nudge_tree
        tree.clear()
        if self.result is None:
            return
        kind = self.nudge_kind.currentData()
        items = []
        for n in self.result["nudges"]:
            if kind and n.kind != kind:
                continue
            item = QTreeWidgetItem(
                [n.text, _tr(NUDGE_TITLES[n.kind]), "" if n.days is None else str(n.days)]
            )
            item.setData(0, IDS, list(n.member_ids))
            item.setData(0, RELS, [n.relationship_id] if n.relationship_id else [])
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            items.append(item)
        tree.addTopLevelItems(items)
        if not items:
            empty_row(tree, self.tr("Nothing needs attention."))
        tree.fit_columns()

    # ---- selection and actions -------------------------------------------------------------

    def _select_from(self, tree: QTreeWidget) -> None:
        members: list[str] = []
        rels: list[str] = []
        for item in tree.selectedItems():
            members += item.data(0, IDS) or []
            rels += item.data(0, RELS) or []
        if members or rels:
            self.controller.select(members, rels)
        self._update_buttons()

    def _selected_pairs(self) -> list[tuple[str, str, str]]:
        return [
            tuple(item.data(0, PAIR))
            for item in self.suggestion_tree.selectedItems()
            if item.data(0, PAIR)
        ]

    def _update_buttons(self) -> None:
        pairs = self._selected_pairs() if hasattr(self, "suggestion_tree") else []
        editable = self.controller.editable
        open_pairs = [p for p in pairs if p[0] == "open"]
        self.introduced_button.setEnabled(editable and len(open_pairs) == 1)
        self.dismiss_button.setEnabled(editable and bool(open_pairs))
        self.reopen_button.setEnabled(editable and any(p[0] != "open" for p in pairs))
        self.cold_days.setEnabled(editable)

    def _push(self, make: Any) -> bool:
        try:
            self.controller.push(make())
        except (DocumentError, ValidationError) as exc:
            QMessageBox.warning(self, self.tr("Weaving"), str(exc))
            return False
        return True

    def mark_introduced(self) -> bool:
        pairs = [p for p in self._selected_pairs() if p[0] == "open"]
        if len(pairs) != 1:
            return False
        _, a, b = pairs[0]
        wb = self.controller.document
        return self._push(lambda: MarkIntroduced(wb, a, b, date.today()))

    def dismiss(self) -> bool:
        pairs = [p for p in self._selected_pairs() if p[0] == "open"]
        if not pairs:
            return False
        wb = self.controller.document

        def make() -> Any:
            current = statuses(wb.settings())
            for _, a, b in pairs:
                current[pair_key(a, b)] = {
                    "status": "dismissed",
                    "on": date.today().isoformat(),
                }
            n = len(pairs)
            label = (
                self.tr("Dismiss suggestion")
                if n == 1
                else self.tr("Dismiss {0} suggestions").format(n)
            )
            return SetSettings({STATUS_KEY: current}, label)

        return self._push(make)

    def reopen(self) -> bool:
        pairs = [p for p in self._selected_pairs() if p[0] != "open"]
        if not pairs:
            return False
        wb = self.controller.document

        def make() -> Any:
            current = statuses(wb.settings())
            for _, a, b in pairs:
                current.pop(pair_key(a, b), None)
            return SetSettings({STATUS_KEY: current}, self.tr("Reopen suggestion"))

        return self._push(make)

    def _set_cold_days(self) -> None:
        if not self.controller.editable or self.result is None:
            return
        value = self.cold_days.value()
        if value != self.result["cold_days"]:
            self._push(
                lambda: SetSettings({facts.COLD_DAYS_KEY: value}, self.tr("Set when ties go cold"))
            )

    # ---- export ------------------------------------------------------------------------------

    def export_list(self, tree: QTreeWidget, title: str, dest: Path | None = None) -> bool:
        """The list as shown, plus the member list of everyone in it, as one spreadsheet."""
        if not self.controller.has_document:
            return False
        if dest is None:
            wb = self.controller.document
            suggested = str(wb.path.with_name(f"{wb.path.stem} {title.lower()}.xlsx"))
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export list"), suggested, self.tr("Spreadsheet (*.xlsx)")
            )
            if not chosen:
                return False
            dest = Path(chosen).with_suffix(".xlsx")
        try:
            write_list_xlsx(self.controller.document, tree, title, dest)
        except (DocumentError, OSError) as exc:
            QMessageBox.warning(self, self.tr("Export list"), str(exc))
            return False
        return True
