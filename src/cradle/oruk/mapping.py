"""The register as Open Referral UK (HSDS UK 3.0) JSON, from plain records (no Django here).

A service becomes an ORUK `service` (the full one of `/services/{id}`, or the one-to-one fields
of a `/services` list item), its host an ORUK `organization`, a list a page in the ORUK page
envelope. Only what the public service page shows is published (docs/adr/0036): nothing is
guessed, so what the register does not record is absent, never 0 or "".

ORUK ids are UUIDs; Cradle's are integers (the public page's /services/<pk>/). Every id here
is a uuid5 of a fixed namespace and a name built from Cradle's own keys, so the same record
always has the same id and no id needs storing.
"""

from __future__ import annotations

import datetime
import math
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

#: Fixed for ever: changing it changes every id of the feed.
NAMESPACE = uuid.UUID("6f3c1a52-9a0e-5b7d-8c41-2d6e0b9f7a13")

#: What the root endpoint says: the standard's version as ORUK validators read it, the
#: profile's documentation and its OpenAPI description.
VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
OPENAPI_URL = "https://openreferraluk.org/specifications/3.0/openapi.json"

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500

#: ONS's persistent URI for a GSS code (the statistical geography linked data).
GSS_URI = "http://statistics.data.gov.uk/id/statistical-geography/{code}"
_GSS_CODE = re.compile(r"[EKNSW]\d{8}")

#: accepts_from -> the minimum age in years. "From conception" takes babies from birth (and
#: before it, which an age cannot say; the description does). "From later than birth" gives
#: no age: unknown, so absent.
MINIMUM_AGE_YEARS = {"conception": 0, "birth": 0}


@dataclass(frozen=True)
class AreaRecord:
    """An area a service covers (a ServiceCoverage row and its Area)."""

    scheme: str
    code: str
    name: str
    scheme_label: str
    partial: bool = False
    note: str = ""
    gss: bool = True  # the scheme's codes are ONS GSS codes (not ODS or DoH codes)


@dataclass(frozen=True)
class ServiceRecord:
    """What the public service page shows of a service, as plain values."""

    pk: int
    name: str
    kind_label: str
    locality: str = ""
    how_to_refer: str = ""            # "" when not recorded
    ages_text: str = ""               # as the page says it; "" when not recorded
    accepts_from: str = ""            # conception | birth | later | "" (not recorded)
    accepts_to_months: int | None = None
    website: str = ""
    confirmed_on: datetime.date | None = None  # the last confirmation's date (page's data)
    not_confirmed_words: str = ""     # "Operating, not confirmed since June 2019"; "" if it is
    host: str = ""                    # who runs it, as the newest source naming one says
    areas: tuple[AreaRecord, ...] = field(default=())
    funding: tuple[str, ...] = field(default=())


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def service_id(pk: int) -> str:
    return _id("service", pk)


def normalised_host(host: str) -> str:
    return " ".join(host.split())


#: Hosts as the sources give them that name no organisation ("not stated", "UNVERIFIED",
#: "voluntary sector organisation (not named), ..."): no organization is made of them.
_NO_HOST = re.compile(r"^\s*(not stated|unverified)\b|\(not named\)", re.IGNORECASE)


def names_an_organisation(host: str) -> bool:
    return bool(host.strip()) and not _NO_HOST.search(host)


def organization_id(host: str) -> str:
    return _id("organization", normalised_host(host).casefold())


def ages_in_years(accepts_from: str,
                  accepts_to_months: int | None) -> tuple[float | None, float | None]:
    """(minimum_age, maximum_age) in years, as ORUK's ages are; None where not recorded."""
    minimum = MINIMUM_AGE_YEARS.get(accepts_from)
    maximum = None
    if accepts_to_months is not None:
        years = accepts_to_months / 12
        maximum = int(years) if years.is_integer() else round(years, 4)
    return minimum, maximum


def is_gss_code(code: str) -> bool:
    return bool(_GSS_CODE.fullmatch(code))


def _put(target: dict, key: str, value) -> None:
    """Set only what is known: no key for None or ""."""
    if value is not None and value != "":
        target[key] = value


def ages_words(accepts_from_label: str, accepts_to_months: int | None) -> str:
    """The ages accepted as the public page says them; "" when neither end is recorded."""
    if not accepts_from_label and accepts_to_months is None:
        return ""
    start = accepts_from_label or "Start not recorded"
    if accepts_to_months is None:
        return f"{start}; upper age not recorded"
    return f"{start}, up to {accepts_to_months} months"


def description(service: ServiceRecord) -> str:
    where = f" in {service.locality}" if service.locality else ""
    parts = [f"{service.kind_label}{where}."]
    if service.how_to_refer:
        parts.append(f"How to refer: {service.how_to_refer}")
    if service.ages_text:
        parts.append(f"Ages accepted: {service.ages_text}.")
    return " ".join(parts)


def organization(host: str) -> dict:
    """An ORUK organization for a host as the sources name it (the text is the name)."""
    name = normalised_host(host)
    return {
        "id": organization_id(name),
        "name": name,
        "description": f"Named by a public source of the Cradle register as running "
                       f"a parent-infant service: {name}.",
    }


