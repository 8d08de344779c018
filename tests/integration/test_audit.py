"""The audit log against the database: the action layer writes it (names of fields, never
values), a rolled-back action leaves nothing, tampering is found by `cradle audit verify`,
entries refuse to change, and only coordinators with a second factor can search and export it.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import shutil
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from cradle.accounts.models import AuthenticatorApp, NetworkRole, User
from cradle.audit import recorder
from cradle.audit.admin import AuditEntryAdmin
from cradle.audit.chain import GENESIS_HASH
from cradle.audit.models import Action, AppendOnlyError, AuditEntry, ChainHead
from cradle.directory.models import Service
from cradle.directory.register_import import DATA_DIR, load_register
from cradle.foi import actions, actions_answers
from cradle.foi.models import Body, BodyKind, FoiRequest, RequestState
from cradle.foi.questions import DEFAULT_LETTER
from cradle.foi.responses_csv import RespondentType, ResponseRow
from cradle.geography.actions import load_reference_geography
from cradle.geography.models import Area
from tests.audit_helpers import tampering_allowed, verify
from tests.database_role import as_owner

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 3, 2)
BY = "officer@example.org"
# Personal details typed into FOI forms: they may be stored in the FOI tables, never in the log.
SECRET = "Ms Jane Example of 12 Acacia Avenue"
PASSWORD = "correct horse battery staple 42"
postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                     reason="PostgreSQL only")


def newest() -> int:
    return AuditEntry.objects.aggregate(top=Max("sequence"))["top"] or 0


def entries_after(sequence: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(sequence__gt=sequence).order_by("sequence"))


def summary(entries) -> list[tuple]:
    return [(e.actor, e.action, e.model_label, e.object_id, sorted(e.fields)) for e in entries]


def coordinator(client, email="coordinator@example.org", *, verified=True) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD)
    NetworkRole.objects.create(user=user, role="coordinator")
    client.force_login(user)
    if verified:
        device = AuthenticatorApp.new(user, "test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return user


@pytest.fixture
def campaign():
    return actions.create_campaign(name="Audit test", question_set="camhs-2019",
                                   letter_template=DEFAULT_LETTER, signatory="A. Researcher",
                                   reply_to="foi@cradle.example.org")


def body(code: str, *, kind=BodyKind.PROVIDER) -> Body:
    return Body.objects.create(kind=kind, ods_code=code, name=f"Body {code}", nation="England")


# The log as loaded ------------------------------------------------------------------------

def test_the_reference_data_load_was_recorded_and_the_chain_is_intact():
    loads = AuditEntry.objects.filter(action=Action.LOAD, model_label="core.importlog")
    notes = [entry.note for entry in loads]
    assert any(note.startswith("cradle-reference-geography loaded. ") for note in notes)
    assert any(note.startswith("rare-jewels-register-2019 loaded. ") for note in notes)
    assert {entry.actor for entry in loads} == {"system"}
    assert AuditEntry.objects.filter(action=Action.LOAD, model_label="directory.service",
                                     note__startswith="created from").count() == 56 + 26
    first = AuditEntry.objects.get(sequence=1)
    assert first.previous_hash == GENESIS_HASH
    assert verify().startswith(f"audit log intact: {AuditEntry.objects.count()} entries\n")


def test_a_load_that_changes_nothing_records_nothing():
    before = newest()
    load_reference_geography()
    load_register()
    assert newest() == before


def test_the_register_load_records_each_service_it_changes(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    register = data_dir / "register-2019.csv"
    register.write_text(register.read_text().replace(
        "Aneurin Bevan Health Board parent-infant team", "Gwent parent-infant team"))
    before = newest()
    load_register(data_dir=data_dir)
    gwent = Service.objects.get(register_ref="T02")
    service_entry, summary_entry = entries_after(before)
    assert summary([service_entry]) == [
        ("system", "load", "directory.service", str(gwent.pk), ["name"])]
    assert service_entry.note == "updated from rare-jewels-register-2019"
    assert summary_entry.model_label == "core.importlog"
    assert summary_entry.note == "rare-jewels-register-2019 loaded. services: 1 updated"
    assert "Gwent" not in json.dumps([e.as_chain_dict() for e in (service_entry, summary_entry)])


# FOI actions ------------------------------------------------------------------------------

def test_every_foi_action_records_what_it_created_and_changed(campaign):
    campaign_entry = AuditEntry.objects.get(model_label="foi.campaign", object_id=campaign.pk)
    assert (campaign_entry.actor, campaign_entry.actor_id, campaign_entry.action) == (
        "system", "", "create")
    assert {"name", "letter_template", "reply_to"} <= set(campaign_entry.fields)

    mark = newest()
    first, second = actions.add_recipients(campaign=campaign, bodies=[body("RX1"), body("RX2")],
                                           by=BY, on=ON)
    added = entries_after(mark)
    # Each request's reply address is made first, so that its letter can name it (ADR 0029).
    assert [(e.actor, e.action, e.model_label) for e in added] == [
        (BY, "create", "foi.replyaddress"), (BY, "create", "foi.foirequest"),
        (BY, "create", "foi.requestevent")] * 2
    assert {"letter", "body", "campaign", "regime"} <= set(added[1].fields)
    assert added[1].object_id == str(first.pk)

    mark = newest()
    actions.send_requests(requests=[first, second], on=ON, by=BY, email=False)
    changed = [e for e in entries_after(mark) if e.model_label == "foi.foirequest"]
    assert [(e.action, e.object_id, sorted(e.fields)) for e in changed] == [
        ("change", str(r.pk), ["due_on", "long_overdue_on", "received_on", "sent_on", "state"])
        for r in (first, second)]

    mark = newest()
    actions.change_state(request=first, state=RequestState.CLARIFICATION_REQUESTED, on=ON,
                         by=BY, note=SECRET, reply_text=SECRET)
    assert summary(entries_after(mark)) == [
        (BY, "change", "foi.foirequest", str(first.pk), ["reply_text", "state"]),
        (BY, "create", "foi.requestevent", str(first.events.last().pk),
         ["kind", "note", "on", "recorded_at", "recorded_by", "request"])]

    mark = newest()
    actions.restart_clock(request=first, clarification_received=ON + datetime.timedelta(days=3),
                          by=BY)
    assert sorted(entries_after(mark)[0].fields) == [
        "due_on", "long_overdue_on", "received_on", "state"]

    mark = newest()
    provider = body("RX9")
    new = actions.redirect_request(request=second, provider=provider, on=ON, by=BY, note=SECRET)
    redirected = [(e.action, e.model_label, e.object_id) for e in entries_after(mark)
                  if e.model_label == "foi.foirequest"]
    assert redirected == [("change", "foi.foirequest", str(second.pk)),
                          ("create", "foi.foirequest", str(new.pk))]
    assert [e.fields for e in entries_after(mark) if e.model_label == "foi.foirequest"][0] \
        == ["state"]

    mark = newest()
    area = Area.objects.in_scheme("ccg2019").exclude(ods_code="").first()
    actions_answers.record_response(request=first, received_on=ON, state=RequestState.ANSWERED,
                            answers=[(area, {"referred_0_18": 12}, SECRET)],
                            reply_text=SECRET, by=BY)
    recorded = entries_after(mark)
    assert [(e.action, e.model_label) for e in recorded] == [
        ("create", "foi.responserecord"), ("change", "foi.foirequest"),
        ("create", "foi.requestevent")]
    assert {"comment", "referred_0_18", "area"} <= set(recorded[0].fields)
    assert recorded[1].fields == ["state"]  # the reply text was already the same

    mark = newest()
    row = ResponseRow(respondent_code="RX1", respondent_type=RespondentType.TRUST,
                      area_code=area.ods_code, received_on=ON, comment=SECRET)
    actions_answers.import_responses(campaign=campaign, rows=[row, row], by=BY)
    assert [(e.actor, e.action, e.model_label) for e in entries_after(mark)] == [
        (BY, "create", "foi.responserecord")] * 2

    mark = newest()
    imported = list(campaign.responses.filter(respondent_code="RX1").values_list("id",
                                                                               flat=True))
    actions_answers.mark_checked(campaign=campaign, by="checker@example.org",
                                 response_ids=imported)
    checked = [e for e in entries_after(mark) if e.model_label == "foi.responserecord"]
    assert [(e.actor, e.action) for e in checked] == [("checker@example.org", "change")] * len(
        imported)
    assert checked[0].fields == ["review_state", "checked_by", "checked_at"]

    mark = newest()
    created = actions.add_commissioners()
    bodies = entries_after(mark)
    assert len(bodies) == created > 100
    assert {(e.action, e.model_label) for e in bodies} == {("create", "foi.body")}
    assert "areas" in bodies[0].fields
    mark = newest()
    assert actions.add_commissioners() == 0
    assert newest() == mark  # nothing changed, nothing recorded

    everything = json.dumps([e.as_chain_dict() for e in AuditEntry.objects.all()])
    assert SECRET not in everything and "Acacia" not in everything
    assert "12" not in [value for e in recorded for value in e.fields]
    verify()


def test_a_rolled_back_action_leaves_no_entry(campaign):
    before, head = newest(), recorder.head()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.add_recipients(campaign=campaign, bodies=[body("RX1")], by=BY, on=ON)
        assert newest() > before
        raise RuntimeError("the caller's transaction fails after the action")
    assert newest() == before and recorder.head() == head

    (request,) = actions.add_recipients(campaign=campaign, bodies=[body("RX2")], by=BY, on=ON)
    before, head = newest(), recorder.head()
    # The second request fails (no email address) after the first was saved: all undone.
    emailed = body("RX3")
    emailed.email = "foi@rx3.example.org"
    emailed.save()
    (other,) = actions.add_recipients(campaign=campaign, bodies=[emailed], by=BY, on=ON)
    before, head = newest(), recorder.head()
    with pytest.raises(actions.FoiActionError):
        actions.send_requests(requests=[other, request], on=ON, by=BY, email=True)
    assert newest() == before and recorder.head() == head
    assert FoiRequest.objects.get(pk=other.pk).state == RequestState.NOT_SENT
    verify()


# The recorder -----------------------------------------------------------------------------

def test_record_keeps_text_snapshots_of_the_actor_and_the_address():
    user = User.objects.create_user(email="someone@example.org", password=PASSWORD)
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7",
                                   HTTP_X_FORWARDED_FOR="203.0.113.9")
    request.user = user
    entry = recorder.record(actor=user, action="view", model_label="cases.case",
                            object_id=42, request=request)
    assert (entry.actor_id, entry.actor, entry.ip_address, entry.object_id) == (
        str(user.pk), "someone@example.org", "192.0.2.7", "42")
    by_name = recorder.record(actor="someone@example.org", action="view",
                              model_label="cases.case", object_id=42, request=request)
    assert (by_name.actor_id, by_name.actor) == (str(user.pk), "someone@example.org")
    system = recorder.record(actor=None, action="load", model_label="core.importlog",
                             object_id=None)
    assert (system.actor_id, system.actor, system.ip_address, system.object_id) == (
        "", "system", "", "")
    # No foreign key: the entry outlives the user.
    user.delete()
    assert AuditEntry.objects.get(pk=entry.pk).actor == "someone@example.org"
    verify()


def test_record_changes_names_the_model_and_its_fields(campaign):
    entry = recorder.record_changes("tester", campaign, ["name"], Action.CHANGE)
    assert (entry.model_label, entry.object_id, entry.fields, entry.actor) == (
        "foi.campaign", str(campaign.pk), ["name"], "tester")


@pytest.mark.parametrize("fields", [["Jane Example"], ["name=Jane"], ["jane@example.org"],
                                    ["1984-02-03"], [42]])
def test_record_refuses_values_passed_as_field_names(fields):
    before = newest()
    with pytest.raises(ValueError, match="field names"):
        recorder.record(actor=None, action="change", model_label="foi.body", object_id=1,
                        fields=fields)
    assert newest() == before


def test_record_refuses_unknown_actions_and_labels():
    with pytest.raises(ValueError):
        recorder.record(actor=None, action="edit", model_label="foi.body", object_id=1)
    with pytest.raises(ValueError, match="app_label.model"):
        recorder.record(actor=None, action="view", model_label="body", object_id=1)


def test_entries_chain_on_from_the_head():
    first = recorder.record(actor=None, action="view", model_label="foi.body", object_id=1)
    second = recorder.record(actor=None, action="view", model_label="foi.body", object_id=2)
    assert second.sequence == first.sequence + 1
    assert second.previous_hash == first.entry_hash
    assert recorder.head() == (second.sequence, second.entry_hash)
    stored = AuditEntry.objects.get(pk=second.pk)
    assert stored.as_chain_dict() == second.as_chain_dict() | {"id": second.pk}


def test_a_missing_head_row_is_never_rebuilt_from_the_entries():
    """Rebuilding it from the newest entry (as before) sealed a log cut back together with its
    head: now nothing more is written, and verify says the head is missing."""
    recorder.record(actor=None, action="view", model_label="foi.body", object_id=1)
    before = AuditEntry.objects.count()
    with tampering_allowed():
        ChainHead.objects.all().delete()
    with pytest.raises(recorder.ChainHeadInvalid, match="head is missing"), transaction.atomic():
        recorder.record(actor=None, action="view", model_label="foi.body", object_id=2)
    assert AuditEntry.objects.count() == before
    with pytest.raises(CommandError, match="the chain's head is missing"):
        verify()


# Append-only ------------------------------------------------------------------------------

def test_the_model_refuses_to_change_or_delete_an_entry():
    entry = recorder.record(actor=None, action="view", model_label="foi.body", object_id=1)
    with pytest.raises(AppendOnlyError, match="recorder"):
        AuditEntry.objects.create(sequence=entry.sequence + 1, recorded_at=timezone.now(),
                                  actor="x", action="view", model_label="foi.body",
                                  previous_hash=entry.entry_hash, entry_hash="0" * 64)
    entry.note = "edited"
    with pytest.raises(AppendOnlyError):
        entry.save()
    stored = AuditEntry.objects.get(pk=entry.pk)
    with pytest.raises(AppendOnlyError):
        stored.save()
    with pytest.raises(AppendOnlyError):
        stored.delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_the_admin_is_read_only(rf):
    admin = AuditEntryAdmin(AuditEntry, None)
    request = rf.get("/")
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)


@postgresql_only
def test_postgresql_refuses_update_and_delete_of_entries():
    """The trigger refuses even the tables' owner (the application role is refused sooner, by
    its privileges: test_database_roles.py)."""
    entry = recorder.record(actor=None, action="view", model_label="foi.body", object_id=1)
    with as_owner():
        refuse_changes_to(entry)
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def refuse_changes_to(entry: AuditEntry) -> None:
    for attempt in (
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(note="edited"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: connection.cursor().execute(
            "UPDATE audit_auditentry SET actor = 'x' WHERE id = %s", [entry.pk]),
        lambda: connection.cursor().execute(
            "DELETE FROM audit_auditentry WHERE id = %s", [entry.pk]),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()


# Tampering is found -----------------------------------------------------------------------

@pytest.fixture
def three_entries():
    return [recorder.record(actor="tester", action="change", model_label="foi.body",
                            object_id=n, fields=["name"]) for n in range(3)]


def test_an_entry_edited_with_queryset_update_is_named(three_entries):
    target = three_entries[1]
    with tampering_allowed():
        AuditEntry.objects.filter(pk=target.pk).update(actor="someone-else@example.org")
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    message = str(failure.value)
    assert f"entry {target.pk} (sequence {target.sequence}): contents edited" in message
    assert "1 problem in" in message


def test_an_edited_field_list_is_found(three_entries):
    target = three_entries[0]
    with tampering_allowed():
        AuditEntry.objects.filter(pk=target.pk).update(fields=["address"])
    with pytest.raises(CommandError, match=f"entry {target.pk} .*contents edited"):
        call_command("audit", "verify")


def test_an_entry_deleted_with_raw_sql_is_a_gap(three_entries):
    deleted, after = three_entries[1], three_entries[2]
    with tampering_allowed(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [deleted.pk])
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    message = str(failure.value)
    assert (f"entry {after.pk} (sequence {after.sequence}): gap in sequence numbers: "
            f"{deleted.sequence} missing") in message
    assert f"entry {after.pk} (sequence {after.sequence}): broken link" in message


def test_a_relinked_entry_is_found(three_entries):
    target = three_entries[2]
    with tampering_allowed(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET previous_hash = %s WHERE id = %s",
                       ["f" * 64, target.pk])
    with pytest.raises(CommandError, match=f"entry {target.pk} .*broken link"):
        call_command("audit", "verify")


def test_deleting_the_newest_entries_is_found_against_the_head(three_entries):
    with tampering_allowed(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE sequence >= %s",
                       [three_entries[1].sequence])
    with pytest.raises(CommandError, match=f"newest entry should be sequence "
                                           f"{three_entries[2].sequence}"):
        call_command("audit", "verify")


def test_a_renumbered_entry_is_found(three_entries):
    first, second, _ = three_entries
    with tampering_allowed(), connection.cursor() as cursor:
        # Swap two entries' places by their sequence numbers.
        cursor.execute("UPDATE audit_auditentry SET sequence = 999999999 WHERE id = %s",
                       [first.pk])
        cursor.execute("UPDATE audit_auditentry SET sequence = %s WHERE id = %s",
                       [first.sequence, second.pk])
        cursor.execute("UPDATE audit_auditentry SET sequence = %s WHERE id = %s",
                       [second.sequence, first.pk])
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    assert f"entry {first.pk} (sequence {second.sequence})" in str(failure.value)
    assert f"entry {second.pk} (sequence {first.sequence})" in str(failure.value)


def test_export_command_writes_every_entry_and_is_recorded(tmp_path):
    before = AuditEntry.objects.count()
    output = tmp_path / "audit.csv"
    out = io.StringIO()
    call_command("audit", "export", "--output", str(output), stdout=out)
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert len(rows) == before
    assert [int(row["sequence"]) for row in rows] == sorted(int(r["sequence"]) for r in rows)
    export = AuditEntry.objects.newest_first().first()
    assert (export.action, export.model_label, export.actor) == (
        "export", "audit.auditentry", "system")
    assert f"{before} entries written" in out.getvalue()


# Concurrent writers -----------------------------------------------------------------------

@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_take_turns():
    """Writers in their own transactions on their own connections: each waits for the head
    row, so the chain has no fork and no gap."""
    before = newest()
    errors = []
    start = threading.Barrier(4)

    def writer(number: int) -> None:
        try:
            start.wait()
            for n in range(10):
                with transaction.atomic():
                    recorder.record(actor=f"writer-{number}", action="view",
                                    model_label="foi.body", object_id=n)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [e.sequence for e in entries_after(before)] == list(range(before + 1, before + 41))
    verify()


# The audit pages --------------------------------------------------------------------------

def test_anonymous_users_are_sent_to_sign_in(client):
    for url in (reverse("audit:entry-list"), reverse("audit:export-csv")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_users_without_the_audit_permission_are_refused(client):
    user = User.objects.create_user(email="analyst@example.org", password=PASSWORD)
    NetworkRole.objects.create(user=user, role="analyst")
    client.force_login(user)
    before = newest()
    assert client.get(reverse("audit:entry-list")).status_code == 403
    assert client.get(reverse("audit:export-csv")).status_code == 403
    assert newest() == before


def test_a_coordinator_needs_a_second_factor(client):
    coordinator(client, verified=False)
    response = client.get(reverse("audit:entry-list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/")


def test_a_coordinator_searches_the_log(client, three_entries):
    coordinator(client)
    page = client.get(reverse("audit:entry-list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert '<caption class="nhsuk-table__caption' in text
    assert 'class="nhsuk-breadcrumb"' in text
    assert f'data-sequence="{three_entries[2].sequence}"' in text
    assert page.context["page"].paginator.count == AuditEntry.objects.count()

    def found(**query) -> list[int]:
        response = client.get(reverse("audit:entry-list"), query)
        assert response.status_code == 200
        return [e.sequence for e in response.context["page"].paginator.object_list]

    ours = [e.sequence for e in reversed(three_entries)]
    assert found(actor="tester") == ours
    assert found(actor="TESTER", action="change", model_label="foi.body") == ours
    assert found(actor="tester", object_id=str(three_entries[0].object_id)) == ours[-1:]
    assert found(action="delete") == []
    today = timezone.localdate()
    assert found(actor="tester", start_0=today.day, start_1=today.month,
                 start_2=today.year, end_0=today.day, end_1=today.month,
                 end_2=today.year) == ours
    yesterday = today - datetime.timedelta(days=1)
    assert found(actor="tester", end_0=yesterday.day, end_1=yesterday.month,
                 end_2=yesterday.year) == []


def test_a_bad_date_is_an_error_not_a_crash(client):
    coordinator(client)
    response = client.get(reverse("audit:entry-list"), {"start_0": "31", "start_1": "2",
                                                        "start_2": "2026"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text and "must be a real date" in text
    assert response.context["page"].paginator.count == 0


def test_the_log_is_paginated(client):
    coordinator(client)
    for n in range(60):
        recorder.record(actor="pager", action="view", model_label="foi.body", object_id=n)
    page = client.get(reverse("audit:entry-list"), {"actor": "pager"})
    assert page.context["page"].paginator.num_pages == 2
    assert "?actor=pager&amp;page=2" in page.content.decode()
    second = client.get(reverse("audit:entry-list"), {"actor": "pager", "page": 2})
    assert len(second.context["page"].object_list) == 10


def test_exporting_the_log_is_recorded(client, three_entries):
    user = coordinator(client)
    response = client.get(reverse("audit:export-csv"), {"actor": "tester"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cradle-audit-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [int(row["sequence"]) for row in rows] == [e.sequence for e in three_entries]
    assert rows[0]["fields"] == "name" and rows[0]["actor"] == "tester"
    export = AuditEntry.objects.newest_first().first()
    assert (export.action, export.model_label, export.actor, export.actor_id,
            export.ip_address) == ("export", "audit.auditentry", "coordinator@example.org",
                                   str(user.pk), "127.0.0.1")
    assert export.note == "3 entries as CSV; filtered by actor"
    verify()


def test_the_page_links_the_download_with_the_same_filters(client, three_entries):
    coordinator(client)
    text = client.get(reverse("audit:entry-list"), {"actor": "tester"}).content.decode()
    assert f'href="{reverse("audit:export-csv")}?actor=tester"' in text


def test_a_change_made_through_the_web_names_the_user_and_address(client):
    user = coordinator(client)
    response = client.post(reverse("foi:campaign-new"), {
        "name": "Web campaign", "question_set": "camhs-2019", "letter_template": DEFAULT_LETTER,
        "signatory": "A. Researcher", "reply_to": "foi@cradle.example.org"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(model_label="foi.campaign", action="create",
                                   note="", actor_id=str(user.pk))
    assert (entry.actor, entry.ip_address) == ("coordinator@example.org", "127.0.0.1")
