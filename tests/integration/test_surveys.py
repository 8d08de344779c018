"""A survey of professionals end to end: built and opened by a coordinator, answered
anonymously from its public link once per browser, imported from a file once, and published
with figures that pass disclosure control."""

import csv
import io
import re

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from cradle.audit.models import AuditEntry
from cradle.core.field_classes import IDENTIFYING, SAFE, field_class
from cradle.surveys import actions
from cradle.surveys.models import (
    FreeTextAnswer,
    SubmissionGuard,
    Survey,
    SurveyResponse,
    SurveyState,
)
from cradle.surveys.questions import shipped_sets
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

V1 = shipped_sets()[("professionals-2019", 1)]
IP, AGENT = "203.0.113.77", "Mozilla/5.0 (SurveyTestBrowser 987654)"
LEEDS, CARDIFF = "E08000035", "W06000015"


@pytest.fixture
def coordinator():
    return make_user("survey-coordinator@example.org", network_role="coordinator")


@pytest.fixture
def survey(coordinator):
    made = actions.create_survey(user=coordinator, name="Professionals 2026", year=2026,
                                 question_set=V1, question_ids=[q.id for q in V1.questions])
    return actions.open_survey(user=coordinator, survey=made)


def answer_url(survey):
    return reverse("surveys:answer", kwargs={"token": survey.public_token})


