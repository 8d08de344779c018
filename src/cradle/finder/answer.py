"""The finder's answer: for a postcode, district or place, the services that cover it, then the
nearest others, each with its verdict, how to refer and when it was last confirmed.

The page and `cradle services near` both call `find_help`, so they give the same answer. The
text a person typed is held only in the returned `Answer` (for showing back to them): nothing
here stores, caches or logs it (ADR 0019).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings

from cradle.directory.classification import Verdict, verdict_for
from cradle.directory.confirmation import (
    NOT_RECORDED,
    Confirmation,
    confirmation_for,
    how_to_refer,
)
from cradle.directory.definition import Outcome
from cradle.geography.lad2023 import april_2020_parts, december_2023_code

from . import queries
from .places import Authority, Gazetteer, Place, distance_km, shipped_authorities
from .postcodes import locate, looks_like_postcode, parse

#: How many services beyond those covering the place the answer lists, nearest first.
NEAREST_COUNT = 5


@dataclass(frozen=True)
class Where:
    """The ground an answer is about: April 2020 authorities (what the register's coverage
    and overlaps are recorded on), plus the area itself when a county or health area was
    named, and a centre to measure distances from."""

    label: str
    authority: Authority | None = None  # the December 2023 authority, when there is one
    la_codes: tuple[str, ...] = ()  # April 2020
    area_id: int | None = None  # the county or health area named
    centre: tuple[float, float] | None = None
    nation: str = ""  # a whole nation was named


@dataclass(frozen=True)
class Found:
    """A service in the answer, with why it is listed."""

    name: str
    ref: str
    pk: int
    covers: tuple[str, ...]  # every area its recorded coverage names
    reasons: tuple[str, ...]  # how its coverage reaches the place ("covers Leeds")
    verdict: Verdict
    how_to_refer: str
    confirmation: Confirmation
    distance_km: float | None = None
    confirmed_operating: bool = False  # sourced evidence of operating, recent enough
    website: str = ""
    phone: str = ""
    email: str = ""

    @property
    def how_to_refer_known(self) -> bool:
        return self.how_to_refer != NOT_RECORDED

    @property
    def source_page(self) -> str:
        """The page the last confirmation came from, when it is the service's own (or a
        page about it) rather than the 2019 report: where a family can read how to refer."""
        confirmation = self.confirmation
        return "" if confirmation.from_2019_only else confirmation.source_url

    @property
    def is_team(self) -> bool | None:
        """True or False by the definition; None where the register does not know enough."""
        if self.verdict.outcome is Outcome.NOT_ENOUGH_INFORMATION:
            return None
        return self.verdict.is_team

    def as_dict(self) -> dict:
        return {
            "name": self.name, "ref": self.ref, "covers": list(self.covers),
            "is_team": self.is_team, "how_to_refer": self.how_to_refer,
            "last_confirmed": self.confirmation.on.isoformat() if self.confirmation.on else None,
        }


@dataclass(frozen=True)
class Answer:
    on: datetime.date
    postcode: str = ""  # normalised, shown back only; never stored
    where: Where | None = None
    notes: dict = field(default_factory=dict, compare=False)  # April 2020 code → words
    shares: tuple[tuple[Authority, float], ...] = ()  # a district's authorities
    approximate: bool = False
    covering: tuple[Found, ...] = ()
    nearest: tuple[Found, ...] = ()
    suggestions: tuple[Place, ...] = ()
    # "" | "empty" | "not-a-postcode" | "unknown-postcode" | "outside-uk" | "ni-off" | "not-found"
    problem: str = ""
    outside: str = ""  # where an outside-UK postcode is

    @property
    def local_authority(self) -> Authority | None:
        return self.where.authority if self.where else None

    def as_dict(self) -> dict:
        """The JSON of `cradle services near --json` (ADR 0019 fixes its shape)."""
        authority = self.local_authority
        return {
            "postcode": self.postcode or None,
            "local_authority": ({"code": authority.code, "name": authority.name}
                                if authority else None),
            "services": [found.as_dict() for found in self.covering],
        }


def northern_ireland_on() -> bool:
    return settings.CRADLE_POSTCODE_LOOKUP_NI


def find_help(text: str, *, on: datetime.date | None = None,
              northern_ireland: bool | None = None) -> Answer:
    on = on or datetime.date.today()
    northern_ireland = northern_ireland_on() if northern_ireland is None else northern_ireland
    text = text.strip()
    if not text:
        return Answer(on, problem="empty")
    if parse(text) is not None:
        return _answer_postcode(text, on, northern_ireland)
    gazetteer = Gazetteer(queries.places())
    match = gazetteer.match(text)
    if match.best is None:
        problem = "not-a-postcode" if looks_like_postcode(text) else "not-found"
        return Answer(on, problem=problem, suggestions=match.suggestions)
    return _answer(on, _where_for_place(match.best))


def _answer_postcode(text: str, on: datetime.date, northern_ireland: bool) -> Answer:
    located = locate(text, northern_ireland=northern_ireland)
    shown = located.postcode.text if located.postcode else ""
    if located.problem:
        problem, outside = located.problem, ""
        if problem.startswith("outside-uk:"):
            problem, outside = "outside-uk", problem.split(":", 1)[1]
        elif problem == "unknown":
            problem = "unknown-postcode"
        return Answer(on, postcode=shown, problem=problem, outside=outside,
                      approximate=located.approximate)
    authorities = shipped_authorities()
    shares = tuple((authorities[row.code], row.share) for row in located.shares
                   if row.code in authorities)
    if not shares:  # a code the December 2023 list lacks: nothing to answer honestly
        return Answer(on, postcode=shown, problem="unknown-postcode")
    main = shares[0][0]
    # A district across councils is answered for all of them, and says so.
    label = main.name if len(shares) == 1 else f"the {located.postcode.text} district"
    where = Where(
        label=label, authority=main,
        la_codes=tuple(code for authority, _ in shares for code in april_2020_parts(
            authority.code)),
        centre=(main.latitude, main.longitude))
    notes = {}
    if len(shares) > 1:
        notes = {code: f", where {share:.0%} of {located.postcode.text}'s postcodes are"
                 for authority, share in shares for code in april_2020_parts(authority.code)}
    return _answer(on, where, postcode=shown, shares=shares if located.approximate else (),
                   approximate=located.approximate, notes=notes)


def _where_for_place(place: Place) -> Where:
    authorities = shipped_authorities()
    if place.kind == "local authority":
        authority = authorities[place.code]
        return Where(place.name, authority, april_2020_parts(place.code),
                     centre=(authority.latitude, authority.longitude))
    if place.kind == "former local authority":
        successor = authorities.get(december_2023_code(place.code))
        return Where(place.name, successor, (place.code,),
                     centre=(successor.latitude, successor.longitude) if successor else None)
    if place.kind == "nation":
        return Where(place.name, nation=place.code)
    area = queries.area(place.scheme, place.code)
    la_codes = queries.authorities_in(area)
    return Where(place.name, la_codes=la_codes, area_id=area.pk,
                 centre=_centre_of(la_codes, authorities))


def _centre_of(la_codes, authorities) -> tuple[float, float] | None:
    points = [(a.latitude, a.longitude) for a in
              {authorities[c] for c in map(december_2023_code, la_codes) if c in authorities}]
    if not points:
        return None
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _answer(on: datetime.date, where: Where, **extra) -> Answer:
    services = queries.operating_services(on)
    if where.nation:
        covering = [(service, (f"works in {where.nation}",))
                    for service in services if service.nation == where.nation]
        return Answer(on, where=where, covering=tuple(_found(s, r, on=on) for s, r in covering),
                      **extra)
    reasons = queries.reasons_covering(services, where.la_codes, where.area_id,
                                       extra.get("notes"))
    covering = [service for service in services if service.pk in reasons]
    covering.sort(key=lambda service: (not reasons[service.pk][0].direct, service.name))
    others = [service for service in services if service.pk not in reasons]
    nearest = _nearest(others, where.centre)
    return Answer(
        on, where=where,
        covering=tuple(_found(s, tuple(r.text for r in reasons[s.pk]), on=on)
                      for s in covering),
        nearest=tuple(_found(s, (), distance, on=on) for s, distance in nearest), **extra)


def _nearest(services, centre) -> list[tuple]:
    """The services nearest the centre, by the distance to the nearest centroid of the
    authorities each one covers (services whose coverage reaches no authority are left out:
    there is nothing to measure)."""
    if centre is None:
        return []
    authorities = shipped_authorities()
    reach = queries.authorities_reached(services)
    ranked = []
    for service in services:
        points = {authorities[c] for c in map(december_2023_code, reach.get(service.pk, ()))
                  if c in authorities}
        if points:
            ranked.append((min(distance_km(centre, (a.latitude, a.longitude)) for a in points),
                           service.name, service))
    ranked.sort(key=lambda row: row[:2])
    return [(service, distance) for distance, _name, service in ranked[:NEAREST_COUNT]]


def _found(service, reasons: tuple[str, ...], distance: float | None = None, *,
           on: datetime.date) -> Found:
    confirmation = confirmation_for(service)
    return Found(
        name=service.name, ref=service.register_ref or "", pk=service.pk,
        covers=tuple(row.area.name for row in service.coverage.all()),
        reasons=reasons, verdict=verdict_for(service), how_to_refer=how_to_refer(service),
        confirmation=confirmation, distance_km=distance,
        confirmed_operating=confirmation.confirms_operating_on(on),
        website=service.website, phone=service.contact_phone, email=service.contact_email)

