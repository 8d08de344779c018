"""The pooled pages: a team's own dashboard, the network's report, the public summary, and
their downloads (CSV, XLSX, JSON).

Who sees what (docs/adr/0008-pooled-reports.md):
- a team's members (case_view) see their own team's figures as they are, and the funnel plot
  with their own team named and exact, and the others unnamed with protected counts;
- network analysts (pooled_data_view) see the pooled figures as they are, and the funnel plot
  with every team named and exact; they may narrow to any area;
- everyone else with aggregate_view (coordinators, commissioners, team managers) and the public
  see only figures protected by disclosure control (built with every release they add up with,
  `releases.protected_report`), for complete years only, and no funnel plot; only a
  commissioner may narrow to an area, and only to their own.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections import Counter
from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cradle.accounts.access import public, require_permission
from cradle.accounts.permissions import Permission
from cradle.accounts.views import breadcrumbs
from cradle.core.spreadsheets import csv_bytes, xlsx_bytes
from cradle.directory.models import Nation
from cradle.geography.models import Area
from cradle.outcomes.instruments import REGISTRY
from cradle.outcomes.views import team_for
from cradle.stats.disclosure import NHS_DIGITAL, SUPPRESSED

from . import charts, exports
from .extract import extract
from .queries import area_from, pooled_teams, year_scope
from .releases import protected_report
from .report import build_report, team_funnel

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "json": "application/json"}


def _year(request) -> int | None:
    """The year asked for; not a number is the default year, and a number that is no
    calendar year (0, -1, 99999) is a 404 rather than a crash."""
    try:
        year = int(request.GET.get("year") or "")
    except ValueError:
        return None
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise Http404("No such year")
    return year


def _nation(request) -> str | None:
    nation = request.GET.get("nation") or None
    return nation if nation in Nation.values else None


def _pooled_data(request, *, nation: str | None, area=None):
    """The extract for the pooled teams and the year asked for, the years offered, and the
    teams' names by id."""
    scope, years, names = _period(request, nation=nation, area=area)
    return extract(scope), years, names


def _period(request, *, nation: str | None, area=None, complete_only: bool = False):
    return period_of(_year(request), nation=nation, area=area, complete_only=complete_only)


def period_of(year: int | None, *, nation: str | None, area=None, complete_only: bool = False):
    """The period of `year` (None: the default year), the years offered and the pooled
    teams' names by id.
    ``complete_only``: protected figures are published for complete calendar years only (a
    year still running changes from day to day, and two days' releases differ by that day's
    families); a year still running is then not offered, and asking for it is a 404."""
    teams = pooled_teams(nation=nation, area=area)
    names = dict(teams.values_list("pk", "name"))
    this_year = timezone.localdate().year
    if complete_only and year is not None and year >= this_year:
        raise Http404("Protected figures are published for complete years only")
    scope, years = year_scope(list(names), year)
    if complete_only:
        years = [y for y in years if y < this_year]
        if scope.start.year >= this_year:
            scope, _years = year_scope(list(names), this_year - 1)
    return scope, years, names


def _pooled(request, *, protected: bool, nation: str | None, area=None):
    """The report asked for: as recorded, or protected together with the releases it adds up
    with (``releases.protected_report``); the extract only when unprotected."""
    if protected:
        scope, years, names = _period(request, nation=nation, area=area, complete_only=True)
        report = protected_report(scope.start, scope.end, nation=nation, area=area)
        return report, None, years, names
    data, years, names = _pooled_data(request, nation=nation, area=area)
    report = build_report(data, policy=None, teams_pooled=data.teams_with_data)
    return report, data, years, names


def _area(request):
    """The area asked for, if any: anyone who sees figures as recorded may narrow to any area;
    everyone else only to the areas named on their account (a commissioner's), and another
    area, or one that does not exist, is a 404."""
    value = request.GET.get("area")
    if not value:
        return None
    area = area_from(value)
    if area is None:
        raise Http404("No such area")
    user = request.user
    if user.has_cradle_permission(Permission.POOLED_DATA_VIEW):
        return area
    if not user.commissioner_areas.filter(area=area).exists():
        raise Http404("That area is not one of yours")
    return area


