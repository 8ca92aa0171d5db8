"""The Network panel: the network's own profile (name, purpose, value proposition, stage and the
eight design questions), stored in the document. "Save" is one undoable step; "Revert" drops
unsaved typing. Undo elsewhere refreshes the form unless the weaver is mid-edit.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core.changes import Changes
from ...core.errors import DocumentError
from ...core.model import ValidationError
from ...core.profile import (
    DESIGN_QUESTIONS,
    OWN_FIELDS,
    SETTING_KEY,
    STAGE_LABELS,
    NetworkProfile,
    SetProfile,
    profile_from_settings,
)
from ..controller import Controller


def _tr(text: str) -> str:
    return QCoreApplication.translate("NetworkPanel", text)


def _text_box(placeholder: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class NetworkPanel(QWidget):
    """Edit what the document knows about the network itself."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._loading = False
        self._dirty = False

        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("The network's name"))
        self.purpose = _text_box(self.tr("Why does the network exist?"))
        self.value_proposition = _text_box(
            self.tr("What value do members create together that none could alone?")
        )
        self.stage = QComboBox()
        # A long stage name must not widen the form past a narrow dock: it is elided instead.
        self.stage.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.stage.setMinimumContentsLength(16)
        for key, label in STAGE_LABELS.items():
            self.stage.addItem(_tr(label), key)

        about = QGroupBox(self.tr("The network"))
        form = QFormLayout(about)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow docks
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Purpose:"), self.purpose)
        form.addRow(self.tr("&Value proposition:"), self.value_proposition)
        form.addRow(self.tr("&Stage:"), self.stage)

        questions = QGroupBox(self.tr("Design questions"))
        qform = QFormLayout(questions)
        qform.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # long questions
        self.answers: dict[str, QPlainTextEdit] = {}
        for key, (title, question) in DESIGN_QUESTIONS.items():
            if key in OWN_FIELDS:
                continue  # answered by Purpose and Value proposition above
            box = _text_box(_tr(question), 2)
            box.setAccessibleName(_tr(title))
            self.answers[key] = box
            qform.addRow(_tr(title).replace("&", "&&") + ":", box)

        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(about)
        inner.addWidget(questions)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Revert"))
        self.revert_button.clicked.connect(self.load)
        self.state = QLabel()
        self.state.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(self.state, 1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(bar)

        self.name.textEdited.connect(self._edited)
        self.stage.currentIndexChanged.connect(self._edited)
        for box in (self.purpose, self.value_proposition, *self.answers.values()):
            box.textChanged.connect(self._edited)
        controller.changed.connect(self._changed)
        controller.document_changed.connect(self.load)
        controller.busy_changed.connect(lambda _b: self._update())
        self.load()

    # ---- state -------------------------------------------------------------------------------

    def _edited(self) -> None:
        if not self._loading:
            self._dirty = True
            self._update()

    def _update(self) -> None:
        has = self.controller.has_document
        editable = self.controller.editable
        for w in (self.name, self.stage):
            w.setEnabled(has and editable)
        for box in (self.purpose, self.value_proposition, *self.answers.values()):
            box.setReadOnly(not (has and editable))
            box.setEnabled(has)
        self.save_button.setEnabled(editable and self._dirty)
        self.revert_button.setEnabled(self._dirty)
        self.state.setText(self.tr("Unsaved changes") if self._dirty else "")

    def _changed(self, changes: Changes) -> None:
        if (changes.reset or {"name", SETTING_KEY} & changes.settings) and not self._dirty:
            self.load()

    def load(self) -> None:
        """Show the profile stored in the document (dropping unsaved typing)."""
        self._loading = True
        try:
            if self.controller.has_document:
                p = profile_from_settings(self.controller.document.settings())
            else:
                p = NetworkProfile()
            self.name.setText(p.name)
            self.purpose.setPlainText(p.purpose)
            self.value_proposition.setPlainText(p.value_proposition)
            self.stage.setCurrentIndex(max(0, self.stage.findData(p.stage)))
            for key, box in self.answers.items():
                box.setPlainText(p.answers.get(key, ""))
        finally:
            self._loading = False
        self._dirty = False
        self._update()

    def profile(self) -> NetworkProfile:
        return NetworkProfile(
            name=self.name.text().strip(),
            purpose=self.purpose.toPlainText(),
            value_proposition=self.value_proposition.toPlainText(),
            stage=self.stage.currentData() or "",
            answers={
                k: b.toPlainText() for k, b in self.answers.items() if b.toPlainText().strip()
            },
        )

    def save(self) -> bool:
        if not self.controller.editable:
            return False
        try:
            command = SetProfile(self.profile())
            self._dirty = False  # the change notification reloads what was just stored
            self.controller.push(command)
        except (ValidationError, DocumentError) as exc:
            self._dirty = True
            self._update()
            QMessageBox.warning(self, self.tr("Network profile"), str(exc))
            if not self.name.text().strip():
                self.name.setFocus()
            return False
        self._update()
        return True

    def focus_search(self) -> None:
        self.name.setFocus()
