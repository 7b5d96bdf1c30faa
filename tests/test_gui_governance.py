"""The Program page's Governance section on the demo program: the posts and the chart
drawn from the records, an edit through the holder dialog, the chart exported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_gui import window  # noqa: F401  (the fixture: the console on the demo program)

from console.data.governance_enums import PostKind
from console.views.main_window import MainWindow


def _section(qtbot: Any, window: MainWindow) -> Any:  # noqa: F811
    page = window.show_area("program")
    page.show_tab("governance")
    section = page.governance
    qtbot.waitUntil(lambda: section.loaded is not None and section.chart.canvas is not None,
                    timeout=20_000)
    return section


def test_the_section_shows_the_posts_and_draws_their_chart(
        qtbot: Any, window: MainWindow) -> None:  # noqa: F811
    section = _section(qtbot, window)
    g = section.loaded.g
    assert section.posts.source.rowCount() == len(g.posts) == 5
    texts = [t.get_text() for t in section.chart.figure.axes[0].texts]
    owner = g.post(PostKind.PROGRAM_OWNER).holder
    assert owner.described in texts and "Deputy Chief" in owner.described
    assert "City model" in section.summary.text()
    assert "Nothing flagged" in section.flags.text()
    assert section.buttons and section.export_button.isEnabled()


def test_an_edit_in_the_holder_dialog_reaches_the_flags_and_the_chart(
        qtbot: Any, window: MainWindow) -> None:  # noqa: F811
    from console.views.dialogs.governance_forms import HolderDialog

    section = _section(qtbot, window)
    owner = section.loaded.g.post(PostKind.PROGRAM_OWNER)
    row = next(i for i, r in enumerate(section.posts.source.rows) if r[0].id == owner.id)
    section.posts.selectRow(section.posts.proxy.mapFromSource(
        section.posts.source.index(row, 0)).row())
    section._edit_holder()
    dialog = section.dialog
    assert isinstance(dialog, HolderDialog) and dialog.holder == owner.holder
    dialog.acting.setChecked(True)
    before = section.loaded
    dialog._submit()
    qtbot.waitUntil(lambda: section.loaded is not before, timeout=20_000)
    assert "temporary basis" in section.flags.text()
    texts = [t.get_text().replace("\n", " ") for t in section.chart.figure.axes[0].texts]
    assert f"{owner.holder.described} (acting)" in texts
    assert any("[Warning]" in t for t in texts)


def test_export_writes_the_chart(
        qtbot: Any, window: MainWindow, tmp_path: Path) -> None:  # noqa: F811
    section = _section(qtbot, window)
    section.export_to(tmp_path / "structure.svg")
    qtbot.waitUntil(lambda: getattr(section, "exported", None) is not None, timeout=20_000)
    assert "Program owner" in (tmp_path / "structure.svg").read_text()
    section.export_to(tmp_path / "structure", png=True)
    qtbot.waitUntil(lambda: section.exported.suffix == ".png", timeout=20_000)
    assert (tmp_path / "structure.png").read_bytes()[:4] == b"\x89PNG"
