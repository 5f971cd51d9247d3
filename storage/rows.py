"""A dataclass from a database row whose columns bear its fields' names."""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


def from_row(cls: type[T], row: sqlite3.Row, **converted: Any) -> T:
    """Each field read from the column of its name; `converted` gives the fields whose stored
    form differs (JSON, an enum, a flag stored as 0/1), already turned into their value."""
    plain = {f.name: row[f.name] for f in dataclasses.fields(cls) if f.name not in converted}
    return cls(**plain, **converted)
