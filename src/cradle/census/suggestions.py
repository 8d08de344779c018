"""The public "tell us about a service" queue: suggestions wait for a coordinator; only an
accepted one becomes a register record. Duplicates of existing services are suggested by
`matching.suggest_duplicates` (pure) over the register's names, places and areas."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.directory.models import Service, ServiceKind

from .matching import Candidate, Match, suggest_duplicates
from .models import Suggestion, SuggestionState

PUBLIC_ACTOR = "public form"


class SuggestionError(ValueError):
    pass


@transaction.atomic
def submit(**fields) -> Suggestion:
    suggestion = Suggestion.objects.create(**fields)
    recorder.record_changes(PUBLIC_ACTOR, suggestion, tuple(fields), Action.CREATE)
    return suggestion


def candidates() -> list[Candidate]:
    services = Service.objects.real().prefetch_related("coverage__area")
    return [Candidate(service.pk, service.name,
                      tuple(n.strip() for n in service.other_names.splitlines() if n.strip()),
                      (service.locality, *(c.area.name for c in service.coverage.all())))
            for service in services]


def duplicates(suggestion: Suggestion) -> list[Match]:
    return suggest_duplicates(suggestion.name, suggestion.place, suggestion.postcode,
                              candidates())


def _decide(suggestion: Suggestion, state: str, by, **extra) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.state != SuggestionState.NEW:
        raise SuggestionError("this suggestion has been decided already")
    suggestion.state, suggestion.decided_by, suggestion.decided_at = state, by, timezone.now()
    for name, value in extra.items():
        setattr(suggestion, name, value)
    fields = ["state", "decided_by", "decided_at", *extra]
    suggestion.save(update_fields=fields)
    recorder.record_changes(by, suggestion, fields, Action.CHANGE)
    return suggestion


@transaction.atomic
def accept(*, suggestion: Suggestion, by) -> Service:
    """A new register record from the suggestion: name, nation, place and website only, kind
    "other" and status not recorded, until a census or a coordinator says more."""
    service = Service.objects.create(
        name=suggestion.name, kind=ServiceKind.OTHER, nation=suggestion.nation,
        locality=suggestion.place, website=suggestion.website,
        source_note="Suggested on Cradle's public form and accepted by a coordinator.")
    recorder.record_changes(by, service, ("name", "kind", "nation", "locality", "website"),
                            Action.CREATE)
    _decide(suggestion, SuggestionState.ACCEPTED, by, created_service=service)
    return service


@transaction.atomic
def mark_duplicate(*, suggestion: Suggestion, service: Service, by) -> Suggestion:
    return _decide(suggestion, SuggestionState.DUPLICATE, by, duplicate_of=service)


@transaction.atomic
def reject(*, suggestion: Suggestion, by) -> Suggestion:
    return _decide(suggestion, SuggestionState.REJECTED, by)
