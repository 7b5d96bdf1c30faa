"""Asking why a candidate skips a stage: the reason goes into the stage history."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from console.views.dialogs.form import FormDialog


class SkipReasonDialog(FormDialog):
    def __init__(self, intro: str, parent: QWidget | None = None) -> None:
        super().__init__("Skip a stage", intro, [("reason", "Reason", False)], "Move", parent)

    def check(self, values: dict[str, str]) -> str:
        return "" if values["reason"].strip() else "give the reason for the skip"