def _funnel_context(data, names, *, own_team: int | None, show_names: bool,
                    instrument: str | None) -> dict | None:
    """The funnel plot. Exact per-team counts for network analysts (``own_team`` None); for a
    team, its own counts exact and the other teams' protected and in no order of their ids."""
    with_baseline, with_pairs = Counter(), set()
    for (_team, code), sums in data.change.items():
        with_baseline[code] += sums.with_baseline
        if sums.pairs:
            with_pairs.add(code)
    with_pairs = sorted(sorted(with_pairs), key=lambda code: -with_baseline[code])
    with_pairs = [code for code in with_pairs if REGISTRY[code].reliable_change]
    if not with_pairs:
        return None
    code = instrument if instrument in with_pairs else with_pairs[0]
    protect = own_team is not None
    comparison = team_funnel(data, code, own_team=own_team,
                             policy=NHS_DIGITAL if protect else None,
                             tiebreak=_keyed_order(data.scope, code) if protect else None)
    plot = comparison.plot if comparison is not None else None
    if plot is None or plot.pooled_rate is None:
        return None

    def label(key: str) -> str | None:
        team_id = int(key)
        return names.get(team_id) if show_names or team_id == own_team else None

    points = [charts.FunnelPoint(t.denominator, t.proportion, label(t.key),
                                 highlighted=int(t.key) == own_team)
              for t in plot.teams if t.proportion is not None]
    limits = [(c.n, {"lower95": c.lower_95, "upper95": c.upper_95,
                     "lower998": c.lower_998, "upper998": c.upper_998}) for c in plot.curve]
    title = (f"Funnel plot: reliable improvement on {REGISTRY[code].name} by team against the "
             f"pooled rate of {plot.pooled_rate:.0%}")
    rows = [{"name": label(t.key) or "Another team", "own": int(t.key) == own_team,
             "pairs": t.denominator, "improved": t.events,
             "rate": None if t.proportion is None else f"{t.proportion * 100:.0f}",
             "within_95": t.within_95, "within_998": t.within_998} for t in plot.teams]
    rows += [{"name": "Another team", "own": False, "pairs": SUPPRESSED,
              "improved": SUPPRESSED, "rate": None, "within_95": None, "within_998": None}
             for _hidden in range(comparison.hidden_teams)]
    if not protect:
        rows.sort(key=lambda row: (row["name"] == "Another team", row["name"]))
    return {"svg": charts.funnel_plot(points, limits, pooled_rate=plot.pooled_rate,
                                      title=title),
            "title": title, "instrument": code, "instruments": with_pairs,
            "pooled_rate": f"{plot.pooled_rate * 100:.0f}", "rows": rows,
            "protected": protect}


def _keyed_order(scope, code: str):
    """A tie-break for teams whose protected counts look the same: a hash keyed with the
    site's secret, per period and measure, so it follows neither ids nor earlier releases."""
    def order(key: str) -> str:
        message = f"{scope.start}:{scope.end}:{code}:{key}".encode()
        return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return order


def download_links(request, name: str, *args, protected: bool = False
                   ) -> list[tuple[str, str]]:
    """The CSV, XLSX and JSON download of a page's figures, for the same query (year, nation,
    area) as the page. Protected figures exist for complete years only: a year still running
    is left out of their links, so they give the latest complete year rather than a 404."""
    query = request.GET.copy()
    query.pop("instrument", None)
    if protected:
        year = _year(request)
        if year is None or year >= timezone.localdate().year:
            query.pop("year", None)
    text = query.urlencode()
    return [(label, reverse(name, args=[*args, file_format]) + (f"?{text}" if text else ""))
            for file_format, label in DOWNLOAD_LABELS]


