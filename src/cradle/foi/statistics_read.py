"""The rows campaign_statistics counts, read in one query (ADR 0033).

A request's first response date is the earliest, on or after the day its clock (last) started,
of: the day of a "now answered", "now partially answered" or "now refused" event (what
`actions.change_state` records, dated the day it happened; recording answers and structured
responses goes through it too), a structured answer's received date, and a 2019 response
record's received date (answers returned for correction aside). A reply by mail is not a response here: it may be an acknowledgement,
and until a person records what it says the request's state does not change.
"""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Subquery

from . import campaign_statistics as stats
from .actions import state_event_kind
from .models import BodyType, Campaign, FoiRequest, RequestEvent, ResponseRecord, StructuredAnswer
from .models_review import ReviewState

RETURNED = ReviewState.RETURNED

#: Body types in the order the page and CSV list them; blank ("Other") comes last.
TYPE_ORDER = (BodyType.ICB, BodyType.SUB_ICB_LOCATION, BodyType.NHS_TRUST,
              BodyType.LOCAL_HEALTH_BOARD, BodyType.HEALTH_BOARD, BodyType.HSC_TRUST,
              BodyType.CCG)
TYPES = [(body_type.value, body_type.label) for body_type in TYPE_ORDER]

RESPONSE_EVENT_KINDS = [state_event_kind(state) for state in stats.RESPONSE_EVENT_STATES]


def _earliest(queryset, date_field: str) -> Subquery:
    """The earliest `date_field` of a request's rows on or after its clock started."""
    return Subquery(queryset.filter(request=OuterRef("pk"),
                                    **{f"{date_field}__gte": OuterRef("received_on")})
                    .order_by(date_field).values(date_field)[:1])


def request_rows(campaign: Campaign) -> list[stats.RequestRow]:
    """One row per request of the campaign, in one query."""
    requests = (FoiRequest.objects.for_campaign(campaign).order_by("pk").annotate(
        body_type=F("body__body_type"),
        first_event=_earliest(RequestEvent.objects.filter(kind__in=RESPONSE_EVENT_KINDS), "on"),
        # A returned answer may be returned for its wrong date (ADR 0031).
        first_answer=_earliest(StructuredAnswer.objects.exclude(review_state=RETURNED),
                               "received_on"),
        first_record=_earliest(ResponseRecord.objects.exclude(review_state=RETURNED),
                               "received_on"),
    ).values("body_type", "regime", "state", "sent_on", "received_on", "due_on", "exemption",
             "first_event", "first_answer", "first_record"))
    return [stats.RequestRow(
        body_type=row["body_type"], regime=row["regime"], state=row["state"],
        sent_on=row["sent_on"], clock_started_on=row["received_on"], due_on=row["due_on"],
        first_response_on=stats.first_response_on(
            row["received_on"], (row["first_event"], row["first_answer"], row["first_record"])),
        exemption=row["exemption"],
    ) for row in requests]


def campaign_figures(campaign: Campaign, today: datetime.date) -> list[stats.GroupFigures]:
    return stats.campaign_statistics(request_rows(campaign), today, TYPES)
