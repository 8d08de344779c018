from django.shortcuts import render

from cradle.geography.models import LATEST_POPULATION_YEAR, scheme_summaries
from cradle.geography.reference_files import DATASET, read_manifest

from .models import ImportLog


def home(request):
    return render(request, "core/home.html", {
        "summaries": scheme_summaries(),
        "year": LATEST_POPULATION_YEAR,
    })


def data_sources(request):
    manifest = read_manifest()
    return render(request, "core/data_sources.html", {
        "sources": sorted(manifest.get("sources", {}).items()),
        "methods": manifest.get("methods", {}),
        "checks": manifest.get("checks", []),
        "import_logs": ImportLog.objects.latest_first()[:50],
        "dataset": DATASET,
    })
