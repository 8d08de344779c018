"""Read the shipped planning data (data/*.toml, data/*.csv) into the pure sizing and cost types.

Pure: no Django. A malformed file is rejected with its name, the row or table and the field at
fault, so an edit to the data fails loudly instead of changing figures quietly.
"""

from __future__ import annotations

import csv
import datetime
import functools
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .costs import PayPoint, PayTable
from .sizing import ReferenceTeam, RoleSpec

DATA_DIR = Path(__file__).resolve().parent / "data"
REFERENCE_FILE = DATA_DIR / "reference_team.toml"
COSTS_FILE = DATA_DIR / "costs.toml"
PAY_COLUMNS = ("band", "point", "annual_pay", "effective_from", "source", "verification")
ROLE_FIELDS = ("key", "role", "wte", "band_low", "band_high", "band_basis")


class PlanningDataError(ValueError):
    """A planning data file is malformed; the message names the file, row and field."""


def _decimal(text, where: str) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise PlanningDataError(f"{where}: {text!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise PlanningDataError(f"{where}: {text!r} must be a number, zero or more")
    return value


def _need(table: dict, key: str, where: str):
    if key not in table or table[key] in ("", None):
        raise PlanningDataError(f"{where}: missing field {key!r}")
    return table[key]


def _toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise PlanningDataError(f"{path.name}: {error}") from None


@dataclass(frozen=True)
class Target:
    teams_everywhere_by: datetime.date
    source: str


def read_reference(path: Path = REFERENCE_FILE) -> ReferenceTeam:
    data = _toml(path)
    name = path.name
    reference = _need(data, "reference", name)
    scaling = _need(data, "scaling", name)
    roles = []
    for number, row in enumerate(_need(data, "roles", name), start=1):
        where = f"{name}, role {number}"
        for field in ROLE_FIELDS:
            _need(row, field, where)
        roles.append(RoleSpec(
            key=row["key"], role=row["role"], wte=_decimal(row["wte"], f"{where}, field 'wte'"),
            band_low=str(row["band_low"]), band_high=str(row["band_high"]),
            band_basis=row["band_basis"], report_wording=row.get("report_wording", "")))
    births = _decimal(_need(reference, "births", f"{name}, [reference]"),
                      f"{name}, [reference], field 'births'")
    try:
        team = ReferenceTeam(
            name=_need(reference, "name", f"{name}, [reference]"),
            population=int(_need(reference, "population", f"{name}, [reference]")),
            births=int(births), roles=tuple(roles),
            source=_need(reference, "source", f"{name}, [reference]"),
            scaling_rule=_need(scaling, "rule", f"{name}, [scaling]"),
            scaling_note=scaling.get("note", ""))
    except ValueError as error:
        raise PlanningDataError(f"{name}: {error}") from None
    stated = reference.get("total_wte")
    if stated is not None and _decimal(stated, f"{name}, [reference]") != team.total_wte:
        raise PlanningDataError(
            f"{name}, [reference], field 'total_wte': the roles add up to {team.total_wte}, "
            f"not {stated}")
    return team


def read_target(path: Path = REFERENCE_FILE) -> Target:
    data = _toml(path)
    target = _need(data, "target", path.name)
    where = f"{path.name}, [target], field 'teams_everywhere_by'"
    try:
        on = datetime.date.fromisoformat(str(_need(target, "teams_everywhere_by", where)))
    except ValueError:
        raise PlanningDataError(f"{where}: not a date as YYYY-MM-DD") from None
    return Target(on, target.get("source", ""))


@dataclass(frozen=True)
class CostSettings:
    on_cost_pct: Decimal
    rationale: str
    verification: str
    pay_file: str
    year: str


def read_cost_settings(path: Path = COSTS_FILE) -> CostSettings:
    data = _toml(path)
    name = path.name
    on_costs = _need(data, "on_costs", name)
    pay = _need(data, "pay_table", name)
    return CostSettings(
        on_cost_pct=_decimal(_need(on_costs, "default_pct", f"{name}, [on_costs]"),
                             f"{name}, [on_costs], field 'default_pct'"),
        rationale=on_costs.get("rationale", ""), verification=on_costs.get("verification", ""),
        pay_file=_need(pay, "file", f"{name}, [pay_table]"),
        year=_need(pay, "year", f"{name}, [pay_table]"))


@dataclass(frozen=True)
class PayTableFile:
    table: PayTable
    effective_from: datetime.date
    sources: tuple[str, ...]
    verification: tuple[str, ...]


def read_pay_table(path: Path, year: str = "") -> PayTableFile:
    name = path.name
    points, dates, sources, checks = [], set(), [], []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in PAY_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise PlanningDataError(f"{name}: missing column(s) {', '.join(missing)}")
        for number, row in enumerate(reader, start=2):
            where = f"{name}, row {number}"
            for column in PAY_COLUMNS:
                if not (row[column] or "").strip():
                    raise PlanningDataError(f"{where}, column {column!r}: empty")
            pay = _decimal(row["annual_pay"], f"{where}, column 'annual_pay'")
            if pay == 0:
                raise PlanningDataError(f"{where}, column 'annual_pay': must be above zero")
            try:
                dates.add(datetime.date.fromisoformat(row["effective_from"].strip()))
            except ValueError:
                raise PlanningDataError(
                    f"{where}, column 'effective_from': not a date as YYYY-MM-DD") from None
            points.append(PayPoint(row["band"].strip(), row["point"].strip(), pay))
            for collected, value in ((sources, row["source"]), (checks, row["verification"])):
                if value not in collected:
                    collected.append(value)
    if not points:
        raise PlanningDataError(f"{name}: no pay points")
    if len(dates) != 1:
        raise PlanningDataError(f"{name}, column 'effective_from': one date expected for the "
                                f"whole table, found {len(dates)}")
    return PayTableFile(PayTable(points, year), dates.pop(), tuple(sources), tuple(checks))


@dataclass(frozen=True)
class PlanningData:
    reference: ReferenceTeam
    target: Target
    costs: CostSettings
    pay: PayTableFile


@functools.cache
def shipped() -> PlanningData:
    """The shipped data, read once per process (restart to pick up an edit)."""
    costs = read_cost_settings()
    pay = read_pay_table(DATA_DIR / costs.pay_file, costs.year)
    reference = read_reference()
    for role in reference.roles:
        for band in (role.band_low, role.band_high):
            if band not in pay.table.bands:
                raise PlanningDataError(f"{REFERENCE_FILE.name}, role {role.key!r}: no band "
                                        f"{band!r} in {costs.pay_file}")
    return PlanningData(reference, read_target(), costs, pay)
