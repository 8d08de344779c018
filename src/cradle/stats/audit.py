"""What an attacker can work out from a protected two-way table: the feasible values of each entry.

Attacker model (see docs/adr/0007-disclosure-control.md). The attacker

1. knows the table is additive: each row total is the sum of its cells, each column total the
   sum of its column, and the grand total the sum of the row totals and of the column totals;
2. knows every count is a whole number, at least 0;
3. reads every shown entry as the interval of true values it can stand for (``Bounds``):
   ``"0"`` is exactly 0; a shown number r is any count above the threshold that rounds (half up)
   to r, e.g. 8..12 for "10" with rounding 5; a primary ``"*"`` is 1..threshold; and
4. is told, beyond what is shown, which ``"*"`` entries are *secondary* suppressions, and that
   those hide a count above the threshold. Real readers cannot tell the two kinds of ``"*"``
   apart, so this attacker is stronger than any real one: protection against it implies
   protection against them.

An entry is *recovered exactly* when only one value is consistent with all of that; it is
protected when at least two are. The attacker may combine every constraint at once (the
"linear programming attack" of the statistical disclosure control literature, e.g. Hundepool
et al., *Statistical Disclosure Control*, Wiley 2012, §4.3), not just one row at a time.

Method. The table is a circulation in a network: source -> row i (the row total), row i ->
column j (cell i, j), column j -> sink (the column total), sink -> source (the grand total),
each arc bounded by its entry's interval. A circulation's constraint matrix is totally
unimodular, so the integer tables consistent with what is shown are exactly the integer
circulations, a circulation with integer bounds exists whenever a fractional one does (Hoffman's
circulation theorem), and the values one entry can take form an unbroken run of integers. So
each entry's feasible values are [min, max], found by bisection on feasibility, and each
feasibility test is one maximum-flow computation (Edmonds-Karp) with the usual reduction of lower
bounds to supplies and demands. This is exact, not an approximation.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

#: Stands in for "no upper bound" inside the flow computations; far above any real count.
UNBOUNDED = 10**12

Entry = tuple  # ("cell", i, j) | ("row", i) | ("col", j) | ("grand",)
Interval = tuple[int, int]


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def round_half_up(value: int, rounding: int) -> int:
    """``value`` to the nearest multiple of ``rounding``, halves upwards (with 5: 12 -> 10,
    13 -> 15; a tie needs an even rounding base, e.g. 15 -> 20 with 10)."""
    return (2 * value + rounding) // (2 * rounding) * rounding


def rounding_preimage(shown: int, rounding: int) -> Interval:
    """Every whole number that ``round_half_up`` takes to ``shown``: [shown - rounding/2,
    shown + rounding/2), e.g. 8..12 for 10 with rounding 5."""
    return ceil_div(2 * shown - rounding, 2), ceil_div(2 * shown + rounding, 2) - 1


@dataclass(frozen=True)
class Bounds:
    """The attacker's a priori interval for every entry of an r x c table."""

    cells: tuple[tuple[Interval, ...], ...]
    rows: tuple[Interval, ...]
    cols: tuple[Interval, ...]
    grand: Interval

    def interval(self, entry: Entry) -> Interval:
        kind = entry[0]
        if kind == "cell":
            return self.cells[entry[1]][entry[2]]
        if kind == "row":
            return self.rows[entry[1]]
        if kind == "col":
            return self.cols[entry[1]]
        return self.grand

    def replaced(self, entry: Entry, interval: Interval) -> Bounds:
        kind = entry[0]
        if kind == "cell":
            i, j = entry[1], entry[2]
            row = self.cells[i][:j] + (interval,) + self.cells[i][j + 1:]
            return Bounds(self.cells[:i] + (row,) + self.cells[i + 1:], self.rows, self.cols,
                          self.grand)
        if kind == "row":
            i = entry[1]
            return Bounds(self.cells, self.rows[:i] + (interval,) + self.rows[i + 1:],
                          self.cols, self.grand)
        if kind == "col":
            j = entry[1]
            return Bounds(self.cells, self.rows,
                          self.cols[:j] + (interval,) + self.cols[j + 1:], self.grand)
        return Bounds(self.cells, self.rows, self.cols, interval)


def shown_interval(shown: str, *, threshold: int, rounding: int, secondary: bool) -> Interval:
    """What one shown entry tells the attacker (points 3 and 4 of the model)."""
    if shown == "*":
        return (threshold + 1, UNBOUNDED) if secondary else (1, threshold)
    value = int(shown)
    if value == 0:
        return (0, 0)
    low, high = rounding_preimage(value, rounding)
    return max(low, threshold + 1, 0), high


def entries_of(n_rows: int, n_cols: int) -> list[Entry]:
    out: list[Entry] = [("cell", i, j) for i in range(n_rows) for j in range(n_cols)]
    out += [("row", i) for i in range(n_rows)]
    out += [("col", j) for j in range(n_cols)]
    out.append(("grand",))
    return out


