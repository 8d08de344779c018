"""Rows written in bulk without model instances: for leaf rows by the million (the synthetic
load) or by the tens of thousands (the pooled summaries' rebuild), where `bulk_create`'s
building and preparing of each value one at a time is most of the cost."""

from __future__ import annotations

from django.db import transaction


def converter(field, connection):
    """How a value of the field goes to the database: as it is for text, numbers, booleans
    and ids; dates and JSON through the backend's own adapters, the last step of the fields'
    `get_db_prep_save` (the generator's values are already dates, lists and dicts)."""
    kind = field.get_internal_type()
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "JSONField":
        # None is SQL NULL, as JSONField.get_db_prep_save has it (not JSON null).
        return lambda value: (None if value is None
                              else connection.ops.adapt_json_value(value, field.encoder))
    return None


def insert_rows(model, columns: tuple[str, ...], rows, batch_size: int) -> None:
    """Leaf rows (nothing refers to them), as plain tuples in `columns` order: measured 3-4
    times faster than `bulk_create`, whose per-value SQL compiling dominates at millions of
    rows. Values are prepared by the backend's adapters for the model's fields, so the stored
    values are exactly those `bulk_create` would store.

    SQLite runs one prepared single-row INSERT over the batch (`executemany`, in C); other
    databases get one INSERT with a VALUES row per record per batch, which saves a round trip
    per row (measured about twice as fast on PostgreSQL as `executemany`)."""
    connection = transaction.get_connection()
    fields = [model._meta.get_field(name) for name in columns]
    converters = [(i, convert) for i, field in enumerate(fields)
                  if (convert := converter(field, connection)) is not None]
    quote = connection.ops.quote_name
    head = (f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) VALUES ")
    one_row = f"({', '.join(['%s'] * len(fields))})"
    one_statement_per_row = connection.vendor == "sqlite"
    # Stay under every backend's limit on parameters in one statement (PostgreSQL: 65,535).
    batch_size = max(1, min(batch_size, 30_000 // len(fields)))

    def write(cursor, batch):
        if one_statement_per_row:
            cursor.executemany(head + one_row, batch)
        else:
            cursor.execute(head + ", ".join([one_row] * len(batch)),
                           [value for row in batch for value in row])

    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            if converters:
                row = list(row)
                for i, convert in converters:
                    row[i] = convert(row[i])
            batch.append(row)
            if len(batch) >= batch_size:
                write(cursor, batch)
                batch = []
        if batch:
            write(cursor, batch)
