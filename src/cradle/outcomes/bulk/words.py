"""What an import did, in words (pure): for the page, the background job and the audit."""

from __future__ import annotations


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def imported_message(counts: dict[str, int]) -> str:
    """E.g. "Imported 3 referrals, 2 episodes and 1 contact; 2 new cases." """
    parts = [_plural(counts[key], key[:-1]) for key in ("referrals", "episodes", "contacts",
                                                        "measures") if counts[key]]
    listed = (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1
              else parts[0] if parts else "no records")
    held = sum(counts.get(f"held_{key}", 0) for key in ("referrals", "episodes", "contacts",
                                                          "measures"))
    skipped = f" Skipped {_plural(held, 'row')} Cradle already holds." if held else ""
    return f"Imported {listed}; {_plural(counts['cases'], 'new case')}.{skipped}"


def problems_message(problems) -> str:
    """E.g. "3 problems in 2 rows: nothing has been imported"."""
    rows = len({(p.sheet, p.row) for p in problems if p.row})
    return (f"{_plural(len(problems), 'problem')}"
            + (f" in {_plural(rows, 'row')}" if rows else "") + ": nothing has been imported")
