"""The Open Referral UK feed's views: JSON only, public, open to every origin (ADR 0036)."""

from __future__ import annotations

import datetime

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from cradle.accounts.access import public

from . import mapping, read


def _json(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    # ORUK compliance: any page or app may read the feed.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public
@require_GET
def api_root(request):
    return _json(mapping.api_root())


@public
@require_GET
def service_list(request):
    try:
        query = mapping.list_query(request.GET)
    except mapping.BadParameter as error:
        return _json({"error": error.message, "parameter": error.name}, status=400)
    today = datetime.date.today()
    pks = read.matching_pks(query, today)
    start = (query.page - 1) * query.per_page
    records = read.service_records(pks[start:start + query.per_page], today)
    return _json(mapping.page([mapping.service_list_item(r) for r in records],
                              total_items=len(pks), page_number=query.page,
                              per_page=query.per_page))


@public
@require_GET
def service_detail(request, id: str):  # noqa: A002 (the ORUK path's own name)
    today = datetime.date.today()
    pk = read.pk_for(id, today)
    records = read.service_records([pk], today) if pk is not None else []
    if not records:
        return _json({"error": "No operating service of the register has this id."},
                     status=404)
    return _json(mapping.service_full(records[0]))
