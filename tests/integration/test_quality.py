"""Quality standards and self-review (ADR 0038): the shipped set loads once, a set in use is
frozen (a new version is the way to change it), a team manager rates and attaches evidence,
Cradle fills in what it knows, files are refused by type and size and served only to the team
and coordinators, and every stage is visible only to the right roles."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cradle.audit.models import AuditEntry
from cradle.directory.models import Service
from cradle.outcomes import actions as outcomes_actions
from cradle.quality import actions, standards
from cradle.quality.models import (
    Domain,
    EvidenceFile,
    FrozenSet,
    Review,
    Standard,
    StandardsSet,
)
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def leeds():
    return Service.objects.get(register_ref="T15")


@pytest.fixture
def shipped():
    standards_set, created = standards.load_standards()
    assert created
    return standards_set


@pytest.fixture
def manager(leeds):
    return make_user("manager@example.org", team=leeds, team_role="team_manager")


@pytest.fixture
def review(shipped, manager, leeds):
    return actions.start_review(user=manager, team=leeds, route="accreditation",
                                standards_set=shipped)


def test_the_shipped_set_loads_once_with_five_domains_and_sources(shipped):
    assert shipped.domains.count() == 5
    assert 20 <= shipped.standards.count() <= 30
    assert set(shipped.standards.values_list("standard_type", flat=True)) == {1, 2, 3}
    assert all(s.source and s.evidence_asked for s in shipped.standards.all())
    assert shipped.route_thresholds("accreditation") == {1: 100, 2: 80, 3: 60}
    assert shipped.route_thresholds("developmental") is None
    before = (StandardsSet.objects.count(), Standard.objects.count(), AuditEntry.objects.count())
    again, created = standards.load_standards()
    assert (again, created) == (shipped, False)
    call_command("quality", "load-standards", verbosity=0)
    assert (StandardsSet.objects.count(), Standard.objects.count(),
            AuditEntry.objects.count()) == before


def test_a_set_is_editable_until_a_review_starts_then_frozen(shipped, manager, leeds):
    coordinator = make_user("coordinator@example.org", network_role="coordinator")
    standard = shipped.standards.get(code="1.3")
    assert standards.edit_standard(user=coordinator, standard=standard,
                                   changes={"standard_type": 2}) == ["standard_type"]
    review = actions.start_review(user=manager, team=leeds, route="accreditation",
                                  standards_set=shipped)
    with pytest.raises(FrozenSet, match="new version"):
        standards.edit_standard(user=coordinator, standard=standard,
                                changes={"title": "Changed"})
    with pytest.raises(FrozenSet):
        standards.edit_thresholds(user=coordinator, standards_set=shipped,
                                  route="accreditation", percentages={1: 50, 2: 50, 3: 50})
    # and at the model level too
    standard.refresh_from_db()
    standard.title = "Changed behind the actions' back"
    with pytest.raises(FrozenSet):
        standard.save()
    with pytest.raises(FrozenSet):
        standard.delete()
    with pytest.raises(FrozenSet):
        Domain.objects.create(standards_set=shipped, position=9, name="New")
    # A new version copies everything and can change; the review keeps its own.
    copy = standards.new_version(user=coordinator, standards_set=shipped)
    assert (copy.version, copy.based_on, copy.frozen) == (2, shipped, False)
    assert copy.standards.count() == shipped.standards.count()
    new_standard = copy.standards.get(code="1.3")
    standards.edit_standard(user=coordinator, standard=new_standard,
                            changes={"title": "Weekly reflective supervision", "standard_type": 1})
    standards.edit_thresholds(user=coordinator, standards_set=copy, route="accreditation",
                              percentages={1: 100, 2: 90, 3: 50})
    review.refresh_from_db()
    assert review.standards_set == shipped
    assert shipped.standards.get(code="1.3").title != "Weekly reflective supervision"
    assert shipped.route_thresholds("accreditation") == {1: 100, 2: 80, 3: 60}
    assert actions.assessment(review).types[1].threshold == 80


def test_rating_needs_a_reason_for_not_applicable_and_updates_what_is_missing(review, manager):
    first = review.standards_set.standards.get(code="1.1")
    assessment = actions.assessment(review)
    assert not assessment.complete and assessment.meets_thresholds is False
    with pytest.raises(actions.ReviewError, match="why"):
        actions.rate(user=manager, review=review, standard=first, rating="not_applicable")
    actions.rate(user=manager, review=review, standard=first, rating="met")
    assert actions.assessment(review).types[0].met == 1
    actions.rate(user=manager, review=review, standard=first, rating="not_applicable",
                 reason="Not commissioned for it")
    after = actions.assessment(review).types[0]
    assert (after.met, after.not_applicable) == (0, 1)
    assert AuditEntry.objects.filter(model_label="quality.standardrating").count() == 2


def test_only_the_teams_managers_rate_and_a_submitted_review_is_closed(review, manager):
    standard = review.standards_set.standards.first()
    coordinator = make_user("coordinator@example.org", network_role="coordinator")
    practitioner = make_user("practitioner@example.org", team=review.team)
    for outsider in (coordinator, practitioner):
        with pytest.raises(actions.ReviewError):
            actions.rate(user=outsider, review=review, standard=standard, rating="met")
    with pytest.raises(actions.ReviewError, match="in progress"):
        actions.start_review(user=manager, team=review.team, route="developmental",
                             standards_set=review.standards_set)
    actions.submit(user=manager, review=review)
    with pytest.raises(actions.ReviewError, match="submitted"):
        actions.rate(user=manager, review=review, standard=standard, rating="met")


def test_cradle_fills_in_what_it_knows_and_unknown_is_never_zero(client, review, manager):
    sign_in(client, manager)
    page = client.get(reverse("quality:review", args=[review.pk])).content.decode()
    # The register's staffing and verdict for Leeds, and nothing recorded yet elsewhere.
    assert 'data-auto="definition_verdict" data-known="yes"' in page
    assert 'data-auto="dna_rate" data-known="no"' in page
    assert 'data-auto="training_delivered" data-known="no"' in page
    assert "not known" in page
    today = timezone.localdate()
    case = outcomes_actions.create_case(user=manager, team=review.team, team_reference="Q-1")
    episode = outcomes_actions.open_episode(user=manager, case=case,
                                            started_on=today - datetime.timedelta(days=30))
    for days, outcome in ((20, "attended"), (10, "did_not_attend"), (5, "attended"),
                          (3, "attended")):
        outcomes_actions.record_contact(user=manager, episode=episode,
                                        on=today - datetime.timedelta(days=days),
                                        mode="face_to_face", outcome=outcome,
                                        **({"minutes": 50, "caregivers_attended": True,
                                            "baby_attended": True}
                                           if outcome == "attended" else {}))
    outcomes_actions.record_workforce_activity(user=manager, team=review.team, kind="training",
                                               on=today - datetime.timedelta(days=40),
                                               attendees=12)
    outcomes_actions.record_workforce_activity(user=manager, team=review.team,
                                               kind="supervision",
                                               on=today - datetime.timedelta(days=7))
    page = client.get(reverse("quality:review", args=[review.pk])).content.decode()
    assert 'data-auto="dna_rate" data-known="yes"' in page
    assert "25% did not attend (1 of 4 contacts" in page
    assert "1 training event" in page and "12 attendees recorded" in page
    assert "1 supervision session" in page


def upload(client, review, standard, name, data):
    return client.post(reverse("quality:add-file", args=[review.pk, standard.pk]),
                       {"file": SimpleUploadedFile(name, data)})


def test_evidence_files_are_refused_by_type_and_size_and_kept_encrypted(
        client, review, manager, settings):
    settings.QUALITY_EVIDENCE_MAX_BYTES = 100
    sign_in(client, manager)
    standard = review.standards_set.standards.get(code="1.3")
    for name, data, reason in (
            ("notes.txt", b"hello", "A .txt file is not accepted"),
            ("fake.pdf", b"<script>alert(1)</script>", "its content is not a PDF file"),
            ("big.pdf", PDF + b"x" * 200, "the limit is 0.0 MB")):
        response = upload(client, review, standard, name, data)
        assert response.status_code == 400 and reason in response.content.decode(), name
    assert not EvidenceFile.objects.exists()
    response = upload(client, review, standard, "supervision policy.pdf", PDF)
    assert response.status_code == 302
    stored = EvidenceFile.objects.get()
    assert PDF not in bytes(stored.encrypted_content)
    download = client.get(reverse("quality:file", args=[stored.pk]))
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(model_label="quality.evidencefile",
                                     action="export").exists()


def test_links_must_be_cradle_pages(client, review, manager):
    sign_in(client, manager)
    standard = review.standards_set.standards.get(code="2.1")
    url = reverse("quality:add-link", args=[review.pk, standard.pk])
    for path in ("https://evil.example.org/", "//evil.example.org/", "/no/such/page/"):
        response = client.post(url, {"path": path, "label": "Referral criteria"})
        assert response.status_code == 400, path
    response = client.post(url, {"path": f"/services/{review.team.pk}/",
                                 "label": "Our register entry"})
    assert response.status_code == 302
    link = review.links.get()
    assert link.label == "Our register entry"
    assert client.post(reverse("quality:remove-link", args=[link.pk])).status_code == 302
    assert not review.links.exists()
    assert AuditEntry.objects.filter(model_label="quality.evidencelink",
                                     action="delete").exists()


def people(leeds):
    bradford = Service.objects.get(register_ref="T16")
    return {
        "anonymous": None,
        "the team's practitioner": make_user("p@example.org", team=leeds),
        "another team's manager": make_user("m2@example.org", team=bradford,
                                            team_role="team_manager"),
        "analyst": make_user("a@example.org", network_role="analyst"),
        "commissioner-free no role": make_user("n@example.org"),
        "the team's manager": make_user("m@example.org", team=leeds, team_role="team_manager"),
        "coordinator": make_user("c@example.org", network_role="coordinator"),
    }


# Who sees a review and its files, at each stage: 200 seen, 404 not found (another team's),
# 403 no permission, 302 to sign in. Never public.
EXPECTED = {"anonymous": 302, "the team's practitioner": 403, "another team's manager": 404,
            "analyst": 403, "commissioner-free no role": 403, "the team's manager": 200,
            "coordinator": 200}


@pytest.mark.parametrize("stage", ["in_progress", "submitted"])
def test_the_review_is_visible_only_to_the_team_and_coordinators_at_every_stage(
        client, shipped, leeds, stage):
    everyone = people(leeds)
    owner = everyone["the team's manager"]
    review = actions.start_review(user=owner, team=leeds, route="developmental",
                                  standards_set=shipped)
    standard = shipped.standards.get(code="1.1")
    actions.rate(user=owner, review=review, standard=standard, rating="met")
    evidence = actions.add_file(user=owner, review=review, standard=standard,
                                filename="staffing.pdf", data=PDF)
    if stage == "submitted":
        actions.submit(user=owner, review=review)
    urls = [reverse("quality:review", args=[review.pk]),
            reverse("quality:review-standard", args=[review.pk, standard.pk]),
            reverse("quality:file", args=[evidence.pk])]
    for who, user in everyone.items():
        client.logout()
        if user is not None:
            sign_in(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == EXPECTED[who], (who, url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/account/sign-in/")
    # Coordinators read but do not rate; the team's manager rates only while in progress.
    sign_in(client, everyone["coordinator"])
    page = client.get(urls[1]).content.decode()
    assert "Save the rating" not in page
    assert client.post(urls[1], {"rating": "not_met"}).status_code == 403
    sign_in(client, owner)
    response = client.post(urls[1], {"rating": "not_met"})
    assert response.status_code == (302 if stage == "in_progress" else 403)


def test_coordinators_edit_standards_through_the_pages_until_frozen(client, shipped, leeds):
    coordinator = make_user("coordinator@example.org", network_role="coordinator")
    sign_in(client, coordinator)
    standard = shipped.standards.get(code="4.5")
    url = reverse("quality:edit-standard", args=[standard.pk])
    form = {"title": "Students are placed with the team", "description": "",
            "standard_type": "3", "evidence_asked": "Placements.", "auto_source": "",
            "source": standard.source}
    assert client.post(url, form).status_code == 302
    standard.refresh_from_db()
    assert standard.title == "Students are placed with the team"
    thresholds = reverse("quality:thresholds", args=[shipped.pk])
    response = client.post(thresholds, {
        "route-choice": "accreditation", "accreditation-route": "accreditation",
        "accreditation-has_thresholds": "on", "accreditation-type_1": "100",
        "accreditation-type_2": "75", "accreditation-type_3": "50"})
    assert response.status_code == 302
    shipped.refresh_from_db()
    assert shipped.route_thresholds("accreditation") == {1: 100, 2: 75, 3: 50}
    manager = make_user("manager@example.org", team=leeds, team_role="team_manager")
    actions.start_review(user=manager, team=leeds, route="accreditation", standards_set=shipped)
    response = client.post(url, form | {"title": "Changed again"}, follow=True)
    assert "make a new version" in response.content.decode().lower()
    standard.refresh_from_db()
    assert standard.title == "Students are placed with the team"
    response = client.post(reverse("quality:new-version", args=[shipped.pk]))
    copy = StandardsSet.objects.get(key=shipped.key, version=2)
    assert response["Location"] == reverse("quality:set", args=[copy.pk])
    assert copy.published_on is None
    assert client.post(reverse("quality:publish", args=[copy.pk])).status_code == 302
    assert standards.current_set() == StandardsSet.objects.get(pk=copy.pk)
    assert Review.objects.get().standards_set == shipped


def test_a_file_is_removed_by_the_team_and_nothing_is_added_after_submitting(
        client, review, manager):
    standard = review.standards_set.standards.get(code="5.1")
    evidence = actions.add_file(user=manager, review=review, standard=standard,
                                filename="measures.pdf", data=PDF)
    sign_in(client, manager)
    assert client.post(reverse("quality:remove-file", args=[evidence.pk])).status_code == 302
    assert not EvidenceFile.objects.exists()
    actions.submit(user=manager, review=review)
    with pytest.raises(actions.ReviewError, match="submitted"):
        actions.add_file(user=manager, review=review, standard=standard,
                         filename="measures.pdf", data=PDF)
    response = upload(client, review, standard, "measures.pdf", PDF)
    assert response.status_code == 403
