"""Reports and mapping files are replaced whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.errors import UserError
from console.services.text_files import replacing


def test_the_new_text_replaces_the_old_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), replacing(target) as stream:
        stream.write("half")
        raise RuntimeError("stopped midway")
    assert target.read_text(encoding="utf-8") == "old\n"
    with replacing(target) as stream:
        stream.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


def test_an_unwritable_place_is_one_line_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "report.csv"
    with pytest.raises(UserError) as caught, replacing(target) as stream:
        stream.write("x")
    assert str(target) in caught.value.message and "\n" not in caught.value.message
