"""Feed the coverage arithmetic from the database."""

import datetime

from django.core.cache import cache
from django.db.models import Max, Sum

from cradle.core.models import ImportLog
from cradle.geography.models import Area, LocalAuthorityOverlap, Population

from .coverage import CoverageReport, Geography, ServiceCover, coverage_on
from .models import RegisterClaim, Service, ServiceCoverage, StatusChange

CACHE_SECONDS = 24 * 60 * 60


def population_year_for(on: datetime.date) -> int:
    """The latest mid-year estimate loaded that is not after the date's year."""
    return 2019 if on.year <= 2019 else 2020


def load_geography(year: int) -> Geography:
    la_population = dict(
        Population.objects.filter(area__scheme="la", year=year)
        .values("area__code").annotate(n=Sum("count")).values_list("area__code", "n"))
    areas = list(Area.objects.values_list("id", "scheme", "code", "nation", "name", "parent_id"))
    by_id = {pk: (scheme, code) for pk, scheme, code, *_ in areas}
    area_las: dict = {}
    for _pk, scheme, code, _nation, _name, parent_id in areas:
        if scheme == "la":
            area_las[(scheme, code)] = {code: 1.0}
            if parent_id:
                area_las.setdefault(by_id[parent_id], {})[code] = 1.0
    for area_id, la_code, share in LocalAuthorityOverlap.objects.values_list(
            "area_id", "local_authority__code", "share_0_2"):
        area_las.setdefault(by_id[area_id], {})[la_code] = float(share)
    return Geography(
        la_population=la_population,
        la_nation={code: nation for _, scheme, code, nation, *_ in areas if scheme == "la"},
        area_las=area_las,
        area_nation={(scheme, code): nation for _, scheme, code, nation, *_ in areas},
        area_name={(scheme, code): name for _, scheme, code, _n, name, _p in areas},
    )


def operating_services(on: datetime.date) -> list[ServiceCover]:
    services = Service.objects.real().operating_on(on).prefetch_related("coverage__area")
    return [service_cover(service) for service in services]


def service_cover(service: Service) -> ServiceCover:
    """What the coverage arithmetic needs of a service: its kind, the areas its recorded
    coverage names, and which of those it covers only in part (prefetch `coverage__area`)."""
    rows = [((c.area.scheme, c.area.code), c.partial) for c in service.coverage.all()]
    return ServiceCover(service.kind, tuple(key for key, _ in rows),
                        frozenset(key for key, partial in rows if partial))


def data_version() -> str:
    """Changes whenever the register or the reference data changes.

    Every write through a model (admin, actions, imports) adds a history row, so the newest
    history ids move; the import log moves when reference data is reloaded. Register claims
    count because the headline's confirmed counts read them.
    """
    latest = [model.history.aggregate(latest=Max("history_id"))["latest"]
              for model in (Service, StatusChange, ServiceCoverage, RegisterClaim)]
    latest.append(ImportLog.objects.aggregate(latest=Max("id"))["latest"])
    return "-".join(str(value or 0) for value in latest)


def cached(name: str, on: datetime.date, compute, *, version=data_version):
    """`compute()` once per date and data version (`version()`, by default the register's and
    the reference data's); the coverage report reads a few thousand rows."""
    key = f"cradle:{name}:{on.isoformat()}:{version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def coverage_report(on: datetime.date, schemes: dict[str, str] | None = None) -> CoverageReport:
    """Coverage on the schemes in force that day, or on `schemes` (one per nation)."""
    name = "coverage" if schemes is None else "coverage-" + "-".join(
        f"{nation}={scheme}" for nation, scheme in sorted(schemes.items())).replace(" ", "_")
    return cached(name, on, lambda: coverage_on(
        on, load_geography(population_year_for(on)), operating_services(on), schemes))
