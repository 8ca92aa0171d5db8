"""Fixtures the core tests share (one place, not a copy per file).

``wb`` is the small hand-made network that touches every field (``small_network``); ``empty``
is a new, empty document. A test file that needs another network defines its own ``wb``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from weaver.core.store import Document

from .test_io_support import small_network


@pytest.fixture
def wb(tmp_path: Path) -> Iterator[Document]:
    book = small_network(tmp_path / "net.weaver")
    yield book
    book.close()


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Document]:
    book = Document.create(tmp_path / "empty.weaver")
    yield book
    book.close()