DOWNLOAD_LABELS = (("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("json", "JSON"))


def _context(request, report, years, *, title: str, downloads: list[tuple[str, str]],
             protected_downloads: list[tuple[str, str]] = (), area=None) -> dict:
    return {"report": report, "years": years, "title": title, "demo": settings.CRADLE_DEMO,
            "charts": exports.section_charts(report), "nations": Nation.choices,
            "nation": _nation(request), "downloads": downloads,
            "protected_downloads": protected_downloads, "area": area,
            "area_choices": _area_choices(request.user), "query": request.GET.urlencode()}


def _area_choices(user) -> list[tuple[str, str]]:
    """A commissioner's own areas, offered as a filter."""
    if not user.is_authenticated:
        return []
    return [(f"{a.scheme}:{a.code}", a.name) for a in
            Area.objects.filter(commissioners__user=user).order_by("name")]


@require_permission(Permission.CASE_VIEW)
@require_GET
def team_dashboard(request, service_pk: int):
    team = _team(request, service_pk)
    data, years, names = _pooled_data(request, nation=None)
    own_report = _own_report(data.scope, team)
    context = _context(request, own_report, years, title=f"{team.name}: dashboard",
                       downloads=download_links(request, "pooled:team-download", team.pk),
                       protected_downloads=download_links(request, "pooled:public-download",
                                                          protected=True))
    context.update({
        "team": team,
        "breadcrumbs": breadcrumbs(("Caseloads", reverse("outcomes:home")),
                                   (team.name, reverse("outcomes:team", args=[team.pk]))),
        "funnel": _funnel_context(data, names, own_team=team.pk, show_names=False,
                                  instrument=request.GET.get("instrument")),
    })
    return render(request, "pooled/team_dashboard.html", context)


def _own_report(scope, team):
    """A team's own figures as recorded (for its own members only)."""
    return build_report(extract(replace(scope, team_ids=(team.pk,))), policy=None,
                        teams_pooled=1)


def _team(request, service_pk: int):
    team = team_for(request.user, service_pk)
    if team.synthetic != settings.CRADLE_DEMO:
        raise Http404("This team's records are not pooled here")
    return team


@require_permission(Permission.CASE_VIEW)
@require_GET
def team_download(request, service_pk: int, file_format: str):
    """The dashboard's own figures, as recorded, with the dashboard's access: the team's own
    members only (``team_for`` is a 404 for anyone else)."""
    team = _team(request, service_pk)
    scope, _years, _names = _period(request, nation=None)
    return _download(request, _own_report(scope, team), file_format,
                     f"cradle-team-{team.pk}-report")


@require_permission(Permission.AGGREGATE_VIEW)
@require_GET
def network_report(request):
    unprotected = request.user.has_cradle_permission(Permission.POOLED_DATA_VIEW)
    area = _area(request)
    report, data, years, names = _pooled(request, protected=not unprotected,
                                         nation=_nation(request), area=area)
    context = _context(request, report, years, title="Pooled report",
                       downloads=download_links(request, "pooled:report-download"),
                       protected_downloads=download_links(
                           request, "pooled:report-protected-download", protected=True)
                       if unprotected else (),
                       area=area)
    context["breadcrumbs"] = breadcrumbs()
    if unprotected:
        context["funnel"] = _funnel_context(data, names, own_team=None, show_names=True,
                                            instrument=request.GET.get("instrument"))
    return render(request, "pooled/report.html", context)


#: The public summary is computed at most this often per year and nation (seconds): it is
#: open to anyone, and a national report takes seconds to compute.
PUBLIC_CACHE_SECONDS = 600


def _public_report(request):
    return public_report(_year(request), _nation(request))


def public_report(year: int | None, nation: str | None):
    """The protected report for the public summary, its downloads and the open data API
    (ADR 0035), and the years offered; cached briefly. `year` None: the latest complete year;
    a year still running is a 404 (Http404)."""
    key = f"pooled-public:{settings.CRADLE_DEMO}:{year}:{(nation or '').replace(' ', '-')}"

    def compute():
        scope, years, _names = period_of(year, nation=nation, complete_only=True)
        return protected_report(scope.start, scope.end, nation=nation), years

    return cache.get_or_set(key, compute, PUBLIC_CACHE_SECONDS)


@public
@require_GET
def public_summary(request):
    report, years = _public_report(request)
    context = _context(request, report, years, title="What the teams achieve together",
                       downloads=download_links(request, "pooled:public-download"))
    context["breadcrumbs"] = breadcrumbs()
    return render(request, "pooled/public.html", context)


def _download(request, report, file_format: str, name: str) -> HttpResponse:
    if file_format not in FORMATS:
        raise Http404("No such format")
    if file_format == "json":
        body = json.dumps(exports.as_json(report), indent=2).encode()
    else:
        header, rows = exports.HEADER, exports.rows(report)
        body = (csv_bytes(header, rows) if file_format == "csv"
                else xlsx_bytes(header, rows, title="Pooled report"))
    response = HttpResponse(body, content_type=FORMATS[file_format])
    if file_format != "json":
        response["Content-Disposition"] = (
            f'attachment; filename="{name}-{report.start[:4]}.{file_format}"')
    return response


@require_permission(Permission.AGGREGATE_VIEW)
@require_GET
def report_download(request, file_format: str):
    unprotected = request.user.has_cradle_permission(Permission.POOLED_DATA_VIEW)
    report, *_ = _pooled(request, protected=not unprotected, nation=_nation(request),
                         area=_area(request))
    return _download(request, report, file_format, "cradle-pooled-report")


@require_permission(Permission.AGGREGATE_VIEW)
@require_GET
def report_protected_download(request, file_format: str):
    """The protected figures of the report, for anyone who may see the report (an analyst's
    page points here for figures to share outside the network): the same
    ``releases.protected_report`` as every other protected view, complete years only."""
    report, *_ = _pooled(request, protected=True, nation=_nation(request),
                         area=_area(request))
    return _download(request, report, file_format, "cradle-pooled-report-protected")


@public
@require_GET
def public_download(request, file_format: str):
    report, _years = _public_report(request)
    return _download(request, report, file_format, "cradle-pooled-summary")
