"""JSON rows as CSV rows with the same columns (pure: no Django imports).

Nested objects become dotted columns (`population.2019.total`); lists of plain values are
joined with "; "; lists of objects are written as JSON text in one cell (a service's status
history, say), so no value is lost and every row has the same columns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping


def flatten(row: Mapping, prefix: str = "") -> dict:
    out: dict = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            if all(not isinstance(item, Mapping | list | tuple) for item in value):
                out[name] = "; ".join("" if item is None else str(item) for item in value)
            else:
                out[name] = json.dumps(value, ensure_ascii=False, sort_keys=True,
                                       default=str)
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        else:
            out[name] = value
    return out


def table(rows: Iterable[Mapping]) -> tuple[list[str], list[list]]:
    """A header (columns in order of first appearance) and the rows under it."""
    flat = [flatten(row) for row in rows]
    header: dict[str, None] = {}
    for row in flat:
        header.update(dict.fromkeys(row))
    columns = list(header)
    return columns, [[row.get(column) for column in columns] for row in flat]
