import datetime

from django.db.models import Max
from django.shortcuts import render

from cradle.accounts.access import public
from cradle.directory.coverage_queries import coverage_report, population_year_for
from cradle.directory.headline import headline_counts
from cradle.directory.models import Service, StatusChange, TeamCountMilestone
from cradle.geography.models import LATEST_POPULATION_YEAR, scheme_summaries
from cradle.geography.reference_files import DATASET, read_manifest
from cradle.geography.schemes import SCHEMES_BY_KEY

from .models import ImportLog


@public
def home(request):
    today = datetime.date.today()
    milestones = list(TeamCountMilestone.objects.all())
    return render(request, "core/home.html", {
        "today": today,
        "headline": headline_counts(today),
        "coverage": coverage_report(today),
        "coverage_population_year": population_year_for(today),
        "services_registered": Service.objects.real().count(),
        "register_last_changed": StatusChange.objects.filter(service__synthetic=False).aggregate(
            latest=Max("effective_from"))["latest"],
        "milestones": milestones,
        "latest_milestone": milestones[-1] if milestones else None,
        "schemes": SCHEMES_BY_KEY,
        "summaries": scheme_summaries(),
        "year": LATEST_POPULATION_YEAR,
    })


@public
def data_sources(request):
    manifest = read_manifest()
    return render(request, "core/data_sources.html", {
        "sources": sorted(manifest.get("sources", {}).items()),
        "methods": manifest.get("methods", {}),
        "checks": manifest.get("checks", []),
        "import_logs": ImportLog.objects.latest_first()[:50],
        "dataset": DATASET,
    })
