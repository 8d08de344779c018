"""Importing census answers collected elsewhere (ADR 0026): check a file, keep it until its
uploader confirms, then write its answers, once, in one transaction, audited by field names.

An imported answer is an `Answer` like one sent from a link: submitted, `imported_from` the
file's name, pre-filled from the register with the file's cells over it, and reviewed field by
field by `actions.accept_answer`. Nothing here writes the register.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.directory.models import Service
from cradle.geography.models import Area

from . import imports, register
from .actions import CensusError
from .diff import changes
from .fields import FIELDS_BY_KEY, SECTIONS
from .models import Answer, AnswerImport, AnswerState, CensusRound, ImportState

SECTION_TITLES = {section.key: section.title for section in SECTIONS}


@dataclass(frozen=True)
class PreviewRow:
    """What one row of a checked file would import: the service, the sections whose values
    differ from the register, and whether it takes the place of a draft saved from the link."""

    row: int
    service: Service
    respondent_role: str
    changed_sections: tuple[str, ...]
    replaces_draft: bool


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _known_areas(keys: set[str]) -> set[str]:
    wanted = [tuple(key.split(":", 1)) for key in keys]
    known = set()
    for scheme in {scheme for scheme, _ in wanted}:
        codes = [code for s, code in wanted if s == scheme]
        known |= {f"{scheme}:{code}" for code in Area.objects.filter(
            scheme=scheme, code__in=codes).values_list("code", flat=True)}
    return known


def service_identifier(service: Service) -> str:
    """How a file names the service: its register reference, or its Cradle id if it has none."""
    return service.register_ref or str(service.pk)


def round_services(census_round: CensusRound) -> imports.RoundServices:
    """The round as the pure check needs it (imports.RoundServices)."""
    services = {service_identifier(invitation.service).casefold(): invitation.service_id
                for invitation in census_round.invitations.select_related("service")}
    answered = {}
    for answer in census_round.answers.exclude(state=AnswerState.DRAFT):
        how = (f"from the file {answer.imported_from}" if answer.imported_from
               else "from its link")
        when = (f"{timezone.localtime(answer.submitted_at):%-d %B %Y}" if answer.submitted_at
                else "a date not recorded")
        answered[answer.service_id] = (
            f"this service already has an answer in this round, sent {how} on {when} "
            + ("and reviewed" if answer.state == AnswerState.REVIEWED
               else "and waiting for review")
            + ": remove its row")
    return imports.RoundServices(services=services, answered=answered,
                                 known_areas=_known_areas)


def _already_imported(census_round: CensusRound, sha256: str) -> None:
    earlier = AnswerImport.objects.filter(round=census_round, file_sha256=sha256,
                                          state=ImportState.IMPORTED).first()
    if earlier is not None:
        raise CensusError(f"this file was imported into this round on "
                          f"{timezone.localtime(earlier.imported_at):%-d %B %Y}, with "
                          f"{earlier.answer_count} answers: they are on the round's page, and "
                          "it is not imported twice")


def preview(census_round: CensusRound, answers: list[imports.ImportedAnswer]
            ) -> list[PreviewRow]:
    services = Service.objects.in_bulk([answer.service_id for answer in answers])
    drafts = set(census_round.answers.filter(state=AnswerState.DRAFT)
                 .values_list("service_id", flat=True))
    rows = []
    for answer in answers:
        service = services[answer.service_id]
        now = register.snapshot(service, census_round.reference_date)
        changed = {change.field.section for change in changes(now, {**now, **answer.values})}
        rows.append(PreviewRow(
            row=answer.row, service=service, respondent_role=answer.respondent_role,
            changed_sections=tuple(SECTION_TITLES[key] for key in SECTION_TITLES
                                   if key in changed),
            replaces_draft=answer.service_id in drafts))
    return rows


def stage_import(*, user, census_round: CensusRound, filename: str, data: bytes
                 ) -> tuple[AnswerImport, list[PreviewRow]]:
    """Check the file and keep it for its uploader to confirm. Raises FileProblems (every
    problem by row and column) or CensusError (the file was imported already)."""
    sha256 = file_sha256(data)
    _already_imported(census_round, sha256)
    answers = imports.read_answers(filename, data, round_services(census_round))
    with transaction.atomic():
        # One file waits per coordinator and round: a new upload replaces the last one.
        AnswerImport.objects.filter(round=census_round, uploaded_by=user,
                                    state=ImportState.STAGED).delete()
        staged = AnswerImport.objects.create(
            round=census_round, uploaded_by=user, filename=filename[:200],
            file_sha256=sha256, data=data, answer_count=len(answers))
        recorder.record_changes(user, staged, ("round", "filename", "file_sha256",
                                               "answer_count"), Action.CREATE,
                                note="Census answers file checked")
    return staged, preview(census_round, answers)


def import_answers(*, user, census_round: CensusRound, filename: str, data: bytes
                   ) -> list[Answer]:
    """Write the file's answers, submitted for review, in one transaction; the file is
    checked again against the round as it is now. Raises FileProblems, or CensusError if the
    file was imported into the round already (so importing it twice writes once)."""
    try:
        with transaction.atomic():
            return _import(user, census_round, filename, data)
    except IntegrityError:
        # Another confirmation of the same file, or an answer sent from a link meanwhile.
        raise CensusError("the round changed while the file was imported (the same file "
                          "confirmed twice, or an answer sent meanwhile): nothing was "
                          "imported; check the file again") from None


def _import(user, census_round: CensusRound, filename: str, data: bytes) -> list[Answer]:
    census_round = CensusRound.objects.select_for_update().get(pk=census_round.pk)
    sha256 = file_sha256(data)
    _already_imported(census_round, sha256)
    found = imports.read_answers(filename, data, round_services(census_round))
    ids = [answer.service_id for answer in found]
    invitations = {i.service_id: i for i in census_round.invitations.select_for_update()
                   .filter(service_id__in=ids)}
    existing = {a.service_id: a for a in census_round.answers.select_for_update()
                .filter(service_id__in=ids)}
    services = Service.objects.in_bulk(ids)
    now, audit, written = timezone.now(), [], []
    for row in found:
        answer = existing.get(row.service_id)
        if answer is not None and answer.state != AnswerState.DRAFT:
            raise CensusError(f"{services[row.service_id].name} sent an answer while the file "
                              "was being imported: nothing was imported; check the file again")
        before = register.snapshot(services[row.service_id], census_round.reference_date)
        created = answer is None
        if created:
            answer = Answer(round=census_round, service_id=row.service_id)
        answer.invitation = invitations[row.service_id]
        answer.values = {**before, **row.values}
        answer.register_before = before
        answer.confirmed_sections = list(row.sections)
        answer.respondent_role = row.respondent_role
        answer.state, answer.submitted_at = AnswerState.SUBMITTED, now
        answer.imported_from = filename[:200]
        answer.save()
        audit.append(recorder.event_for(
            answer, Action.CREATE if created else Action.CHANGE,
            ("invitation", "values", "register_before", "confirmed_sections",
             "respondent_role", "state", "submitted_at", "imported_from"),
            note="Census answer imported from a file for review"))
        invitation = answer.invitation
        invitation.submitted_at = now
        invitation.save(update_fields=["submitted_at"])
        audit.append(recorder.event_for(invitation, Action.CHANGE, ("submitted_at",)))
        written.append(answer)
    record = (AnswerImport.objects.filter(round=census_round, uploaded_by=user,
                                          file_sha256=sha256, state=ImportState.STAGED)
              .order_by("-pk").first()
              or AnswerImport(round=census_round, uploaded_by=user, file_sha256=sha256))
    record.filename, record.data, record.answer_count = filename[:200], b"", len(written)
    record.state, record.imported_at = ImportState.IMPORTED, now
    record.save()
    AnswerImport.objects.filter(round=census_round, uploaded_by=user,
                                state=ImportState.STAGED).delete()
    audit.append(recorder.event_for(record, Action.CHANGE, ("state", "imported_at", "data",
                                                            "answer_count"),
                                    note=f"imported {len(written)} census answers"))
    recorder.record_many(user, audit)
    return written


def staged_import(*, user, census_round: CensusRound, pk) -> AnswerImport | None:
    """The file this coordinator checked for this round (staged or since imported)."""
    if not str(pk).isdigit():
        return None
    return AnswerImport.objects.filter(pk=int(pk), round=census_round,
                                       uploaded_by=user).first()


def template_rows(census_round: CensusRound) -> list[list[str]]:
    """The template's example row: the first service of the round without an answer sent,
    pre-filled from the register (so importing it unchanged proposes no change); the role
    left blank for whoever fills it in."""
    answered = set(census_round.answers.exclude(state=AnswerState.DRAFT)
                   .values_list("service_id", flat=True))
    invitation = (census_round.invitations.select_related("service")
                  .exclude(service_id__in=answered).first())
    if invitation is None:
        return []
    service = invitation.service
    values = register.snapshot(service, census_round.reference_date)
    return [[service_identifier(service), service.name, ""]
            + [imports.cell_for(FIELDS_BY_KEY[key], values.get(key))
               for key in imports.FIELD_COLUMNS]]
