"""The audit log as CSV (the /audit/ download and `cradle audit export`)."""

import csv
import io
from collections.abc import Iterable

from cradle.core.spreadsheets import neutralise

from .models import AuditEntry, format_time

COLUMNS = ("sequence", "recorded_at", "actor_id", "actor", "action", "model_label",
           "object_id", "fields", "ip_address", "note", "previous_hash", "entry_hash")


def write_csv(entries: Iterable[AuditEntry], handle) -> int:
    """Write entries to an open text file; returns how many. `fields` is ;-separated."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for entry in entries:
        writer.writerow([
            entry.sequence, format_time(entry.recorded_at), entry.actor_id,
            _safe(entry.actor), entry.action, entry.model_label, _safe(entry.object_id),
            ";".join(entry.fields), entry.ip_address, _safe(entry.note), entry.previous_hash,
            entry.entry_hash])
        count += 1
    return count


def csv_text(entries: Iterable[AuditEntry]) -> tuple[str, int]:
    buffer = io.StringIO()
    count = write_csv(entries, buffer)
    return buffer.getvalue(), count


_safe = neutralise
