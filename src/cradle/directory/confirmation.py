"""When a service was last confirmed, from what, and how strong that evidence is.

Public for the pages, the headline counts and the postcode finder. A service's confirmation is
its newest sourced claim (register-updates-2020-2025.csv, imported by register_updates.py); a
service the 2019 register names and no later source mentions is confirmed by Rare Jewels, in
June 2019. Pass querysets through `with_claims` before confirming many services.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import QuerySet

from .evidence_dates import CONFIRMATION_WINDOW_MONTHS, confirms_on, parse_evidence_date
from .models import RegisterClaim, Service, ServiceKind, Status, Strength
from .register_import import REGISTER_SOURCE
from .register_updates import UPDATES_AS_OF
from .service_details import citations, detail_sources

RARE_JEWELS = "Rare Jewels (Parent Infant Partnership UK, June 2019)"
RARE_JEWELS_URL = "https://parentinfantfoundation.org.uk/our-work/campaigning/rare-jewels"
# The report as published, and the copy the update's readers used for it.
RARE_JEWELS_HOSTS = ("vdocuments.us", "parentinfantfoundation.org.uk/our-work/campaigning/rare")
NOT_RECORDED = "Not recorded"
RARE_JEWELS_FROM = datetime.date(2019, 6, 1)
RARE_JEWELS_TO = datetime.date(2019, 6, 30)
# Claims a census round writes when a coordinator accepts a service's answer (cradle.census):
# their source is the round, named on the first line of the claim's notes.
CENSUS_DATASET_PREFIX = "census-"

STRENGTH_WORDS = {
    Strength.YES: "Meets the definition: the source describes a multidisciplinary team with a "
                  "psychologist or psychotherapist, working with parents and babies, offering "
                  "both clinical work and training or consultation.",
    Strength.LIKELY: "Likely meets the definition: the source describes most of what a "
                     "specialised parent-infant relationship team does, but not all of it.",
    Strength.PARTIAL: "Partly: in the source's own words it is a weaker service (for example "
                      "consultation only, a satellite, or part of a wider service).",
    Strength.NO: "Does not meet the definition: the source describes a weaker service, such "
                 "as health-visitor-led work, a pathway or a short intervention.",
    Strength.UNKNOWN: "Not known: the source does not say who works in the service.",
    Strength.YES_PER_2019: "Met the definition in 2019, according to Rare Jewels only; no "
                           "later source describes the team.",
    Strength.NOT_APPLICABLE: "Not applicable: the source reports that the service closed.",
}
# What Rare Jewels' own classification says, for a service no later source mentions.
STRENGTH_FROM_2019_KIND = {
    ServiceKind.TEAM: Strength.YES_PER_2019,
    ServiceKind.CAMHS_SPECIALISTS: Strength.NO,
    ServiceKind.CHILD_PROTECTION_FOCUS: Strength.NO,
}
WORDS_FROM_2019_KIND = {
    ServiceKind.CAMHS_SPECIALISTS: "Did not meet the definition in 2019: Rare Jewels lists "
                                   "parent-infant specialists within CAMHS, not a team.",
    ServiceKind.CHILD_PROTECTION_FOCUS: "Did not meet the definition in 2019: Rare Jewels "
                                        "lists a service only for babies in the care system "
                                        "or child protection.",
}


@dataclass(frozen=True)
class Confirmation:
    on: datetime.date | None      # None when undated; the first day of a month or year given
    on_text: str                  # "June 2019", "9 June 2025", "undated page"
    source: str                   # publication or page title / host
    source_url: str               # "" if none
    strength: str                 # yes | likely | partial | no | unknown | yes_per_2019 (n/a:
    #                               a closure, which says nothing of the definition)
    strength_words: str           # plain English
    status: str = ""              # what the source says: operating, planned, closed ("" unknown)
    until: datetime.date | None = None  # the last day `on_text` can mean (None when undated)

    @property
    def dated(self) -> bool:
        return self.on is not None

    @property
    def strength_label(self) -> str:
        return Strength(self.strength).label

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status else "Not stated"

    @property
    def from_2019_only(self) -> bool:
        return self.source == RARE_JEWELS

    def confirms_operating_on(self, on: datetime.date,
                              months: int = CONFIRMATION_WINDOW_MONTHS) -> bool:
        """Sourced evidence of operating, all of it within `months` before `on`."""
        return self.status == Status.OPERATING and confirms_on(self.on, self.until, on, months)


def with_claims(services: QuerySet) -> QuerySet:
    return services.prefetch_related("claims", "status_changes", "sourced_details")


def _is_rare_jewels(url: str) -> bool:
    return any(host in url for host in RARE_JEWELS_HOSTS)


def _host(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    return host.removeprefix("www.")


def _known_by(claim: RegisterClaim, on: datetime.date | None) -> bool:
    """Was the claim's evidence known by `on`? An undated page only by the time the update
    was compiled (it was read then; nothing says since when it stood)."""
    if on is None:
        return True
    return (claim.evidence_to or UPDATES_AS_OF) <= on


def _newest_claim(service: Service, on: datetime.date | None) -> RegisterClaim | None:
    """The newest claim known by `on` (any date when None). An undated claim counts as of the
    update's compilation: the update used undated pages only where plainly written after 2019."""
    claims = [claim for claim in service.claims.all() if _known_by(claim, on)]
    return max(claims, key=lambda claim: (claim.evidence_to or UPDATES_AS_OF, claim.pk),
               default=None)