def answer(client, survey, **answers):
    client.get(answer_url(survey), REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
    return client.post(answer_url(survey), answers, REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)


def respond(survey, n, nation_area, **answers):
    for _ in range(n):
        actions.submit_response(survey=survey, answers={"area": nation_area, **answers},
                                guard_token=actions.secrets.token_urlsafe(32))


def test_a_coordinator_builds_and_opens_a_survey_from_a_question_set(client, coordinator):
    sign_in(client, coordinator)
    response = client.post(reverse("surveys:new"), {
        "set": "professionals-2019.v2", "name": "Professionals 2027", "year": "2027",
        "questions": ["area", "camhs_under_2", "team_change"]})
    survey = Survey.objects.get(name="Professionals 2027")
    assert response.status_code == 302
    assert survey.question_ids == ["area", "camhs_under_2", "team_change"]
    assert survey.question_set_version == 2 and survey.questions[1]["choices"][0] == ["yes",
                                                                                       "Yes"]
    client.post(reverse("surveys:state", kwargs={"pk": survey.pk}), {"action": "open"})
    survey.refresh_from_db()
    assert survey.state == SurveyState.OPEN
    page = client.get(reverse("surveys:detail", kwargs={"pk": survey.pk})).content.decode()
    assert survey.public_token in page
    refused = client.post(reverse("surveys:new"), {"set": "professionals-2019.v1", "name": "x",
                                                    "year": "2026"})
    assert refused.status_code == 400 and "Choose at least one question" in refused.text


def test_answering_needs_no_account_and_a_browser_answers_once(client, survey):
    first = client.get(answer_url(survey))
    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    assert first.cookies["cradle_survey"]["httponly"]
    sent = client.post(answer_url(survey), {"camhs_under_2": "no", "area": LEEDS,
                                            "comments": "Waiting lists are long."})
    assert sent.status_code == 200 and "Thank you" in sent.text
    again = client.post(answer_url(survey), {"camhs_under_2": "yes"})
    assert again.status_code == 409 and "already answered" in again.text
    assert "already answered" in client.get(answer_url(survey)).text
    assert SurveyResponse.objects.count() == 1
    stored = SurveyResponse.objects.get()
    assert stored.answers == {"area": LEEDS, "camhs_under_2": "no"}
    assert stored.nation == "England" and stored.area.code == LEEDS
    # Without the cookie the same form's token still refuses a second send (a double click).
    token = first.cookies["cradle_survey"].value
    other = client.__class__()
    repeat = other.post(answer_url(survey), {"camhs_under_2": "yes", "guard": token})
    assert repeat.status_code == 409
    assert SurveyResponse.objects.count() == 1


def test_a_bad_answer_is_named_and_nothing_is_written(client, survey):
    client.get(answer_url(survey))
    response = client.post(answer_url(survey), {"trained_last_year": "lots", "area": "X1"})
    assert response.status_code == 400
    assert "is not a number" in response.text
    assert not SurveyResponse.objects.exists() and not SubmissionGuard.objects.exists()


def test_a_closed_or_unknown_survey_takes_no_answers(client, survey, coordinator):
    actions.close_survey(user=coordinator, survey=survey)
    assert client.get(answer_url(survey)).status_code == 410
    assert client.post(answer_url(survey), {"camhs_under_2": "yes"}).status_code == 410
    assert client.get(reverse("surveys:answer", kwargs={"token": "nope"})).status_code == 404


SURVEY_MODELS = ("Survey", "SurveyResponse", "FreeTextAnswer", "SubmissionGuard")
FREE_TEXT = {("surveys.FreeTextAnswer", "text")}


def test_no_identifying_field_is_stored_about_a_respondent():
    """Checked against the field classification: every field of what an answer writes is
    safe, except free text (identifying, coordinators only); none points at a user."""
    for name in SURVEY_MODELS:
        model = apps.get_model("surveys", name)
        for field in model._meta.concrete_fields:
            where = (model._meta.label, field.name)
            cls = field_class(*where)
            assert cls == (IDENTIFYING if where in FREE_TEXT else SAFE), where
            assert not field.is_relation or field.related_model._meta.label in {
                "surveys.Survey", "surveys.SurveyResponse", "geography.Area"}, where
            assert not re.search(r"ip|agent|email|user|session|time", field.name) or \
                field.name == "created_at" and name == "Survey", where


def test_the_address_and_browser_of_a_respondent_are_stored_nowhere(client, survey):
    before = AuditEntry.objects.count()
    answer(client, survey, camhs_under_2="no", area=LEEDS, comments="A comment")
    assert SurveyResponse.objects.count() == 1
    assert AuditEntry.objects.count() == before  # an audit entry would keep the address
    with connection.cursor() as cursor:
        for model in [apps.get_model("surveys", name) for name in SURVEY_MODELS]:
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608 - our tables
            dump = repr(cursor.fetchall())
            assert IP not in dump and "SurveyTestBrowser" not in dump and "987654" not in dump


def test_published_results_never_show_1_to_7_nor_free_text(client, survey, coordinator):
    respond(survey, 40, LEEDS, camhs_under_2="no", trained_last_year=6,
            comments="Secret free text")
    respond(survey, 3, CARDIFF, camhs_under_2="yes", trained_last_year=30)
    with pytest.raises(actions.SurveyActionError, match="Close the survey"):
        actions.publish_results(user=coordinator, survey=survey)
    survey = actions.close_survey(user=coordinator, survey=survey)
    actions.publish_results(user=coordinator, survey=survey)
    public = client.get(reverse("surveys:public-results", kwargs={"pk": survey.pk}))
    assert public.status_code == 200
    cells = re.findall(r"<td class=\"nhsuk-table__cell\" data-cell>([^<(]*)", public.text)
    assert cells and all(c.strip() in ("*", "0") or int(c) % 5 == 0 and int(c) >= 10
                         for c in cells), cells
    assert "Secret free text" not in public.text
    download = client.get(reverse("surveys:public-results-csv", kwargs={"pk": survey.pk}))
    body = download.content.decode()
    assert "Secret free text" not in body
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows
    for row in rows:
        if row["category"] in ("median", "mean") or row["value"] == "":
            continue
        assert int(row["value"]) == 0 or int(row["value"]) >= 10, row
    sign_in(client, coordinator)
    own = client.get(reverse("surveys:results", kwargs={"pk": survey.pk}))
    assert "Secret free text" in own.text
    area = client.get(reverse("surveys:public-results", kwargs={"pk": survey.pk}),
                      {"area": LEEDS})
    assert area.status_code == 200 and "Leeds" in area.text


def test_results_are_not_public_until_published(client, survey):
    assert client.get(reverse("surveys:public-results",
                              kwargs={"pk": survey.pk})).status_code == 404
    assert client.get(reverse("surveys:public-results-csv",
                              kwargs={"pk": survey.pk})).status_code == 404


def test_the_same_question_id_is_compared_year_on_year(client, coordinator, survey):
    earlier = actions.create_survey(user=coordinator, name="Professionals 2025", year=2025,
                                    question_set=V1, question_ids=["camhs_under_2"])
    earlier = actions.open_survey(user=coordinator, survey=earlier)
    respond(earlier, 20, None, camhs_under_2="no")
    actions.publish_results(user=coordinator, survey=actions.close_survey(user=coordinator,
                                                                          survey=earlier))
    respond(survey, 30, LEEDS, camhs_under_2="yes")
    actions.publish_results(user=coordinator, survey=actions.close_survey(user=coordinator,
                                                                          survey=survey))
    page = client.get(reverse("surveys:public-results", kwargs={"pk": survey.pk})).text
    table = page.split('data-year-on-year="camhs_under_2"')[1].split("</table>")[0]
    assert "2025" in table and "2026" in table and "20 (100%)" in table and "30 (100%)" in table
    assert 'data-year-on-year="role"' not in page  # 2025 did not ask it


def upload(client, survey, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("surveys:import", kwargs={"pk": survey.pk}),
                       {"file": SimpleUploadedFile(name, content)})


def test_responses_import_from_a_file_once_with_every_problem_named(client, coordinator,
                                                                      survey):
    sign_in(client, coordinator)
    bad = upload(client, survey, "r.csv", b"camhs_under_2,area\nyes,E08000035\nmaybe,X\n")
    assert bad.status_code == 400
    assert "Row 3, column camhs_under_2" in bad.text and "Row 3, column area" in bad.text
    assert not SurveyResponse.objects.exists()
    good = b"camhs_under_2,area,comments\nyes,E08000035,Fine\nno,W06000015,\n"
    checked = upload(client, survey, "r.csv", good)
    assert checked.status_code == 200 and "2 responses checked" in checked.text
    token = re.search(r'name="token" value="([^"]+)"', checked.text).group(1)
    confirm = reverse("surveys:import-confirm", kwargs={"pk": survey.pk})
    assert client.post(confirm, {"token": token}).status_code == 302
    assert client.post(confirm, {"token": token}).status_code == 302
    assert SurveyResponse.objects.filter(source="file").count() == 2
    assert FreeTextAnswer.objects.get().text == "Fine"
    assert sorted(SurveyResponse.objects.values_list("nation", flat=True)) == ["England",
                                                                               "Wales"]
    again = upload(client, survey, "copy.csv", good)
    assert again.status_code == 409 and "already been imported" in again.text
    assert SurveyResponse.objects.count() == 2


def test_a_workbook_imports_too(client, coordinator, survey):
    from cradle.core.spreadsheets import xlsx_bytes

    sign_in(client, coordinator)
    data = xlsx_bytes(["camhs_under_2", "trained_last_year"], [["Yes", 3], ["No", 12]],
                      title="responses")
    checked = upload(client, survey, "r.xlsx", data)
    assert checked.status_code == 200 and "2 responses checked" in checked.text


def test_withdrawn_results_leave_the_public_page_cache_at_once(
        client, coordinator, settings, monkeypatch, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from cradle.core import versions

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "survey-cache-tests"}}
    cache.clear()
    monkeypatch.setattr(versions, "RECHECK_SECONDS", 0)
    versions.forget_recent()
    # Set up without signals (bulk_create): in a test's one transaction only the first
    # write's token replacement is scheduled, and it must be the withdrawal's.
    (survey,) = Survey.objects.bulk_create([Survey(
        name="Cached", year=2026, question_set_key=V1.key, question_set_version=V1.version,
        question_ids=["camhs_under_2"], questions=[V1.question("camhs_under_2").as_data()],
        public_token="cache-test-token", state=SurveyState.CLOSED, results_published=True)])
    SurveyResponse.objects.bulk_create([SurveyResponse(
        survey=survey, submitted_on="2026-11-01", source="web",
        answers={"camhs_under_2": "no"}) for _ in range(10)])
    url = reverse("surveys:public-results", kwargs={"pk": survey.pk})
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304  # cached
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.publish_results(user=coordinator, survey=survey, published=False)
    assert callbacks == [versions.bump]
    assert client.get(url).status_code == 404


def test_no_import_into_published_results(client, coordinator, survey):
    survey = actions.publish_results(user=coordinator, survey=actions.close_survey(
        user=coordinator, survey=survey))
    sign_in(client, coordinator)
    refused = upload(client, survey, "r.csv", b"camhs_under_2\nyes\n")
    assert refused.status_code == 409 and "withdraw them" in refused.text
