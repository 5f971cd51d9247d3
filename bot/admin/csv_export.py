"""CSV files that spreadsheet programs open safely: UTF-8 with a BOM, no formulas."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storage import exports
from storage.db import Database

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        # interests and participation are stored as JSON lists: one readable cell.
        try:
            items = json.loads(value)
        except ValueError:
            return neutralise(value)
        if isinstance(items, list):
            return neutralise(", ".join(str(i) for i in items))
    return neutralise(value)


def _row(values: Sequence[Any]) -> list[Any]:
    return [_cell(v) for v in values]


async def write(db: Database, kind: str, path: Path) -> int:
    """Write one export to path, streaming from the database; returns the number of rows."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(exports.header(kind))
        async for row in exports.rows(db, kind):
            writer.writerow(_row(row))
            count += 1
    return count