def _from_claim(claim: RegisterClaim) -> Confirmation:
    urls = claim.urls
    if claim.strength == Strength.YES_PER_2019 and claim.evidence_to == RARE_JEWELS_TO:
        source, url = RARE_JEWELS, RARE_JEWELS_URL
    elif claim.dataset.startswith(CENSUS_DATASET_PREFIX):
        source, url = claim.notes.splitlines()[0] if claim.notes else "Cradle census", ""
    else:
        url = next((u for u in urls if not _is_rare_jewels(u)), urls[0] if urls else "")
        source = RARE_JEWELS if _is_rare_jewels(url) else (_host(url) or "Source not named")
        if _is_rare_jewels(url):
            url = RARE_JEWELS_URL
    words = STRENGTH_WORDS[Strength(claim.strength)]
    on_text = parse_evidence_date(claim.evidence_date_text).words
    return Confirmation(claim.evidence_from, on_text, source, url, claim.strength, words,
                        claim.claimed_status, claim.evidence_to)


def _from_2019(service: Service) -> Confirmation:
    if not _in_2019_register(service):
        return Confirmation(None, "never confirmed", "Not recorded", "", Strength.UNKNOWN,
                            "Not known: no source describing this service is recorded.")
    strength = STRENGTH_FROM_2019_KIND.get(service.kind, Strength.UNKNOWN)
    words = WORDS_FROM_2019_KIND.get(service.kind, STRENGTH_WORDS[strength])
    status = next((change.status for change in service.status_changes.all()
                   if change.source == REGISTER_SOURCE), "")
    return Confirmation(RARE_JEWELS_FROM, "June 2019", RARE_JEWELS, RARE_JEWELS_URL, strength,
                        words, status, RARE_JEWELS_TO)


def _in_2019_register(service: Service) -> bool:
    return any(change.source == REGISTER_SOURCE for change in service.status_changes.all())


def evidence_for(service: Service, on: datetime.date | None = None) -> list[Confirmation]:
    """Every confirmation known by `on`, newest first: its claims, and Rare Jewels for a
    service of the 2019 register."""
    found = [_from_claim(claim) for claim in service.claims.all() if _known_by(claim, on)]
    if _in_2019_register(service) and (on is None or RARE_JEWELS_TO <= on):
        found.append(_from_2019(service))
    return sorted(found, key=lambda c: c.until or UPDATES_AS_OF, reverse=True)


def confirmation_for(service: Service, on: datetime.date | None = None) -> Confirmation:
    """The service's last confirmation (known by `on`, if given). Never None."""
    found = evidence_for(service, on)
    return found[0] if found else _from_2019(service)


