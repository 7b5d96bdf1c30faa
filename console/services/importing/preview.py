"""The first rows of a surveyed file as an import would store them, with their problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from console.data.crypto import Vault
from console.data.importers.fields import ImportKind, Mapping
from console.data.importers.values import as_text
from console.services.importing.locations import block_address
from console.services.importing.survey import Survey
from console.services.importing.validate import RowConverter


@dataclass(frozen=True)
class PreviewRow:
    """One row as it will be stored: field name -> display text, and its problems."""

    row: int
    values: dict[str, str]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def preview(survey: Survey, mapping: Mapping, limit: int = 20) -> list[PreviewRow]:
    """The first `limit` rows of the survey's sample under `mapping`, as they will be stored.

    Raises UserError for what no row can fix (a required field or a mapped column
    missing, an ambiguous date order); a row's own problems are listed on the row.
    """
    converter = RowConverter(survey.header, mapping, vault=Vault(Vault.new_key()),
                             now=dt.datetime.now(), raw_sqlite=False)
    names = converter.columns
    rows: list[PreviewRow] = []
    for number, cells in survey.sample[:limit]:
        converted = converter.convert([(number, cells)])
        if converted.values:
            shown = {name: _display(mapping.import_kind, name, value)
                     for name, value in zip(names, converted.values[0], strict=True)}
            shown.pop("location_key", None)
            if "requesting_officer_id" in shown:
                shown["requesting_officer"] = shown.pop("requesting_officer_id")
            for name in ("person_name", "person_birth_date", "address", "narrative",
                         "arrest_made"):
                if name in mapping.columns:
                    text = _cell_text(survey.header, cells, mapping.columns[name])
                    if name == "address" and text:
                        text = block_address(text) or ""
                    shown[name] = text
            rows.append(PreviewRow(number, shown, ()))
        else:
            shown = {name: _cell_text(survey.header, cells, column)
                     for name, column in mapping.columns.items()}
            rows.append(PreviewRow(number, shown, tuple(
                f"{r.column}: {r.reason}" for r in converted.rejects)))
    return rows


def _cell_text(header: tuple[str, ...], cells: tuple[Any, ...], column: str) -> str:
    try:
        i = header.index(column)
    except ValueError:
        return ""
    return (as_text(cells[i]) or "") if i < len(cells) else ""


def _display(kind: ImportKind, name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    code_map = kind.code_map_of(name)
    if code_map is not None and code_map.values is not None and name != "source":
        label = getattr(code_map.values(value), "label", None)  # sources show their code
        return label if isinstance(label, str) else str(value)
    return str(value)
