"""The README's two commands are the contract CI proves: keep .ci/run in step with it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```\n(.+?)\n```", text)[:2]


def test_readme_opens_with_exactly_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text.split("\n## ")[0]
    assert len(re.findall(r"```\n.+?\n```", head, re.S)) == 2
    install_and_run, install_and_test = _readme_commands()
    assert "pip install ." in install_and_run and "weaver" in install_and_run
    assert "pip install '.[test]'" in install_and_test and "pytest" in install_and_test


def test_ci_runs_the_readme_test_command_word_for_word():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = _readme_commands()[1]
    assert test_command in ci.splitlines()
