"""packaging/: the desktop entry, the document type and the PyInstaller spec (never built here)."""

from __future__ import annotations

import configparser
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree

from weaver.core import schema
from weaver.core.store import Document
from weaver.resources import resource

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
MIME = "{http://www.freedesktop.org/standards/shared-mime-info}"
MIME_TYPE = "application/x-weaver"


@pytest.fixture(scope="module")
def desktop() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep the keys' case
    parser.read_string((PACKAGING / "weaver.desktop").read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


@pytest.fixture(scope="module")
def mime_type() -> Element:
    root = ElementTree.parse(PACKAGING / "weaver-mime.xml").getroot()
    assert root.tag == f"{MIME}mime-info"
    found = root.findall(f"{MIME}mime-type")
    assert [t.get("type") for t in found] == [MIME_TYPE]
    return found[0]


def test_desktop_entry_has_the_required_keys(desktop: configparser.SectionProxy) -> None:
    assert {"Type", "Name", "Exec", "Icon", "MimeType", "Categories"} <= set(desktop)
    assert desktop["Type"] == "Application"
    assert desktop["Name"] == "Weaver"
    assert desktop["Exec"].startswith("weaver")
    assert desktop["Exec"].split() == ["weaver", "%f"]  # one document at a time
    assert "Office" in desktop["Categories"].split(";")
    assert desktop["Categories"].endswith(";") and desktop["MimeType"].endswith(";")


def test_desktop_entry_opens_the_type_the_mime_file_declares(desktop, mime_type) -> None:
    assert MIME_TYPE in desktop["MimeType"].split(";")
    assert mime_type.find(f"{MIME}comment") is not None


def test_mime_type_names_the_extension(mime_type: Element) -> None:
    globs = [g.get("pattern") for g in mime_type.findall(f"{MIME}glob")]
    assert globs == ["*.weaver"]


def test_mime_magic_matches_a_real_document(mime_type: Element, tmp_path) -> None:
    """The magic (SQLite header + application_id at byte 68) recognises what the store writes."""
    path = tmp_path / "net.weaver"
    Document.create(path).close()
    header = path.read_bytes()[:100]
    outer = mime_type.find(f"{MIME}magic/{MIME}match")
    assert outer is not None and outer.get("type") == "string"
    start = int(outer.get("offset", "0"))
    value = outer.get("value", "").encode()
    assert value and header[start : start + len(value)] == value
    inner = outer.find(f"{MIME}match")
    assert inner is not None and inner.get("type") == "big32"
    assert int(inner.get("value", ""), 16) == schema.APPLICATION_ID
    offset = int(inner.get("offset", ""))
    assert int.from_bytes(header[offset : offset + 4], "big") == schema.APPLICATION_ID


def test_spec_compiles_and_bundles_what_the_app_loads_at_run_time() -> None:
    source = (PACKAGING / "weaver.spec").read_text(encoding="utf-8")
    compile(source, "weaver.spec", "exec")
    assert "PySide6.QtOpenGL" in source  # pyqtgraph imports it dynamically
    assert "resources" in source and "weaver/resources" in source
    assert "launcher.py" in source and "COLLECT(" in source  # --onedir


def test_launcher_runs_the_cli_entry_point() -> None:
    source = (PACKAGING / "launcher.py").read_text(encoding="utf-8")
    compile(source, "launcher.py", "exec")
    assert "from weaver.cli import main" in source


def test_the_bundled_resources_exist() -> None:
    icons = resource("icons")
    assert icons.is_dir()
    assert resource("icons", "weaver.svg").is_file()  # the app and document icon