def _one_to_one(service: ServiceRecord) -> dict:
    minimum, maximum = ages_in_years(service.accepts_from, service.accepts_to_months)
    item = {"id": service_id(service.pk)}
    if service.host:
        item["organization_id"] = organization_id(service.host)
    item |= {"name": service.name, "description": description(service)}
    _put(item, "url", service.website)
    item["status"] = "active"  # the feed lists operating services only
    _put(item, "minimum_age", minimum)
    _put(item, "maximum_age", maximum)
    _put(item, "assured_date",
         service.confirmed_on.isoformat() if service.confirmed_on else None)
    _put(item, "alert", service.not_confirmed_words)
    return item


def service_area(service: ServiceRecord, area: AreaRecord) -> dict:
    """An ORUK service_area: the area's name, and its GSS code's persistent URI."""
    extent = "part of the area" if area.partial else "the whole area"
    words = f"{area.name} ({area.scheme_label}): {extent}"
    if area.note:
        words += f". {area.note}"
    item = {"id": _id("service", service.pk, "area", area.scheme, area.code),
            "service_id": service_id(service.pk), "name": area.name, "service_area": words}
    if area.gss and is_gss_code(area.code):
        item["uri"] = GSS_URI.format(code=area.code)
    return item


def service_list_item(service: ServiceRecord) -> dict:
    """A `/services` list item: the one-to-one fields and the organization."""
    item = _one_to_one(service)
    if service.host:
        item["organization"] = organization(service.host)
    return item


def service_full(service: ServiceRecord) -> dict:
    """The fully nested service of `/services/{id}`. Cradle records no named contact person,
    schedules, locations, costs or taxonomy, so those arrays are empty; ORUK's contact has
    no phone and its language no name, so neither can carry the page's phone or languages."""
    item = service_list_item(service)
    item["service_areas"] = [service_area(service, area) for area in service.areas]
    item["funding"] = [{"id": _id("service", service.pk, "funding", source),
                        "service_id": service_id(service.pk), "source": source}
                       for source in service.funding]
    for empty in ("contacts", "schedules", "service_at_locations", "languages",
                  "cost_options", "attributes"):
        item[empty] = []
    return item


def api_root() -> dict:
    return {"version": VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}


# Paging and filters ------------------------------------------------------------------------

class BadParameter(ValueError):
    """A query parameter the feed refuses (answered with a 400 naming it)."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


@dataclass(frozen=True)
class ListQuery:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    search: str = ""
    minimum_age: float | None = None
    maximum_age: float | None = None
    # taxonomy_term_id, taxonomy_id, start_time, end_time or day given: Cradle publishes no
    # taxonomy terms or schedules, so no service matches them.
    matches_nothing: bool = False


def _positive_int(params: Mapping[str, str], name: str, default: int, maximum: int) -> int:
    text = params.get(name, "").strip()
    if not text:
        return default
    if not re.fullmatch(r"\d{1,9}", text) or int(text) < 1:
        raise BadParameter(name, f"must be a whole number from 1 to {maximum}")
    value = int(text)
    if value > maximum:
        raise BadParameter(name, f"must be a whole number from 1 to {maximum}")
    return value


def _age(params: Mapping[str, str], name: str) -> float | None:
    text = params.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or value > 150:
        raise BadParameter(name, "must be an age in years, a number from 0 to 150")
    return value


UNMATCHED_FILTERS = ("taxonomy_term_id", "taxonomy_id", "start_time", "end_time", "day")
#: Every query parameter `/services` reads: those the profile's openapi.json defines for it.
LIST_PARAMETERS = ("search", "page", "per_page", "minimum_age", "maximum_age",
                   *UNMATCHED_FILTERS)


def list_query(params: Mapping[str, str]) -> ListQuery:
    """The `/services` query string, checked; raises BadParameter."""
    return ListQuery(
        page=_positive_int(params, "page", 1, 999_999_999),
        per_page=_positive_int(params, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE),
        search=params.get("search", "").strip()[:100],
        minimum_age=_age(params, "minimum_age"),
        maximum_age=_age(params, "maximum_age"),
        matches_nothing=any(params.get(name, "").strip() for name in UNMATCHED_FILTERS))


def ages_match(query: ListQuery, accepts_from: str, accepts_to_months: int | None) -> bool:
    """ORUK's filters: minimum_age "of at least" the value, maximum_age "equal to or below"
    it. A service whose age is not recorded matches neither (nothing is assumed)."""
    minimum, maximum = ages_in_years(accepts_from, accepts_to_months)
    if query.minimum_age is not None and (minimum is None or minimum < query.minimum_age):
        return False
    return query.maximum_age is None or (maximum is not None and maximum <= query.maximum_age)


def page(contents: Iterable[dict], *, total_items: int, page_number: int,
         per_page: int) -> dict:
    """The ORUK page envelope around one page's items."""
    contents = list(contents)
    total_pages = math.ceil(total_items / per_page)
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
