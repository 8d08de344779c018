"""Issue 13, item 7: the funnel plot's axes carry numbers (the x axis had only its title)."""

from __future__ import annotations

import re

import pytest

from cradle.pooled.charts import FunnelPoint, axis_ticks, funnel_plot


@pytest.mark.parametrize(("largest", "ticks"), [
    (0, [0, 1]),
    (1, [0, 1]),
    (4, [0, 1, 2, 3, 4]),
    (7, [0, 2, 4, 6, 8]),
    (11, [0, 5, 10, 15]),
    (23, [0, 5, 10, 15, 20, 25]),
    (60, [0, 20, 40, 60]),
    (1234, [0, 500, 1000, 1500]),
])
def test_axis_ticks_are_round_and_reach_the_largest_value(largest, ticks):
    assert axis_ticks(largest) == ticks


def test_the_funnel_plot_labels_both_axes_with_numbers():
    limits = [(n, {"lower95": 0.2, "upper95": 0.9, "lower998": 0.1, "upper998": 0.95})
              for n in (1, 10, 23)]
    svg = funnel_plot([FunnelPoint(11, 0.6, "Team", True), FunnelPoint(12, 0.7, None)],
                      limits, pooled_rate=0.65, title="Funnel")
    ticks = re.findall(r'class="cradle-chart__tick">([^<]*)</text>', svg)
    assert ["0%", "25%", "50%", "75%", "100%"] == ticks[:5]
    assert ["0", "5", "10", "15", "20", "25"] == ticks[5:11]
    assert "People with baseline and discharge scores" in ticks
    # The axis runs to its last tick (25): the point at 11 pairs sits at 11/25 of it.
    assert f'cx="{56 + 568 * 11 / 25:.1f}"' in svg
