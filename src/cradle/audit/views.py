"""The audit log for coordinators (Permission.AUDIT_VIEW): search it, and download what a
search finds as CSV. Every download is itself recorded."""

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cradle.accounts.access import require_permission
from cradle.accounts.permissions import Permission
from cradle.core.forms import error_list

from . import recorder
from .export import csv_text
from .forms import SearchForm
from .models import Action, AuditEntry

PAGE_SIZE = 50


def _search(request) -> tuple[SearchForm, object]:
    form = SearchForm(request.GET or None)
    entries = AuditEntry.objects.newest_first()
    if form.is_bound and form.is_valid():
        entries = entries.search(**form.filters())
    elif form.is_bound:
        entries = entries.none()
    return form, entries


@require_permission(Permission.AUDIT_VIEW)
@require_GET
def entry_list(request):
    form, entries = _search(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    export_url = reverse("audit:export-csv") + (f"?{filters.urlencode()}" if filters else "")
    return render(request, "audit/entry_list.html", {
        "export_url": export_url,
        "breadcrumbs": [{"text": "Home", "href": reverse("core:home")}],
        "form": form,
        "errors": error_list(form) if form.is_bound else [],
        "filtered": form.is_bound and form.is_valid() and bool(form.used()),
        "page": page,
    })


@require_permission(Permission.AUDIT_VIEW)
@require_GET
def export_csv(request):
    form, entries = _search(request)
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('audit:entry-list')}?{request.GET.urlencode()}")
    with transaction.atomic():
        text, count = csv_text(entries.order_by("sequence").iterator())
        used = form.used() if form.is_bound else []
        recorder.record(
            actor=request.user, action=Action.EXPORT, model_label="audit.auditentry",
            object_id="", request=request,
            note=f"{count} entries as CSV" + (f"; filtered by {', '.join(used)}" if used else ""))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="cradle-audit-{stamp}.csv"'
    return response
