"""Words for planning figures, shared by the pages and the downloads (pure: no Django)."""

from __future__ import annotations

from decimal import Decimal

from cradle.foi.analysis import MergedArea


def foi_words(merged: MergedArea) -> str:
    if not merged.has_acceptance_data:
        return "No answer about accepting children aged 2 and under"
    if not merged.accepts_any:
        return "CAMHS accepts no referrals of children aged 2 and under"
    seen = merged.accessed_under3
    if seen is None:
        return "CAMHS accepts children aged 2 and under; how many were seen was not given"
    return (f"CAMHS accepts children aged 2 and under; {seen} aged 2 and under were seen "
            f"(accessed the service)")


def pounds(value: int | Decimal) -> str:
    return f"£{int(value):,}"


def pound_range(low: int, high: int) -> str:
    return pounds(low) if low == high else f"{pounds(low)} to {pounds(high)}"


def wte_range(low: Decimal, high: Decimal) -> str:
    return f"{low:.2f} WTE" if low == high else f"{low:.2f} to {high:.2f} WTE"


def gap_in_words(gap) -> str:
    """A `gaps.StaffingGap` in words: "gap 3.20 WTE", or the range and why."""
    if gap.staffing_known:
        return f"gap {wte_range(gap.low, gap.high)}"
    return (f"staffing not recorded; gap {wte_range(gap.low, gap.high)} (0 if the team is "
            "fully staffed, the whole team if it has no staff)")
