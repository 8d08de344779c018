"""What a sized team costs a year (pure: no Django).

Rules:

- Pay comes from a dated table of Agenda for Change pay points (data/pay_bands_*.csv).
- A role is costed at a range: low is its WTE times the entry pay point of its low band, high its
  WTE times the top pay point of its high band; where those are equal the range is one figure.
- Employer on-costs are a percentage added to basic pay (data/costs.toml, or a command option).
- Every figure is worked out exactly and rounded half up to whole pounds only when shown; the
  team's range is the sum of its roles' exact ranges.
- The single annual cost (`annual_cost` in `cradle plan size --json`) is the midpoint of the
  team's range, rounded half up to whole pounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .sizing import SizedRole, SizedTeam

POUND = Decimal(1)


def whole_pounds(value: Decimal) -> int:
    return int(value.quantize(POUND, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class PayPoint:
    band: str
    point: str
    annual_pay: Decimal


class PayTable:
    """Pay points by band, lowest first."""

    def __init__(self, points: Iterable[PayPoint], year: str = ""):
        self.year = year
        self._by_band: dict[str, list[Decimal]] = {}
        for point in points:
            if point.annual_pay <= 0:
                raise ValueError(f"Band {point.band} {point.point}: pay must be above zero.")
            self._by_band.setdefault(point.band, []).append(point.annual_pay)
        for pays in self._by_band.values():
            pays.sort()

    @property
    def bands(self) -> tuple[str, ...]:
        return tuple(self._by_band)

    def _pays(self, band: str) -> list[Decimal]:
        try:
            return self._by_band[band]
        except KeyError:
            raise ValueError(f"No pay band {band!r} in the {self.year or 'pay'} table.") from None

    def entry(self, band: str) -> Decimal:
        return self._pays(band)[0]

    def top(self, band: str) -> Decimal:
        return self._pays(band)[-1]


@dataclass(frozen=True)
class CostRange:
    low: Decimal
    high: Decimal

    def __add__(self, other: CostRange) -> CostRange:
        return CostRange(self.low + other.low, self.high + other.high)

    def scaled(self, factor: Decimal) -> CostRange:
        return CostRange(self.low * factor, self.high * factor)

    @property
    def midpoint(self) -> Decimal:
        return (self.low + self.high) / 2

    @property
    def is_single_figure(self) -> bool:
        return whole_pounds(self.low) == whole_pounds(self.high)

    def rounded(self) -> tuple[int, int]:
        return whole_pounds(self.low), whole_pounds(self.high)


ZERO = CostRange(Decimal(0), Decimal(0))


@dataclass(frozen=True)
class RoleCost:
    sized: SizedRole
    pay_low: Decimal
    pay_high: Decimal
    cost: CostRange


@dataclass(frozen=True)
class TeamCost:
    roles: tuple[RoleCost, ...]
    on_cost_pct: Decimal

    @property
    def total(self) -> CostRange:
        return sum((role.cost for role in self.roles), ZERO)

    @property
    def annual_cost(self) -> int:
        return whole_pounds(self.total.midpoint)

    def cost_per_wte(self) -> CostRange:
        """The team's average cost of one WTE (used to put a price on a gap in WTE)."""
        total_wte = sum((role.sized.wte for role in self.roles), Decimal(0))
        if not total_wte:
            return ZERO
        return self.total.scaled(1 / total_wte)


def on_cost_factor(on_cost_pct: Decimal) -> Decimal:
    if on_cost_pct < 0:
        raise ValueError("The on-cost percentage cannot be negative.")
    return 1 + Decimal(on_cost_pct) / 100


def cost_team(team: SizedTeam, pay: PayTable, on_cost_pct: Decimal) -> TeamCost:
    factor = on_cost_factor(Decimal(on_cost_pct))
    roles = []
    for sized in team.roles:
        pay_low, pay_high = pay.entry(sized.spec.band_low), pay.top(sized.spec.band_high)
        if pay_low > pay_high:
            raise ValueError(f"{sized.role}: band {sized.spec.band_low} pays more than band "
                             f"{sized.spec.band_high}; put the lower band first.")
        roles.append(RoleCost(sized, pay_low, pay_high,
                              CostRange(sized.wte * pay_low * factor,
                                        sized.wte * pay_high * factor)))
    return TeamCost(tuple(roles), Decimal(on_cost_pct))


def price_gap(gap_wte: Decimal, team_cost: TeamCost) -> CostRange:
    """A shortfall of `gap_wte` priced at the sized team's average cost per WTE."""
    return team_cost.cost_per_wte().scaled(gap_wte)


def band_table(points: Mapping[str, Iterable[int | str]], year: str = "") -> PayTable:
    """A pay table from {band: [pay, ...]} (for tests and quick what-ifs)."""
    return PayTable([PayPoint(band, str(i), Decimal(pay)) for band, pays in points.items()
                     for i, pay in enumerate(pays)], year)
