"""Aggregation rules: how local-authority counts become health-area counts.

Plain functions over plain data, so that a statistician can check every rule by hand.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from fractions import Fraction


def largest_remainder(total: int, shares: Mapping[str, Fraction]) -> dict[str, int]:
    """Split an integer total in proportion to shares, so that the parts add up to the total.

    Each part gets the floor of its exact quota; the units left over go to the largest
    fractional remainders (ties broken by key, so results are reproducible).
    """
    if total < 0:
        raise ValueError("cannot apportion a negative total")
    share_sum = sum(shares.values(), Fraction(0))
    if not shares or share_sum == 0:
        raise ValueError("cannot apportion over empty or zero shares")
    quotas = {key: Fraction(total) * share / share_sum for key, share in shares.items()}
    parts = {key: int(quota) for key, quota in quotas.items()}
    left = total - sum(parts.values())
    by_remainder = sorted(quotas, key=lambda key: (-(quotas[key] - parts[key]), key))
    for key in by_remainder[:left]:
        parts[key] += 1
    return parts


def shares_from_small_areas(
    small_area_counts: Mapping[str, int],
    small_area_to_la: Mapping[str, str],
    small_area_to_areas: Mapping[str, Mapping[str, Fraction]],
) -> dict[str, dict[str, Fraction]]:
    """Share of each local authority's count that falls in each area.

    `small_area_to_areas` gives, per small area (an MSOA), the fraction of it in each area
    (1 when it lies wholly inside one). Returns {la: {area: share}} with shares summing to 1.
    """
    by_la: dict[str, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for small_area, count in small_area_counts.items():
        la = small_area_to_la[small_area]
        for area, fraction in small_area_to_areas[small_area].items():
            by_la[la][area] += count * fraction
    shares: dict[str, dict[str, Fraction]] = {}
    for la, counts in by_la.items():
        la_total = sum(counts.values(), Fraction(0))
        if la_total == 0:
            continue
        shares[la] = {area: count / la_total for area, count in counts.items() if count}
    return shares


def apportion_to_areas(
    la_counts: Mapping[str, int], la_shares: Mapping[str, Mapping[str, Fraction]]
) -> dict[str, int]:
    """Area counts from local-authority counts, splitting each LA by its shares.

    Every LA in `la_counts` must have shares, so that nothing is silently dropped and the
    area totals add up to the LA totals exactly.
    """
    missing = sorted(set(la_counts) - set(la_shares))
    if missing:
        raise ValueError(f"no area shares for local authorities: {', '.join(missing[:10])}")
    area_counts: dict[str, int] = defaultdict(int)
    for la, count in la_counts.items():
        for area, part in largest_remainder(count, la_shares[la]).items():
            area_counts[area] += part
    return dict(area_counts)


def areas_that_are_la_unions(
    la_shares: Mapping[str, Mapping[str, Fraction]],
) -> set[str]:
    """Areas made only of whole local authorities (every LA touching them lies fully inside)."""
    touching: dict[str, list[Fraction]] = defaultdict(list)
    for shares in la_shares.values():
        for area, share in shares.items():
            touching[area].append(share)
    return {area for area, shares in touching.items() if all(share == 1 for share in shares)}


def merge_shares(
    la_shares: Mapping[str, Mapping[str, Fraction]], parent_of: Mapping[str, str]
) -> dict[str, dict[str, Fraction]]:
    """Shares for a coarser scheme whose areas are unions of the finer scheme's areas."""
    merged: dict[str, dict[str, Fraction]] = {}
    for la, shares in la_shares.items():
        parents: dict[str, Fraction] = defaultdict(Fraction)
        for area, share in shares.items():
            parents[parent_of[area]] += share
        merged[la] = dict(parents)
    return merged


def snap_small_shares(
    shares: Mapping[str, Fraction], tolerance: Fraction
) -> dict[str, Fraction]:
    """Drop slivers below `tolerance` (boundary generalisation noise) and renormalise."""
    kept = {area: share for area, share in shares.items() if share >= tolerance}
    if not kept:
        kept = {max(shares, key=shares.__getitem__): Fraction(1)}
    total = sum(kept.values(), Fraction(0))
    return {area: share / total for area, share in kept.items()}


def sum_counts(parts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for part in parts:
        for key, value in part.items():
            totals[key] += value
    return dict(totals)
