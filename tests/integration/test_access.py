"""Every URL in the project, for every role and for anonymous users, does what its view declares.

Views declare access with cradle.accounts.access (`public`, `signed_in`,
`require_permission(Permission.X)`); the Django admin has its own (staff only). A URL whose view
declares nothing fails here, and so does one whose arguments this test cannot fill in: add a
sample to SAMPLE_ARGUMENTS when you add a URL. Every response to a signed-in user must say
`Cache-Control: no-store`. test_url_walk_garbage.py walks the same URLs with bad query strings
and garbage posts.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cradle.accounts.access import ACCESS_ATTRIBUTE
from cradle.accounts.permissions import ROLES, Permission
from cradle.census import actions as census_actions
from cradle.census import suggestions as census_suggestions
from cradle.directory.models import Service
from cradle.foi import actions as foi_actions
from cradle.foi import actions_lifecycle as foi_lifecycle
from cradle.foi import replies as foi_replies
from cradle.foi.models import Body
from cradle.foi.questions import DEFAULT_LETTER
from cradle.jobs.models import Job, JobState
from cradle.oruk import mapping as oruk_mapping
from cradle.outcomes import actions as outcomes_actions
from cradle.planning import tasks as planning_tasks
from cradle.quality import actions as quality_actions
from cradle.quality import standards as quality_standards
from cradle.surveys import actions as survey_actions
from cradle.surveys.questions import shipped_sets
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

LOGIN_PATH = "/account/sign-in/"


def walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def declared_access(callback):
    view = callback
    while view is not None:
        if hasattr(view, ACCESS_ATTRIBUTE):
            return getattr(view, ACCESS_ATTRIBUTE)
        view = getattr(view, "__wrapped__", None)
    return None


@pytest.fixture
def world():
    """One of each thing a URL can point at."""
    campaign = foi_actions.create_campaign(
        name="Access test campaign", question_set="camhs-2019", letter_template=DEFAULT_LETTER,
        signatory="Cradle", reply_to="foi@example.org")
    foi_actions.add_commissioners()
    (request,) = foi_actions.add_recipients(
        campaign=campaign, bodies=[Body.objects.get(ods_code="02N")], by="test",
        on=datetime.date(2026, 1, 5))
    # An unmatched reply with a kept file, for the reply pages (ADR 0029).
    reply = foi_replies.receive_message(raw=(
        b"From: foi@body.example.org\r\nTo: foi@replies.example.org\r\nSubject: Access\r\n"
        b"Message-ID: <access@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: "
        b"multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nHi"
        b"\r\n--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; "
        b"filename=a.txt\r\n\r\nfile\r\n--b--\r\n"))
    # A sent, refused request with a pending internal review and an open complaint, for the
    # review and complaint URLs (ADR 0032).
    (reviewed,) = foi_actions.add_recipients(
        campaign=campaign, bodies=[Body.objects.get(ods_code="09C")], by="test",
        on=datetime.date(2026, 1, 5))
    foi_actions.send_requests(requests=[reviewed], on=datetime.date(2026, 1, 5), by="test",
                              email=False)
    foi_actions.change_state(request=reviewed, state="refused", on=datetime.date(2026, 1, 20),
                             by="test", exemption="Section 12")
    foi_lifecycle.ask_for_review(request=reviewed, asked_on=datetime.date(2026, 1, 21),
                                 received_on=None, grounds="Access test", by="test")
    foi_lifecycle.make_complaint(request=reviewed, made_on=datetime.date(2026, 1, 22),
                                 by="test")
    leeds = Service.objects.get(register_ref="T15")
    maker = make_user("case-maker@example.org", team=leeds)
    case = outcomes_actions.create_case(user=maker, team=leeds, team_reference="ACCESS-1")
    referral = outcomes_actions.record_referral(
        user=maker, case=case, referred_on=datetime.date(2026, 1, 5),
        referrer_type="health_visitor")
    episode = outcomes_actions.open_episode(user=maker, case=case,
                                            started_on=datetime.date(2026, 1, 12))
    flagged = outcomes_actions.record_measure(
        user=maker, case=case, episode=episode, instrument="phq9", timepoint="baseline",
        administered_on=datetime.date(2026, 1, 12), items=[0, 0, 0, 0, 0, 0, 0, 0, 1])
    # A public PDF's job (made directly: no PDF is built), so every role reaches its pages.
    job = Job.objects.create(kind=planning_tasks.PDF, subject_type="area",
                             subject_id="ccg2019:E38000001", subject_label="Access test area",
                             state=JobState.SUCCEEDED, summary="Built.")
    census_round = census_actions.open_round(
        name="Access test census", reference_date=datetime.date(2026, 1, 5),
        closes_on=datetime.date(2099, 1, 5), nation="England", teams_only=True,
        reply_to="census@example.org", by=None, today=datetime.date(2026, 1, 5))
    census_invitation = census_round.invitations.first()
    suggestion = census_suggestions.submit(name="Access test service", nation="England",
                                           place="Leeds")
    question_set = shipped_sets()[("professionals-2019", 1)]
    survey = survey_actions.open_survey(user=maker, survey=survey_actions.create_survey(
        user=maker, name="Access test survey", year=2026, question_set=question_set,
        question_ids=[q.id for q in question_set.questions]))
    # A self-review of Leeds with a file, for the quality pages (ADR 0038).
    standards_set, _ = quality_standards.load_standards()
    quality_review = quality_actions.start_review(
        user=make_user("quality-manager@example.org", team=leeds, team_role="team_manager"),
        team=leeds, route="accreditation", standards_set=standards_set)
    standard = standards_set.standards.first()
    evidence = quality_actions.add_file(user=quality_review.started_by, review=quality_review,
                                        standard=standard, filename="a.pdf", data=b"%PDF-1.7")
    link = quality_actions.add_link(user=quality_review.started_by, review=quality_review,
                                    standard=standard, path="/services/", label="Register")
    return {
        "review_pk": quality_review.pk, "standard_pk": standard.pk, "file_pk": evidence.pk,
        "link_pk": link.pk,
        "set_pk": standards_set.pk, "service_pk": leeds.pk,
        "census_round": census_round.pk, "census_invitation": census_invitation.pk,
        "census_answer": census_actions.start_answer(census_invitation).pk,
        "suggestion": suggestion.pk,
        "job_id": job.pk, "survey": survey.pk, "survey_token": survey.public_token,
        "scheme": "ccg2019", "code": "E38000001", "service": leeds.pk,
        "campaign": campaign.pk, "request": request.pk, "body": request.body_id, "token": "not-a-real-token",
        "uidb64": "MQ", "format": "csv", "case": case.pk,
        "referral": referral.pk, "episode": episode.pk, "kind": "parent", "file_format": "json",
        "measure": flagged.pk, "reply": reply.pk, "attachment": reply.attachments.get().pk,
        "reviewed_request": reviewed.pk,
        # Bulk downloads (ADR 0037): no snapshot is made here, so these are public 404s.
        "snapshot_date": "2026-01-05", "filename": "services.csv",
    }


def sample_arguments(name: str, pattern: URLPattern, world: dict) -> dict:
    keys = list(pattern.pattern.converters)
    if not keys:
        return {}
    if name.startswith("census:"):
        return {"pk": world[{"census:review": "census_answer",
                             "census:invitation-change": "census_invitation",
                             "census:suggestion": "suggestion"}.get(name, "census_round")],
                **({"token": world["token"]} if "token" in keys else {})} if "pk" in keys \
            else {"token": world["token"]}
    if name == "foi:reply-assign":
        return {"pk": world["reply"]}
    if name == "foi:reply-attachment":
        return {"pk": world["attachment"]}
    if name.startswith("foi:body-") and "pk" in keys:
        return {"pk": world["body"]}
    if name.startswith(("foi:request-internal-review", "foi:request-complaint")):
        return {"pk": world["reviewed_request"]}
    if name.startswith("foi:request"):
        return {"pk": world["request"]}
    if name in ("foi:statistics", "foi:statistics-csv"):
        return {"pk": world["campaign"]}  # a campaign's batch statistics (ADR 0033)
    if name.startswith("foi:"):
        return {"pk": world["campaign"]}
    if name == "surveys:answer":
        return {"token": world["survey_token"]}
    if name.startswith("surveys:"):
        return {"pk": world["survey"]}
    if name == "oruk:service":
        return {"id": oruk_mapping.service_id(world["service"])}  # an ORUK id is a UUID
    if name in ("api:service", "api:foi-campaign-areas",
                "api:foi-campaign-todays-areas"):  # the open data API (ADR 0035)
        return {"id": world["service" if name == "api:service" else "campaign"],
                **({"format": world["format"]} if "format" in keys else {})}
    if name.startswith("directory:service"):
        return {"pk": world["service"]}
    if name == "outcomes:team-import-template-csv":
        return {"service_pk": world["service"], "record_type": "referrals"}
    if name == "pooled:team-download":
        return {"service_pk": world["service"], "file_format": world["file_format"]}
    if name in ("accounts:team-members", "pooled:team") or name.startswith("outcomes:team"):
        return {"service_pk": world["service"]}
    if name.startswith("outcomes:case"):
        return {"pk": world["case"]}
    if name.startswith("outcomes:measure"):
        return {"pk": world["measure"]}
    if name.startswith("accounts:invitation-"):
        return {"pk": 1}  # POST-only: the walk sees 403 or 405, whatever the invitation
    if name.startswith("outcomes:referral"):
        return {"pk": world["referral"]}
    if name.startswith("outcomes:record"):
        return {"kind": "referral", "pk": world["referral"]}
    if name.startswith("outcomes:episode"):
        return {"pk": world["episode"], **({"kind": world["kind"]} if "kind" in keys else {})}
    known = {key: world[key] for key in keys if key in world}
    if set(known) != set(keys):
        pytest.fail(f"{name}: add sample arguments for {sorted(set(keys) - set(known))}")
    return known


def project_urls(world):
    urls = []
    for name, pattern in walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue
        access = declared_access(pattern.callback)
        assert access is not None, f"{name} declares no access (use public, signed_in or " \
                                   f"require_permission)"
        urls.append((name, reverse(name, kwargs=sample_arguments(name, pattern, world)), access))
    return urls


def people():
    team = Service.objects.get(register_ref="T15")
    other_team = Service.objects.get(register_ref="T16")
    return {
        "practitioner": make_user("practitioner@example.org", team=team),
        "team_manager": make_user("manager@example.org", team=other_team,
                                  team_role="team_manager"),
        "analyst": make_user("analyst@example.org", network_role="analyst"),
        "coordinator": make_user("coordinator@example.org", network_role="coordinator"),
        "commissioner": _commissioner(),
        "no role": make_user("nobody@example.org"),
    }


def _commissioner():
    from cradle.accounts.models import CommissionerArea
    from cradle.geography.models import Area

    user = make_user("commissioner@example.org")
    CommissionerArea.objects.create(user=user, area=Area.objects.get(scheme="ccg2019",
                                                                     code="E38000001"))
    return user


def is_sign_in_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PATH)


def test_every_url_declares_its_access(world):
    assert len(project_urls(world)) > 20


def test_anonymous_users_reach_public_pages_only(client, world):
    for name, url, access in project_urls(world):
        response = client.get(url)
        if access == "public":
            assert response.status_code not in (401, 403) and not is_sign_in_redirect(
                response), f"{name}: {response.status_code}"
        else:
            assert is_sign_in_redirect(response), f"{name} let an anonymous user in"


@pytest.mark.parametrize("role", ["practitioner", "team_manager", "analyst", "coordinator",
                                  "commissioner", "no role"])
def test_each_role_reaches_exactly_what_its_permissions_allow(client, world, role):
    user = people()[role]
    sign_in(client, user)
    granted = user.permissions()
    if role != "no role":
        assert granted == ROLES[role].permissions
    for name, url, access in project_urls(world):
        response = client.get(url)
        # Nothing a signed-in user is shown may be kept by a browser or proxy cache.
        assert "no-store" in response.get("Cache-Control", ""), f"{name} may be stored"
        allowed = access in ("public", "signed_in") or (
            isinstance(access, Permission) and access in granted)
        if allowed:
            assert response.status_code != 403 and not is_sign_in_redirect(response), (
                f"{role} refused at {name}: {response.status_code}")
        else:
            assert response.status_code == 403, f"{role} reached {name}: {response.status_code}"


def test_the_admin_is_for_staff_only(client, world):
    url = reverse("admin:index")
    assert client.get(url).status_code == 302
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_another_teams_records_are_not_found_rather_than_forbidden(client):
    leeds, bradford = (Service.objects.get(register_ref=ref) for ref in ("T15", "T16"))
    manager = make_user("manager@example.org", team=bradford, team_role="team_manager")
    make_user("colleague@example.org", team=bradford)
    make_user("leeds@example.org", team=leeds)
    sign_in(client, manager)
    own = client.get(reverse("accounts:team-members", args=[bradford.pk]))
    assert own.status_code == 200
    assert "colleague@example.org" in own.content.decode()
    other = client.get(reverse("accounts:team-members", args=[leeds.pk]))
    assert other.status_code == 404
    assert "leeds@example.org" not in other.content.decode()
