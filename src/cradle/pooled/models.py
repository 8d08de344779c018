"""The pooled report's summaries (issue 16, ADR 0023): per team and calendar month, the additive
facts every pooled figure is built from, and the measure pairs per case. They are kept exact by
the outcomes actions inside the transactions that write the records (`summaries.py`), so a
report reads a few thousand rows instead of millions, and is never out of date.

Derived data: nothing here is new information, and nothing identifies anyone beyond what the
records already hold (a case's database id, never its reference). `cradle pooled rebuild`
recomputes them from the records and `cradle pooled verify` compares the two.
"""

from django.db import models

from cradle.stats.change_sums import FIELD_NAMES, ChangeSums

#: The columns of `ChangeColumns` holding `ChangeSums`, in its field order; the sums among
#: them are kept as decimal text (too long for a database integer).
CHANGE_COLUMNS = FIELD_NAMES
_TEXT_COLUMNS = frozenset(("sum_before", "sum_after", "sum_change", "sum_change_sq"))
#: The columns of `CaseMeasurePair` in `facts.PairRow` order.
PAIR_COLUMNS = ("case_id", "team_id", "month", "instrument", "baseline", "discharge",
                "baseline_caseness", "discharge_caseness")


def change_columns(sums: ChangeSums) -> tuple:
    """`sums` as the values of `CHANGE_COLUMNS`."""
    return tuple(str(value) if name in _TEXT_COLUMNS else value
                 for name, value in zip(CHANGE_COLUMNS, sums.as_tuple(), strict=True))


def change_of_columns(values) -> ChangeSums:
    """The `ChangeSums` stored as the values of `CHANGE_COLUMNS`."""
    return ChangeSums(*map(int, values))


class FactColumns(models.Model):
    """What a fact counts and how many."""

    name = models.CharField(max_length=40, help_text="What is counted (facts.FACTS).")
    key = models.CharField(max_length=60, blank=True,
                           help_text="The breakdown's value (facts.key_of); empty for none.")
    #: Never 0 once a write has committed (a fact that drops to 0 is deleted), but a write
    #: passes through 0 between adding and deleting, so no CHECK constraint says so.
    n = models.BigIntegerField()

    class Meta:
        abstract = True


class MonthlyFact(FactColumns):
    """How many of something a team's records hold for one calendar month (facts.py)."""

    team = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the calendar month.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "month", "name", "key"],
                                    name="pooled_fact_one_per_key"),
        ]
        # The report's one read (teams, a range of months, summed by name and key) answered
        # from the index alone, without a look-up in the table per row.
        indexes = [models.Index(fields=["team", "month", "name", "key", "n"],
                                name="pooled_fact_covering")]

    def __str__(self):
        return f"{self.team_id} {self.month:%Y-%m} {self.name}={self.key!r}: {self.n}"


class YearlyFact(FactColumns):
    """A team's `MonthlyFact`s of one calendar year, summed, and kept by the same writes in
    the same transaction, so that a report of whole years reads one row where the months hold
    up to twelve (a calendar year is the report most often asked for)."""

    team = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")
    year = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "year", "name", "key"],
                                    name="pooled_yearly_one_per_key"),
        ]
        indexes = [models.Index(fields=["team", "year", "name", "key", "n"],
                                name="pooled_yearly_covering"),
                   # The years a set of teams has referrals in (queries.years_with_referrals).
                   models.Index(fields=["name", "team", "year"], name="pooled_yearly_by_name")]

    def __str__(self):
        return f"{self.team_id} {self.year} {self.name}={self.key!r}: {self.n}"


class ChangeColumns(models.Model):
    """`ChangeSums` as columns (CHANGE_COLUMNS): counts, and sums kept exact as whole numbers
    of 2^-64ths (2^-128ths for the squares) written in decimal digits."""

    with_baseline = models.BigIntegerField()
    missing_discharge = models.BigIntegerField()
    discharge_only = models.BigIntegerField()
    pairs = models.BigIntegerField()
    sum_before = models.TextField()
    sum_after = models.TextField()
    sum_change = models.TextField()
    sum_change_sq = models.TextField()
    improved = models.BigIntegerField()
    deteriorated = models.BigIntegerField()
    at_baseline = models.BigIntegerField()
    significant = models.BigIntegerField()

    class Meta:
        abstract = True


class MonthlyChange(ChangeColumns):
    """The sufficient statistics of the measure pairs of a team's cases whose episodes ended in
    this month and no other (stats.change_sums)."""

    team = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the calendar month.")
    instrument = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "month", "instrument"],
                                    name="pooled_change_one_per_month"),
        ]

    def __str__(self):
        return f"{self.team_id} {self.month:%Y-%m} {self.instrument}: {self.pairs} pairs"


class YearlyChange(ChangeColumns):
    """A team's `MonthlyChange`s of one calendar year, summed (each of those cases ended in
    one month only, so it is counted once in its year), kept by the same writes."""

    team = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")
    year = models.IntegerField()
    instrument = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "year", "instrument"],
                                    name="pooled_change_one_per_year"),
        ]

    def __str__(self):
        return f"{self.team_id} {self.year} {self.instrument}: {self.pairs} pairs"


class CaseMeasurePair(models.Model):
    """A case's baseline and discharge score on one instrument (facts.pairs_of_case), once for
    each month in which an episode of the case ended, for the cases whose episodes ended in
    more than one month (the others add to `MonthlyChange`)."""

    team = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("outcomes.Case", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of a month in which an episode ended.")
    instrument = models.CharField(max_length=12)
    baseline = models.FloatField()
    discharge = models.FloatField(null=True)
    baseline_caseness = models.BooleanField(null=True)
    discharge_caseness = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "instrument", "month"],
                                    name="pooled_pair_one_per_month"),
        ]
        indexes = [models.Index(fields=["team", "month"], name="pooled_pair_team_month")]

    def __str__(self):
        return f"case {self.case_id} {self.instrument} {self.month:%Y-%m}"


#: Every table of summaries: derived from the records, and referred to by nothing.
SUMMARY_MODELS = (MonthlyFact, YearlyFact, MonthlyChange, YearlyChange, CaseMeasurePair)


class SummaryLock(models.Model):
    """One row per team, locked (SELECT ... FOR UPDATE) by every write that changes the team's
    summaries and by its rebuild, so that on PostgreSQL a change's "before" is read after any
    earlier change to the team has committed (SQLite runs one writer at a time anyway)."""

    team = models.OneToOneField("directory.Service", on_delete=models.CASCADE,
                                primary_key=True, related_name="+")
    rebuilt_at = models.DateTimeField(null=True, help_text="When `rebuild` last ran for it.")
