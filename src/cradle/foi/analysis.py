"""How Cradle turns FOI responses into figures about CAMHS for children aged 2 and under.

Pure: no Django. The rules below are also ``RULES``, one plain sentence each, for the report
page; a unit test keeps the two the same.

Rules:

- Each row of the responses file is one respondent's answer about one 2019 CCG area; the
  respondent is either the CCG or a mental health trust.
- For each area and respondent type, only the latest answer (by date received) is used, whole;
  if two were received on the same day, the one further down the file is used. This covers a
  respondent answering twice and two respondents of the same type (two trusts, say) answering
  about one area.
- A trust's answer overrides the CCG's field by field: wherever the trust gave a value it is
  used, and the CCG's value is used only where the trust left the field blank.
- An area has acceptance data if any of the three age-band acceptance questions (0-12, 12-24
  and 24-36 months) was answered yes or no.
- An area accepts referrals of children aged 2 and under if any band is answered yes; it
  accepts none if it has acceptance data and no band is answered yes.
- An accepting area has disaggregated data if all six band counts are present: children
  referred and children who accessed the service, aged 0-12, 12-24 and 24-36 months.
- An area's under-3 referrals are the sum of its three referral band counts, and its under-3
  access is the sum of its three access band counts.
- An area's data source is the trust if the trust supplied any of the three referral band
  counts used, and the CCG otherwise.
- An area has full data if it has disaggregated data and both 0-18 totals (referred and
  accessed) are present and above zero; its percentages are the under-3 count divided by the
  0-18 total, times 100, rounded half up to one decimal place.
- Counts of areas with referrals (more than 0), with 1 to 5, with none (0), and the same for
  access, and the list of areas where over 100 (more than 100) children accessed the service,
  are taken over the accepting areas with disaggregated data.
- The percentages of areas accepting any and accepting none are over the areas with acceptance
  data; the percentage of areas with no access is over the accepting areas with disaggregated
  data.
- Percentages of areas are rounded half up to whole numbers (12.5 becomes 13); a percentage
  over no areas is given as none.
- The mean 0-18 referrals in areas with 1 to 5 under-3 referrals is over those areas that gave
  a 0-18 referral total, rounded half up to a whole number; it is none if there are none.
- A row where an age-band count is more than the matching 0-18 total is flagged for checking
  but still used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from cradle.foi.responses_csv import (
    ACCEPTS_FIELDS,
    ANSWER_FIELDS,
    BANDS,
    RespondentType,
    ResponseRow,
)

__all__ = ["RULES", "MergedArea", "analyse", "merge_by_area", "summarise"]

RULES: tuple[str, ...] = (
    "Each row of the responses file is one respondent's answer about one 2019 CCG area; the "
    "respondent is either the CCG or a mental health trust.",
    "For each area and respondent type, only the latest answer (by date received) is used, whole; "
    "if two were received on the same day, the one further down the file is used. This covers a "
    "respondent answering twice and two respondents of the same type (two trusts, say) answering "
    "about one area.",
    "A trust's answer overrides the CCG's field by field: wherever the trust gave a value it is "
    "used, and the CCG's value is used only where the trust left the field blank.",
    "An area has acceptance data if any of the three age-band acceptance questions (0-12, 12-24 "
    "and 24-36 months) was answered yes or no.",
    "An area accepts referrals of children aged 2 and under if any band is answered yes; it "
    "accepts none if it has acceptance data and no band is answered yes.",
    "An accepting area has disaggregated data if all six band counts are present: children "
    "referred and children who accessed the service, aged 0-12, 12-24 and 24-36 months.",
    "An area's under-3 referrals are the sum of its three referral band counts, and its under-3 "
    "access is the sum of its three access band counts.",
    "An area's data source is the trust if the trust supplied any of the three referral band "
    "counts used, and the CCG otherwise.",
    "An area has full data if it has disaggregated data and both 0-18 totals (referred and "
    "accessed) are present and above zero; its percentages are the under-3 count divided by the "
    "0-18 total, times 100, rounded half up to one decimal place.",
    "Counts of areas with referrals (more than 0), with 1 to 5, with none (0), and the same for "
    "access, and the list of areas where over 100 (more than 100) children accessed the service, "
    "are taken over the accepting areas with disaggregated data.",
    "The percentages of areas accepting any and accepting none are over the areas with acceptance "
    "data; the percentage of areas with no access is over the accepting areas with disaggregated "
    "data.",
    "Percentages of areas are rounded half up to whole numbers (12.5 becomes 13); a percentage "
    "over no areas is given as none.",
    "The mean 0-18 referrals in areas with 1 to 5 under-3 referrals is over those areas that gave "
    "a 0-18 referral total, rounded half up to a whole number; it is none if there are none.",
    "A row where an age-band count is more than the matching 0-18 total is flagged for checking "
    "but still used.",
)

REFERRED_BANDS = tuple(f"referred_{band}" for band in BANDS)
ACCESSED_BANDS = tuple(f"accessed_{band}" for band in BANDS)
WHOLE = Decimal(1)
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class MergedArea:
    """One area's answer after the rules, with where each value came from.

    ``origins`` maps each answer field to the respondent type whose value is used (``None``
    where neither gave one); ``used`` maps each respondent type to the row used for it;
    ``set_aside`` holds the other rows about the area, in file order.
    """

    area_code: str
    accepts_0_12m: bool | None
    accepts_12_24m: bool | None
    accepts_24_36m: bool | None
    referred_0_12m: int | None
    referred_12_24m: int | None
    referred_24_36m: int | None
    referred_0_18: int | None
    accessed_0_12m: int | None
    accessed_12_24m: int | None
    accessed_24_36m: int | None
    accessed_0_18: int | None
    origins: Mapping[str, RespondentType | None]
    used: Mapping[RespondentType, ResponseRow]
    set_aside: tuple[ResponseRow, ...] = ()

    def _values(self, names: Iterable[str]) -> list:
        return [getattr(self, name) for name in names]

    @property
    def has_acceptance_data(self) -> bool:
        return any(answer is not None for answer in self._values(ACCEPTS_FIELDS))

    @property
    def accepts_any(self) -> bool:
        return any(answer is True for answer in self._values(ACCEPTS_FIELDS))

    @property
    def accepts_none(self) -> bool:
        return self.has_acceptance_data and not self.accepts_any

    @property
    def has_disaggregated_data(self) -> bool:
        bands = self._values(REFERRED_BANDS + ACCESSED_BANDS)
        return self.accepts_any and all(count is not None for count in bands)

    @property
    def referred_under3(self) -> int | None:
        """The sum of the referral bands, for an accepting area with disaggregated data."""
        return sum(self._values(REFERRED_BANDS)) if self.has_disaggregated_data else None

    @property
    def accessed_under3(self) -> int | None:
        """The sum of the access bands, for an accepting area with disaggregated data."""
        return sum(self._values(ACCESSED_BANDS)) if self.has_disaggregated_data else None

    @property
    def source(self) -> RespondentType | None:
        """Trust if it supplied any referral band used, else CCG; None without disaggregation."""
        if not self.has_disaggregated_data:
            return None
        origins = {self.origins[name] for name in REFERRED_BANDS}
        return RespondentType.TRUST if RespondentType.TRUST in origins else RespondentType.CCG

    @property
    def has_full_data(self) -> bool:
        return (self.has_disaggregated_data
                and (self.referred_0_18 or 0) > 0 and (self.accessed_0_18 or 0) > 0)

    @property
    def pct_referred_under3(self) -> Decimal | None:
        """Under-3 referrals as a percentage of 0-18 referrals, one decimal; full data only."""
        if not self.has_full_data:
            return None
        return percentage(self.referred_under3, self.referred_0_18, ONE_PLACE)

    @property
    def pct_accessed_under3(self) -> Decimal | None:
        """Under-3 access as a percentage of 0-18 access, one decimal; full data only."""
        if not self.has_full_data:
            return None
        return percentage(self.accessed_under3, self.accessed_0_18, ONE_PLACE)

    @property
    def notes(self) -> tuple[str, ...]:
        """Answers set aside because another respondent of the same type answered later."""
        notes = []
        for row in self.set_aside:
            chosen = self.used[RespondentType(row.respondent_type)]
            if row.respondent_code != chosen.respondent_code:
                notes.append(
                    f"area {self.area_code}: the {row.respondent_type} answer from "
                    f"{row.respondent_code} (received {row.received_on.isoformat()}) is set "
                    f"aside; the {row.respondent_type} answer from {chosen.respondent_code} "
                    f"(received {chosen.received_on.isoformat()}) is used")
        return tuple(notes)


def percentage(part: int, whole: int, places: Decimal) -> Decimal | None:
    """``part / whole * 100`` rounded half up to ``places``; None when ``whole`` is 0."""
    if not whole:
        return None
    with localcontext() as context:
        context.prec = 50
        return (Decimal(part) * 100 / Decimal(whole)).quantize(places, rounding=ROUND_HALF_UP)


def _whole_percentage(part: int, whole: int) -> int | None:
    value = percentage(part, whole, WHOLE)
    return None if value is None else int(value)


def merge_by_area(rows: Iterable[ResponseRow]) -> dict[str, MergedArea]:
    """Apply the latest-wins and trust-overrides rules; areas in order of first appearance."""
    by_area: dict[str, list[ResponseRow]] = {}
    for row in rows:
        by_area.setdefault(row.area_code, []).append(row)
    return {code: _merge(code, area_rows) for code, area_rows in by_area.items()}


def _merge(area_code: str, rows: list[ResponseRow]) -> MergedArea:
    used: dict[RespondentType, ResponseRow] = {}
    for row in rows:  # file order, so on a tie the row further down wins
        kind = RespondentType(row.respondent_type)
        if kind not in used or row.received_on >= used[kind].received_on:
            used[kind] = row
    chosen = {id(row) for row in used.values()}
    set_aside = tuple(row for row in rows if id(row) not in chosen)
    values: dict[str, object] = {}
    origins: dict[str, RespondentType | None] = {}
    for name in ANSWER_FIELDS:
        values[name], origins[name] = None, None
        for kind in (RespondentType.TRUST, RespondentType.CCG):
            if kind in used and getattr(used[kind], name) is not None:
                values[name], origins[name] = getattr(used[kind], name), kind
                break
    return MergedArea(area_code=area_code, origins=origins, used=used, set_aside=set_aside,
                      **values)


def analyse(rows: Iterable[ResponseRow]) -> dict:
    """The headline figures, as the JSON-ready dict ``cradle foi analyse --json`` prints."""
    return summarise(merge_by_area(rows).values())


def summarise(areas: Iterable[MergedArea]) -> dict:
    """The headline figures over already merged areas (see ``analyse``)."""
    areas = list(areas)
    with_acceptance = [area for area in areas if area.has_acceptance_data]
    accepting = [area for area in areas if area.accepts_any]
    accepting_none = [area for area in areas if area.accepts_none]
    disaggregated = [area for area in accepting if area.has_disaggregated_data]
    full = sorted((area for area in disaggregated if area.has_full_data),
                  key=lambda area: area.area_code)
    referred = [area.referred_under3 for area in disaggregated]
    accessed = [area.accessed_under3 for area in disaggregated]
    few_referrals_totals = [area.referred_0_18 for area in disaggregated
                            if 1 <= area.referred_under3 <= 5 and area.referred_0_18 is not None]
    no_access = sum(1 for count in accessed if count == 0)
    return {
        "areas_with_acceptance_data": len(with_acceptance),
        "areas_accepting_any": len(accepting),
        "pct_accepting_any": _whole_percentage(len(accepting), len(with_acceptance)),
        "areas_accepting_none": len(accepting_none),
        "pct_accepting_none": _whole_percentage(len(accepting_none), len(with_acceptance)),
        "accepting_areas_with_disaggregated_data": len(disaggregated),
        "disaggregated_source": {
            kind.value: sum(1 for area in disaggregated if area.source == kind)
            for kind in (RespondentType.CCG, RespondentType.TRUST)},
        "areas_with_referrals_under3": sum(1 for count in referred if count > 0),
        "areas_with_1_to_5_referrals_under3": sum(1 for count in referred if 1 <= count <= 5),
        "areas_with_no_referrals_under3": sum(1 for count in referred if count == 0),
        "areas_with_access_under3": sum(1 for count in accessed if count > 0),
        "areas_with_1_to_5_access_under3": sum(1 for count in accessed if 1 <= count <= 5),
        "areas_with_no_access_under3": no_access,
        "pct_no_access_under3": _whole_percentage(no_access, len(disaggregated)),
        "areas_over_100_access_under3": sorted(
            area.area_code for area in disaggregated if area.accessed_under3 > 100),
        "areas_with_full_data": len(full),
        "mean_referred_0_18_in_1_to_5_referral_areas": _mean(few_referrals_totals),
        "per_area": [
            {"area_code": area.area_code,
             "pct_referred_under3": float(area.pct_referred_under3),
             "pct_accessed_under3": float(area.pct_accessed_under3)}
            for area in full],
    }


def _mean(values: list[int]) -> int | None:
    if not values:
        return None
    with localcontext() as context:
        context.prec = 50
        mean = Decimal(sum(values)) / Decimal(len(values))
        return int(mean.quantize(WHOLE, rounding=ROUND_HALF_UP))
