"""Protected pooled reports for releases that add up, built together (docs/adr/0007, "Release
families"). Pure: no Django imports.

- ``build_partition``: the releases of a partition and of its whole, e.g. the four nations and
  the UK. Every count table of every release is cut from one table protected across the parts
  (``cradle.stats.families.protect_partition``), and summaries are withheld across the parts.
- ``build_within``: a release inside already-published ones, e.g. the teams covering an area
  inside the UK and inside their nation. The parents' figures are fixed; the child's are hidden
  further until nothing of the child or of parent minus child can be pinned.

Every page, download and JSON of a protected report goes through one of these, so they all
inherit the same protection.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from cradle.stats.disclosure import SUPPRESSED, DisclosurePolicy, protect_table
from cradle.stats.families import (
    Shown,
    protect_partition,
    protect_within,
    summary_exposed_within,
    withheld_summaries,
)

from .data import Extract, merged
from .presenter import COUNT, Presenter, Published, Recorder, Tables
from .report import PooledReport, build_report


@dataclass
class Release:
    """One protected release: its report, and what a release inside it must respect."""

    report: PooledReport
    tables: Tables
    published: Published


def record(data: Extract) -> Tables:
    """The true tables of a release (a first pass of the report builder)."""
    recorder = Recorder()
    build_report(data, policy=None, teams_pooled=0, presenter=recorder)
    return recorder.tables


#: Tables whose total is the number of referrals, shown as the count "referrals" too.
REFERRAL_TOTALS = ("referrers", "single_caregiver", "first_time_parent", "decisions")


def same_counts(tables: dict[str, Shown]) -> dict[str, Shown]:
    """One count shown in several tables is hidden in all of them if it is hidden in one:
    otherwise the table that shows it undoes a secondary suppression in the table that hides
    it. Hiding more never makes a table less safe."""
    groups = [("referrals", REFERRAL_TOTALS)]
    groups += [(key, (key.removesuffix(":pairs") + ":reliable",
                      key.removesuffix(":pairs") + ":completion"))
               for key in tables if key.startswith("outcome:") and key.endswith(":pairs")]
    out = dict(tables)
    for count_key, totals in groups:
        present = [key for key in totals if key in out]
        if count_key not in out:
            continue
        hidden = out[count_key].total == SUPPRESSED or any(
            out[key].total == SUPPRESSED for key in present)
        if hidden:
            out[count_key] = Shown(dict.fromkeys(out[count_key].cells, SUPPRESSED), SUPPRESSED)
            for key in present:
                cells = out[key].cells
                if set(cells) == {COUNT}:  # a single count: its one cell is the count
                    cells = {COUNT: SUPPRESSED}
                out[key] = Shown(cells, SUPPRESSED)
    return out


def _count_key(summary_key: str) -> str:
    """The count a summary rests on (its people are that count)."""
    return "waits" if summary_key == "waits" else f"{summary_key}:pairs"


def _hidden(published_tables: Mapping[str, Shown], summary_key: str) -> bool:
    shown = published_tables.get(_count_key(summary_key))
    return shown is not None and shown.cells.get(COUNT) == SUPPRESSED


def build_partition(parts: Mapping[Hashable, Extract], *, policy: DisclosurePolicy
                    ) -> tuple[dict[Hashable, Release], Release]:
    """The protected releases of each part and of the whole they add up to."""
    tables = {key: record(data) for key, data in parts.items()}
    whole_data = merged(list(parts.values()))
    whole_tables = record(whole_data)
    shown: dict[Hashable, dict[str, Shown]] = {key: {} for key in parts}
    whole_shown: dict[str, Shown] = {}
    keys = list(whole_tables.counts)
    for table_key in keys:
        by_part, whole = protect_partition(
            {key: tables[key].counts.get(table_key, {}) for key in parts}, policy=policy)
        for key in parts:
            shown[key][table_key] = by_part[key]
        whole_shown[table_key] = whole
    shown = {key: same_counts(tables_shown) for key, tables_shown in shown.items()}
    whole_shown = same_counts(whole_shown)
    withheld: dict[Hashable, set[str]] = {key: set() for key in parts}
    whole_withheld: set[str] = set()
    for summary_key, people in whole_tables.people.items():
        by_part = {key: tables[key].people.get(summary_key, 0) for key in parts}
        hidden = {key for key in parts if _hidden(shown[key], summary_key)}
        for key in withheld_summaries(by_part, policy=policy, hidden_counts=hidden):
            withheld[key].add(summary_key)
        if people <= policy.min_people_for_summary or _hidden(whole_shown, summary_key):
            whole_withheld.add(summary_key)
    releases = {}
    for key, data in parts.items():
        published = Published(shown[key], withheld[key])
        releases[key] = Release(_report(data, policy, published), tables[key], published)
    published = Published(whole_shown, whole_withheld)
    return releases, Release(_report(whole_data, policy, published), whole_tables, published)


def build_within(data: Extract, parents: list[Release], *, policy: DisclosurePolicy) -> Release:
    """The protected release of ``data``, whose teams are among those of every parent."""
    tables = record(data)
    shown: dict[str, Shown] = {}
    for table_key, counts in tables.counts.items():
        labels = list(counts)
        alone = protect_table([[counts[label]] for label in labels],
                              threshold=policy.threshold, rounding=policy.rounding)
        table = Shown(dict(zip(labels, (row[0] for row in alone["cells"]), strict=True)),
                      alone["grand_total"]) if labels else Shown({}, "0")
        for parent in parents:
            table = protect_within(counts, table, parent.tables.counts.get(table_key, {}),
                                   parent.published.tables.get(table_key, Shown({}, "0")),
                                   policy=policy)
        shown[table_key] = table
    shown = same_counts(shown)
    withheld = set()
    for summary_key, people in tables.people.items():
        if (people <= policy.min_people_for_summary or _hidden(shown, summary_key)
                or any(summary_exposed_within(people, parent.tables.people.get(summary_key, 0),
                                              policy=policy) for parent in parents)):
            withheld.add(summary_key)
    published = Published(shown, withheld)
    return Release(_report(data, policy, published), tables, published)


def _report(data: Extract, policy: DisclosurePolicy, published: Published) -> PooledReport:
    return build_report(data, policy=policy, teams_pooled=data.teams_with_data,
                        presenter=Presenter(policy, published))