def bounds_from_shown(shown: dict, *, threshold: int, rounding: int,
                      secondary: Iterable[Entry] = ()) -> Bounds:
    """The attacker's ``Bounds`` for a ``protect_table`` result; ``secondary`` names the
    ``"*"`` entries that are secondary suppressions."""
    secondary = set(secondary)

    def read(value: str, entry: Entry) -> Interval:
        return shown_interval(value, threshold=threshold, rounding=rounding,
                              secondary=entry in secondary)

    return Bounds(
        cells=tuple(tuple(read(v, ("cell", i, j)) for j, v in enumerate(row))
                    for i, row in enumerate(shown["cells"])),
        rows=tuple(read(v, ("row", i)) for i, v in enumerate(shown["row_totals"])),
        cols=tuple(read(v, ("col", j)) for j, v in enumerate(shown["col_totals"])),
        grand=read(shown["grand_total"], ("grand",)),
    )


def _max_flow(capacity: list[list[int]], source: int, sink: int) -> tuple[int, list[list[int]]]:
    """Edmonds-Karp; returns the flow's value and the residual capacities."""
    size = len(capacity)
    residual = [row[:] for row in capacity]
    total = 0
    while True:
        parent = [-1] * size
        parent[source] = source
        queue = deque([source])
        while queue and parent[sink] == -1:
            u = queue.popleft()
            for v in range(size):
                if parent[v] == -1 and residual[u][v] > 0:
                    parent[v] = u
                    queue.append(v)
        if parent[sink] == -1:
            return total, residual
        push, v = UNBOUNDED * 4, sink
        while v != source:
            push = min(push, residual[parent[v]][v])
            v = parent[v]
        v = sink
        while v != source:
            residual[parent[v]][v] -= push
            residual[v][parent[v]] += push
            v = parent[v]
        total += push


def consistent_table(bounds: Bounds) -> dict[Entry, int] | None:
    """One integer table consistent with ``bounds`` (every entry's value), or None if none is."""
    n_rows, n_cols = len(bounds.rows), len(bounds.cols)
    source, sink = 0, 1
    first_row, first_col = 2, 2 + n_rows
    super_source, super_sink = first_col + n_cols, first_col + n_cols + 1
    size = super_sink + 1
    arcs: list[tuple[Entry, int, int, Interval]] = [(("grand",), sink, source, bounds.grand)]
    arcs += [(("row", i), source, first_row + i, bounds.rows[i]) for i in range(n_rows)]
    arcs += [(("col", j), first_col + j, sink, bounds.cols[j]) for j in range(n_cols)]
    arcs += [(("cell", i, j), first_row + i, first_col + j, bounds.cells[i][j])
             for i in range(n_rows) for j in range(n_cols)]
    capacity = [[0] * size for _ in range(size)]
    supply = [0] * size
    for _entry, u, v, (low, high) in arcs:
        if low > high:
            return None
        capacity[u][v] = high - low
        supply[v] += low
        supply[u] -= low
    needed = 0
    for node, amount in enumerate(supply):
        if amount > 0:
            capacity[super_source][node] = amount
            needed += amount
        elif amount < 0:
            capacity[node][super_sink] = -amount
    flow, residual = _max_flow(capacity, super_source, super_sink)
    if flow != needed:
        return None
    # Each pair of nodes carries at most one arc, so an arc's flow is its used capacity.
    return {entry: low + capacity[u][v] - residual[u][v] for entry, u, v, (low, _h) in arcs}


def is_feasible(bounds: Bounds) -> bool:
    """Is there an integer table consistent with ``bounds``?"""
    return consistent_table(bounds) is not None


def feasible_range(bounds: Bounds, entry: Entry) -> Interval | None:
    """The smallest and largest value ``entry`` takes in any table consistent with ``bounds``
    (every value between is possible too); None when no table is consistent."""
    low, high = bounds.interval(entry)
    if not is_feasible(bounds):
        return None

    def possible(lo: int, hi: int) -> bool:
        return is_feasible(bounds.replaced(entry, (lo, hi)))

    lo, hi = low, high
    while lo < hi:  # smallest feasible value
        middle = (lo + hi) // 2
        if possible(low, middle):
            hi = middle
        else:
            lo = middle + 1
    smallest = lo
    lo, hi = smallest, high
    while lo < hi:  # largest feasible value
        middle = (lo + hi + 1) // 2
        if possible(middle, high):
            lo = middle
        else:
            hi = middle - 1
    return smallest, lo


def has_two_values(bounds: Bounds, entry: Entry, table: dict[Entry, int] | None = None) -> bool:
    """Can ``entry`` take at least two values? ``table`` is any consistent table, if known: the
    entry has a second value exactly when it can lie below or above its value there."""
    table = table if table is not None else consistent_table(bounds)
    if table is None:
        return False
    low, high = bounds.interval(entry)
    value = table[entry]
    return ((low < value and is_feasible(bounds.replaced(entry, (low, value - 1))))
            or (value < high and is_feasible(bounds.replaced(entry, (value + 1, high)))))


def recoverable_entries(bounds: Bounds, entries: Iterable[Entry]) -> list[Entry]:
    """The given entries that the attacker can pin to a single value (all of them when no table
    is consistent with ``bounds``)."""
    table = consistent_table(bounds)
    return [entry for entry in entries if not has_two_values(bounds, entry, table)]
