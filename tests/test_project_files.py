"""The README's promises and the CI script stay in step."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section, flags=re.S)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    commands = _readme_commands()
    assert len(commands) >= 2
    test_command = commands[1].strip()
    assert "pytest" in test_command
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test_command in ci_lines


def test_readme_demo_command_opens_the_demo() -> None:
    assert "main.py --demo" in _readme_commands()[0]


def test_every_package_is_listed_for_installation() -> None:
    """pyproject lists packages by hand (resources/ maps to console.resources)."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "console").rglob("__init__.py")
    }
    assert found | {"console.resources"} == listed


def test_no_file_names_a_folder_of_one_machine() -> None:
    """Paths are relative to the checkout (the shared sample is ../shared beside it)."""
    machine_folders = ("/" + "work/", "/" + "home/")  # spelled apart: this file is scanned
    files = [ROOT / "README.md", ROOT / "pyproject.toml", ROOT / ".ci" / "run", ROOT / "main.py"]
    for folder in ("console", "tests", "bench", "docs", "resources"):
        files += [p for p in (ROOT / folder).rglob("*")
                  if p.suffix in (".py", ".md", ".toml", ".json", ".qss", ".cfg", ".ini")]
    named = [f"{path.relative_to(ROOT)}: {folder}" for path in files
             for folder in machine_folders if folder in path.read_text(errors="replace")]
    assert len(files) > 50
    assert named == []
