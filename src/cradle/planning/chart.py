"""Geometry of the trajectory chart: teams over time against the pace needed (pure: no Django).

The page draws it as server-rendered SVG from these numbers and lists the same figures in a
table, so nothing depends on JavaScript and nothing is only in the picture.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


def year_fraction(on: datetime.date) -> float:
    start = datetime.date(on.year, 1, 1)
    length = (datetime.date(on.year + 1, 1, 1) - start).days
    return on.year + (on - start).days / length


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    series: tuple[Series, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    baseline: int = HEIGHT - BOTTOM


def trajectory_chart(series: Sequence[tuple[str, str, Sequence[tuple[datetime.date, float]]]],
                     first_year: int, last_year: int) -> Chart:
    """`series`: (key, label, [(date, teams), ...]). Years run from 1 January of first_year to
    1 January of the year after last_year."""
    top_value = max([float(value) for _, _, points in series for _, value in points] + [1.0])
    step = 10 if top_value <= 100 else 25 if top_value <= 250 else 50
    y_max = step * int(-(-top_value // step))
    x_span = (last_year + 1) - first_year
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(on: datetime.date) -> float:
        return LEFT + (year_fraction(on) - first_year) / x_span * plot_w

    def y_of(value: float) -> float:
        return TOP + plot_h - value / y_max * plot_h

    drawn = tuple(
        Series(key, label, tuple(Point(x_of(on), y_of(float(value)),
                                       f"{on:%b %Y}: {float(value):g}")
                                 for on, value in points))
        for key, label, points in series)
    x_ticks = tuple(Tick(x_of(datetime.date(year, 1, 1)), str(year))
                    for year in range(first_year, last_year + 2, 2))
    y_ticks = tuple(Tick(y_of(value), str(int(value)))
                    for value in range(0, int(y_max) + 1, int(step)))
    return Chart(WIDTH, HEIGHT, drawn, x_ticks, y_ticks)
