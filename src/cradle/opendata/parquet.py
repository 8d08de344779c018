"""Parquet copies of the larger tables (areas, coverage by area), typed by the same schema as
their CSV. Pure: no Django. pyarrow is a dependency; where it is missing the snapshot is made
without Parquet (the CSVs are the data; Parquet is a convenience for data tools)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from .datapackage import Field


def available() -> bool:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def _convert(type_: str, value):
    if value is None:
        return None
    if type_ == "integer":
        return int(value)
    if type_ == "number":
        return float(value) if isinstance(value, Decimal | int | float) else float(str(value))
    if type_ == "boolean":
        return bool(value)
    if type_ == "date":
        return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
    return str(value)


def table_parquet(fields: Sequence[Field], rows: Iterable[Sequence]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
             "date": pa.date32()}
    rows = list(rows)
    columns = {f.name: pa.array([_convert(f.type, row[i]) for row in rows],
                                type=types.get(f.type, pa.string()))
               for i, f in enumerate(fields)}
    schema = pa.schema([pa.field(f.name, types.get(f.type, pa.string()),
                                 metadata={"description": f.description})
                        for f in fields])
    buffer = io.BytesIO()
    pq.write_table(pa.table(columns, schema=schema), buffer, compression="zstd")
    return buffer.getvalue()
