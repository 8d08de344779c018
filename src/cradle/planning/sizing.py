"""How big a specialised parent-infant relationship team an area needs (pure: no Django).

The reference is a team the Rare Jewels report quotes for a known number of births (shipped in
data/reference_team.toml, read by reference_data.py). A team for another area is the reference
scaled in proportion to births:

- each role's WTE is the reference WTE times births / reference births, rounded half up to two
  decimal places;
- the team's total WTE is the sum of the rounded role WTEs, so the table a commissioner reads
  adds up to the total it shows (it can differ from 7.33 x births / 3,300 by up to half a
  hundredth per role);
- costs (costs.py) are worked out from the rounded role WTEs, for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")
PROPORTIONAL_TO_BIRTHS = "proportional-to-births"
SCALING_RULES = (PROPORTIONAL_TO_BIRTHS,)


def round_wte(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RoleSpec:
    """One role of the reference team, with the pay bands it is costed at."""

    key: str
    role: str
    wte: Decimal
    band_low: str
    band_high: str
    band_basis: str = ""
    report_wording: str = ""


@dataclass(frozen=True)
class ReferenceTeam:
    name: str
    population: int
    births: int
    roles: tuple[RoleSpec, ...]
    source: str
    scaling_rule: str = PROPORTIONAL_TO_BIRTHS
    scaling_note: str = ""

    def __post_init__(self) -> None:
        if self.births <= 0:
            raise ValueError("The reference team's births must be above zero.")
        if self.scaling_rule not in SCALING_RULES:
            raise ValueError(f"Unknown scaling rule {self.scaling_rule!r}; Cradle knows "
                             f"{', '.join(SCALING_RULES)}.")
        if not self.roles:
            raise ValueError("The reference team has no roles.")
        keys = [role.key for role in self.roles]
        if len(set(keys)) != len(keys):
            raise ValueError("Each role of the reference team needs its own key.")

    @property
    def total_wte(self) -> Decimal:
        return sum((role.wte for role in self.roles), Decimal(0))


@dataclass(frozen=True)
class SizedRole:
    spec: RoleSpec
    wte: Decimal

    @property
    def role(self) -> str:
        return self.spec.role


@dataclass(frozen=True)
class SizedTeam:
    births: int
    roles: tuple[SizedRole, ...]

    @property
    def total_wte(self) -> Decimal:
        return sum((role.wte for role in self.roles), Decimal(0))


def size_team(births: int, reference: ReferenceTeam) -> SizedTeam:
    """The reference team scaled to an area with `births` births a year."""
    if isinstance(births, bool) or not isinstance(births, int) or births < 0:
        raise ValueError("Births must be a whole number, zero or more.")
    scale = Decimal(births) / Decimal(reference.births)
    return SizedTeam(births, tuple(SizedRole(spec, round_wte(spec.wte * scale))
                                   for spec in reference.roles))


def sizing_summary(team: SizedTeam, annual_cost: int) -> dict:
    """What `cradle plan size --json` prints: exactly these keys, WTE to two decimals."""
    return {
        "births": team.births,
        "roles": [{"role": role.role, "wte": float(role.wte)} for role in team.roles],
        "total_wte": float(team.total_wte),
        "annual_cost": annual_cost,
    }