def confirmed_operating_on(service: Service, on: datetime.date,
                           months: int = CONFIRMATION_WINDOW_MONTHS) -> bool:
    """Is there sourced evidence of the service operating, all of it within `months` before
    `on`? (Whether it had closed by then is the status's business: see `operating_on`.)"""
    return any(c.confirms_operating_on(on, months) for c in evidence_for(service, on))


def how_to_refer(service: Service) -> str:
    """How to refer, in plain words; NOT_RECORDED ("Not recorded") when nothing is known. A
    detail from the shipped sources (service-details.csv) says where it comes from: "Professionals
    such as health visitors refer families (Rare Jewels, June 2019)." """
    cited = citations(service)
    parts = (_sourced_referral(service, cited)
             if {"professional_referral", "self_referral"} & cited.keys()
             else _referral(service))
    pathway = service.referral_pathway.strip()
    if pathway:
        parts.append(pathway)
    return " ".join(parts) if parts else NOT_RECORDED


def _referral(service: Service) -> list[str]:
    """How to refer as a coordinator recorded it (no source to name)."""
    professional, family = service.professional_referral, service.self_referral
    parts = []
    if professional and family:
        parts.append("Families can refer themselves, or a professional such as a GP, midwife "
                     "or health visitor can refer them.")
    elif professional:
        parts.append("A professional such as a GP, midwife or health visitor refers families.")
        parts.append("Families cannot refer themselves." if family is False else
                     "Whether families can refer themselves is not recorded.")
    elif family:
        parts.append("Families can refer themselves.")
        if professional is False:
            parts.append("Professionals do not refer to it.")
    elif professional is False and family is False:
        parts.append("It takes no referrals from families or professionals.")
    return parts


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _sourced_referral(service: Service, cited: dict) -> list[str]:
    """Each sentence names its source; who refers only as the source names them (never "a GP,
    midwife or health visitor" where it said "their health visitor")."""
    def cite(field: str) -> str:
        return f" {cited[field]}" if field in cited else ""

    professional, family = service.professional_referral, service.self_referral
    parts = []
    if professional:
        who = next((d.value for d in service.sourced_details.all()
                    if d.field == "referred_by"), "") if "referred_by" in cited else ""
        names = [name.strip() for name in who.split(";") if name.strip()]
        parts.append(f"Professionals such as {_and(names)} refer families" if names
                     else "Professionals refer families")
        parts[-1] += cite("professional_referral") + "."
    elif professional is False:
        parts.append(f"Professionals do not refer to it{cite('professional_referral')}.")
    if family:
        parts.append(f"Families can refer themselves{cite('self_referral')}.")
    elif family is False:
        parts.append(f"Families cannot refer themselves{cite('self_referral')}.")
    elif professional:
        parts.append("Whether families can refer themselves is not recorded.")
    return parts


def status_words(status: str | None, confirmation: Confirmation, on: datetime.date,
                 months: int = CONFIRMATION_WINDOW_MONTHS) -> str:
    """The status on `on` in words, saying when "operating" is not confirmed: "Operating,
    not confirmed since June 2019" is not the same as "Operating"."""
    if status is None:
        return "Not recorded"
    words = Status(status).label
    if status != Status.OPERATING or confirmation.confirms_operating_on(on, months):
        return words
    if not confirmation.dated:
        return f"{words}, not confirmed on any date (the newest source is an undated page)"
    return f"{words}, not confirmed since {confirmation.on_text}"


def attach_confirmations(services, on: datetime.date) -> list[Service]:
    """Set `confirmation`, `status_in_words` (needs `status_on`, from `with_status_on`) and
    `how_to_refer` on each service. Pass a queryset through `with_claims` first."""
    services = list(services)
    for service in services:
        service.confirmation = confirmation_for(service, on)
        # The newest evidence may not confirm operating while an older one in the window does.
        confirmed = confirmed_operating_on(service, on)
        shown = service.confirmation
        if confirmed and not shown.confirms_operating_on(on):
            shown = next(c for c in evidence_for(service, on) if c.confirms_operating_on(on))
        service.status_in_words = status_words(getattr(service, "status_on", None), shown, on)
        service.how_to_refer = how_to_refer(service)
        service.detail_sources = detail_sources(service)
    return services
