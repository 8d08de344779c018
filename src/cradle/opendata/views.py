"""The downloads page, a snapshot's page and its files (public, ADR 0037)."""

from __future__ import annotations

import datetime

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cradle.accounts.access import public

from . import snapshots
from .models import Snapshot
from .tables import TABLES_BY_NAME

CONTENT_TYPES = {"text/csv": "text/csv; charset=utf-8",
                 "application/json": "application/json; charset=utf-8"}


def _breadcrumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    items = [("Home", reverse("core:home")), *extra]
    return [{"text": text, "href": href} for text, href in items]


def _snapshot(snapshot_date: str) -> Snapshot:
    try:
        on = datetime.date.fromisoformat(snapshot_date)
    except ValueError as error:
        raise Http404("No snapshot of that date") from error
    if len(snapshot_date) != 10:
        raise Http404("No snapshot of that date")  # one address per snapshot: YYYY-MM-DD
    snapshot = Snapshot.objects.filter(on=on).first()
    if snapshot is None:
        raise Http404("No snapshot of that date")
    return snapshot


def _files(snapshot: Snapshot) -> list[dict]:
    out = []
    for entry in snapshot.files:
        table = TABLES_BY_NAME.get(entry["name"].rsplit(".", 1)[0])
        out.append(entry | {
            "url": reverse("opendata:file", args=[snapshot.on.isoformat(), entry["name"]]),
            "description": table.shape.description if table else "",
            "kind": entry["name"].rsplit(".", 1)[1].upper()})
    return out


@public
@require_GET
def downloads(request):
    listed = [{"snapshot": s, "files": _files(s),
               "url": reverse("opendata:snapshot", args=[s.on.isoformat()]),
               "caption_id": f"files-{s.on.isoformat()}"}
              for s in Snapshot.objects.order_by("-on")]
    return render(request, "opendata/downloads.html", {
        "breadcrumbs": _breadcrumbs(), "snapshots": listed})


@public
@require_GET
def snapshot_page(request, snapshot_date: str):
    snapshot = _snapshot(snapshot_date)
    return render(request, "opendata/snapshot.html", {
        "breadcrumbs": _breadcrumbs(("Downloads", reverse("opendata:downloads"))),
        "snapshot": snapshot, "files": _files(snapshot),
        "newest": Snapshot.objects.order_by("-on").values_list("on", flat=True).first(),
    })


def _serve(snapshot: Snapshot, name: str, *, attachment: bool) -> FileResponse:
    path = snapshots.file_path(snapshot, name)
    entry = snapshot.file(name)
    if path is None or entry is None or path.stat().st_size != entry["bytes"]:
        raise Http404("No such file in this snapshot")
    response = FileResponse(
        path.open("rb"), as_attachment=attachment,
        filename=f"cradle-{snapshot.on.isoformat()}-{name}",
        content_type=CONTENT_TYPES.get(entry["mediatype"], entry["mediatype"]))
    response["X-Content-SHA256"] = entry["sha256"]
    return response


@public
@require_GET
def snapshot_file(request, snapshot_date: str, filename: str):
    return _serve(_snapshot(snapshot_date), filename, attachment=True)


@public
@require_GET
def datapackage_file(request, snapshot_date: str):
    """The descriptor, shown in the browser rather than saved."""
    return _serve(_snapshot(snapshot_date), snapshots.PACKAGE_FILE, attachment=False)
