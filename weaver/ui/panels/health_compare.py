"""Compare snapshots: pick two (or a snapshot and now) and see what changed between them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.health import SCORECARD_LABELS
from ...core.snapshots import Snapshot, compare
from .health_facts import format_value, health_tr


class CompareDialog(QDialog):
    """Pick two snapshots; see what changed between them."""

    def __init__(self, snapshots: list[Snapshot], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Compare snapshots"))
        self.snapshots = snapshots
        self.earlier = QComboBox()
        self.later = QComboBox()
        for s in snapshots:
            self.earlier.addItem(s.title, s.id)
            self.later.addItem(s.title, s.id)
        self.earlier.setCurrentIndex(max(0, len(snapshots) - 2))
        self.later.setCurrentIndex(len(snapshots) - 1)
        form = QFormLayout()
        form.addRow(self.tr("Earlier:"), self.earlier)
        form.addRow(self.tr("Later:"), self.later)
        self.result_tree = QTreeWidget()
        self.result_tree.setHeaderLabels(
            [self.tr("What changed"), self.tr("Earlier"), self.tr("Later")]
        )
        self.result_tree.setAccessibleName(self.tr("Changes between snapshots"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_tree, 1)
        layout.addWidget(buttons)
        self.earlier.currentIndexChanged.connect(self.update_result)
        self.later.currentIndexChanged.connect(self.update_result)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 32)
        self.update_result()

    def _snapshot(self, combo: QComboBox) -> Snapshot:
        return next(s for s in self.snapshots if s.id == combo.currentData())

    def update_result(self) -> None:
        diff = compare(self._snapshot(self.earlier), self._snapshot(self.later))
        tree = self.result_tree
        tree.clear()
        measures = QTreeWidgetItem([self.tr("Measures")])
        values = {key: (a, b) for key, a, b in diff.measures}
        for key in SCORECARD_LABELS:  # the scorecard's own order
            if key not in values:
                continue
            a, b = values[key]
            QTreeWidgetItem(
                measures,
                [health_tr(SCORECARD_LABELS[key]), format_value(key, a), format_value(key, b)],
            )
        tree.addTopLevelItem(measures)
        measures.setExpanded(True)
        for title, names in (
            (self.tr("New members"), diff.new_members),
            (self.tr("Members gone"), diff.members_gone),
            (self.tr("New ties"), [f"{a} — {b}" for a, b in diff.new_ties]),
            (self.tr("Lost ties"), [f"{a} — {b}" for a, b in diff.lost_ties]),
            (self.tr("Gone quiet (no in-person contact lately)"), diff.gone_quiet),
        ):
            top = QTreeWidgetItem([f"{title} ({len(names)})"])
            for n in names:
                QTreeWidgetItem(top, [n])
            tree.addTopLevelItem(top)
            top.setExpanded(0 < len(names) <= 30)
        tree.resizeColumnToContents(0)
        self.diff = diff
