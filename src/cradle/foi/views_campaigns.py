"""A campaign's page: its recipients and reminders, and the forms that add, send and import."""

from __future__ import annotations

import csv
import datetime
import io

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cradle.core.forms import error_list
from cradle.jobs import actions as jobs

from . import actions, actions_answers, actions_lifecycle
from . import tasks as foi_tasks
from .bodies_csv import BodiesFileError, import_providers, mail_merge_csv
from .deadlines import HolidayDataError
from .forms import (
    AddProvidersForm,
    LetterPreviewForm,
    MarkPostedForm,
    ProvidersFileForm,
    ResponsesFileForm,
    known_area_codes,
)
from .forms_bodies import TodaysRecipientsForm
from .models import Body, BodyKind, Campaign, FoiRequest, RequestState, StructuredAnswer
from .question_data import write_answers_csv
from .report import response_rows
from .responses_csv import ResponsesFileError, parse_responses, write_responses
from .views import (
    breadcrumbs,
    campaign_slug,
    campaign_visible_to,
    csv_download,
    foi_managers_only,
    placeholder_list,
    today,
    who,
)
from .views_review import review_counts

COMMISSIONER_SCHEME = "ccg2019"


def _unsent(campaign: Campaign):
    return FoiRequest.objects.for_campaign(campaign).filter(state=RequestState.NOT_SENT)


def _gaps(campaign: Campaign, on: datetime.date) -> list[str]:
    """Each unsent letter's empty placeholders, by body ([] if none, or if the letters
    cannot be written at all: sending says why)."""
    try:
        return actions.letter_gaps(_unsent(campaign).select_related("body", "campaign"), on=on)
    except actions.FoiActionError:
        return []


def _refuse_gaps(request, campaign: Campaign, on: datetime.date, **forms):
    """The campaign page refusing to send, naming each recipient and empty placeholder; None
    when every unsent letter is complete."""
    gaps = _gaps(campaign, on)
    if not gaps:
        return None
    return campaign_page(request, campaign, status=400, problems=[
        f"Nothing was sent: {len(gaps)} letter{'s' if len(gaps) != 1 else ''} would have an "
        "empty placeholder; fix each, then send", *gaps], **forms)


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the week `day` falls in."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def _with_status(requests, on: datetime.date) -> list[dict]:
    return [{"request": r, "status": r.display_status(on)} for r in requests]


def campaign_page(request, campaign: Campaign, *, status: int = 200, problems=(), **forms):
    """The campaign page, with any bound form given in place of its empty one."""
    on = today()
    monday, sunday = week_of(on)
    requests = FoiRequest.objects.for_campaign(campaign).select_related("body")
    unsent = _unsent(campaign)
    forms = {
        "add_providers_form": AddProvidersForm(campaign=campaign, prefix="add"),
        "providers_file_form": ProvidersFileForm(prefix="providers"),
        "responses_file_form": ResponsesFileForm(prefix="responses"),
        "mark_posted_form": MarkPostedForm(prefix="posted"),
        "todays_form": TodaysRecipientsForm(campaign=campaign, on=on, prefix="todays"),
    } | forms
    bound = [form for form in forms.values() if form.is_bound]
    return render(request, "foi/campaign_detail.html", {
        "breadcrumbs": breadcrumbs(),
        "campaign": campaign,
        "today": on,
        "week": (monday, sunday),
        "rows": _with_status(requests, on),
        "unsent_count": unsent.count(),
        "unsent_with_email": unsent.exclude(body__email="").count(),
        "due_this_week": _with_status(requests.due_between(monday, sunday), on),
        "overdue": _with_status(requests.overdue(on), on),
        "long_overdue": _with_status(requests.long_overdue(on), on),
        "review": review_counts(campaign),
        **chase_rows(campaign, on),
        "letter_gaps": _gaps(campaign, on),
        "providers_available": forms["add_providers_form"].fields["providers"].queryset.exists(),
        "problems": list(problems),
        "errors": error_list(*bound) + [{"href": "#problems", "text": problem}
                                        for problem in problems],
        **forms,
    }, status=status)


def back_to_campaign(campaign: Campaign, anchor: str = ""):
    return redirect(reverse("foi:campaign-detail", args=[campaign.pk]) + anchor)


def _long(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def plural_of(count: int, word: str, many: str = "") -> str:
    """"1 letter", "2 letters"; `many` for a plural that is not the word and s."""
    return f"{count} {word if count == 1 else many or word + 's'}"


@foi_managers_only
@require_GET
def campaign_detail(request, pk: int):
    return campaign_page(request, campaign_visible_to(request, pk))


@foi_managers_only
@require_POST
def add_commissioners(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    actions.add_commissioners(scheme=COMMISSIONER_SCHEME)
    bodies = (Body.objects.filter(kind=BodyKind.COMMISSIONER, areas__scheme=COMMISSIONER_SCHEME)
              .distinct().order_by("name"))
    try:
        created = actions.add_recipients(campaign=campaign, bodies=bodies, by=who(request),
                                         on=today())
    except actions.FoiActionError as error:
        return campaign_page(request, campaign, status=400, problems=[f"No letters written: {error}"])
    messages.success(request, f"{plural_of(len(created), 'letter')} to 2019 CCGs written.")
    return back_to_campaign(campaign, "#recipients")


@foi_managers_only
@require_POST
def add_providers(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    form = AddProvidersForm(request.POST, campaign=campaign, prefix="add")
    if not form.is_valid():
        return campaign_page(request, campaign, status=400, add_providers_form=form)
    try:
        created = actions.add_recipients(campaign=campaign,
                                         bodies=form.cleaned_data["providers"],
                                         by=who(request), on=today())
    except actions.FoiActionError as error:
        return campaign_page(request, campaign, status=400, add_providers_form=form,
                     problems=[f"No letters written: {error}"])
    messages.success(request, f"{plural_of(len(created), 'letter')} to providers written.")
    return back_to_campaign(campaign, "#recipients")


@foi_managers_only
@require_POST
def import_providers_file(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    form = ProvidersFileForm(request.POST, request.FILES, prefix="providers")
    if not form.is_valid():
        return campaign_page(request, campaign, status=400, providers_file_form=form)
    text = form.cleaned_data["file"]
    try:
        counts = import_providers(text)
    except BodiesFileError as error:
        return campaign_page(request, campaign, status=400, providers_file_form=form,
                     problems=[f"Providers file not imported: {e}" for e in error.errors])
    message = (f"Providers imported: {counts['created']} new, {counts['updated']} updated.")
    if form.cleaned_data["add_to_campaign"]:
        codes = [row["ods_code"].strip() for row in csv.DictReader(io.StringIO(text))]
        try:
            created = actions.add_recipients(
                campaign=campaign,
                bodies=Body.objects.filter(ods_code__in=codes).order_by("name"),
                by=who(request), on=today())
        except actions.FoiActionError as error:
            messages.success(request, message)
            return campaign_page(request, campaign, status=400,
                         problems=[f"No letters written: {error}"])
        message += f" {plural_of(len(created), 'letter')} written."
    messages.success(request, message)
    return back_to_campaign(campaign, "#recipients")


@foi_managers_only
@require_POST
def send_by_email(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    unsent = _unsent(campaign).select_related("body", "campaign")
    if request.POST.get("scope") == "all":
        chosen = unsent.exclude(body__email="")
    else:
        chosen = unsent.filter(pk__in=[v for v in request.POST.getlist("requests")
                                       if v.isdigit()])
    chosen = list(chosen)
    if refused := _refuse_gaps(request, campaign, today()):
        return refused
    if not chosen:
        return campaign_page(request, campaign, status=400, problems=[
            "Select at least one unsent request with an email address to send"])
    # Checked here, before anything is queued, as the in-request send did: the batch then
    # runs in the background (foi/tasks.py), one letter at a time.
    for chosen_request in chosen:
        if not chosen_request.body.email:
            return campaign_page(request, campaign, status=400, problems=[
                f"Nothing was sent: {actions.no_address_problem(chosen_request.body)}"])
        try:
            # A letter that cannot be written (a refused template, no due date) is known now:
            # say so here rather than on a job page after queueing.
            actions.render_letter(chosen_request, sent_on=today())
        except actions.FoiActionError as error:
            return campaign_page(request, campaign, status=400, problems=[f"Nothing was sent: {error}"])
    job = jobs.start_job(
        kind=foi_tasks.SEND, by=request.user, subject_type="campaign", subject_id=campaign.pk,
        subject_label=campaign.name, total=len(chosen),
        params={"requests": [r.pk for r in chosen], "on": today().isoformat(),
                "by": who(request)})
    return redirect("jobs:detail", job.pk)


def chase_rows(campaign: Campaign, on: datetime.date) -> dict:
    """The overdue requests and internal reviews the campaign page offers to chase, each with
    when it was last chased and whether that was too recent (within 5 working days)."""
    def rows(items, regime_of):
        return [{"item": item, "last_chased_on": item.last_chased_on,
                 "recent": actions.recently_chased(item.last_chased_on, on, regime_of(item))}
                for item in items]

    return {
        "chase_requests": rows(actions_lifecycle.requests_to_chase(campaign, on),
                               lambda r: r.regime),
        "chase_reviews": rows(actions_lifecycle.reviews_to_chase(campaign, on),
                              lambda r: r.request.regime),
    }


def _chosen(rows: list[dict], post, name: str) -> list[dict]:
    """The rows the coordinator ticked; every row when the form offered no choice (a post
    without `chosen`, as before the lists)."""
    if "chosen" not in post:
        return rows
    ticked = {value for value in post.getlist(name) if value.isdigit()}
    return [row for row in rows if str(row["item"].pk) in ticked]


def _skipped_text(skipped: int, chosen: int) -> str:
    return (f"{skipped} of the {chosen} chosen {'was' if skipped == 1 else 'were'} skipped, "
            "having been chased within the last 5 working days")


@foi_managers_only
@require_POST
def send_reminders(request, pk: int):
    """Email a reminder to each chosen body whose response or internal review is overdue
    today, in the background; one chased within the last 5 working days is skipped."""
    campaign = campaign_visible_to(request, pk)
    on = today()
    offered = chase_rows(campaign, on)
    if not (offered["chase_requests"] or offered["chase_reviews"]):
        return campaign_page(request, campaign, status=400, problems=[
            "No request or internal review of a body with an email address is overdue today: "
            "no reminder was sent"])
    chosen = (_chosen(offered["chase_requests"], request.POST, "requests")
              + _chosen(offered["chase_reviews"], request.POST, "reviews"))
    if not chosen:
        return campaign_page(request, campaign, status=400, problems=[
            "Select at least one overdue request or internal review to chase"])
    skipped = [row for row in chosen if row["recent"]]
    if len(skipped) == len(chosen):
        return campaign_page(request, campaign, status=400, problems=[
            f"No reminder was sent: {_skipped_text(len(skipped), len(chosen))}"])
    due = [row["item"] for row in chosen if not row["recent"]]
    requests_due = [item.pk for item in due if isinstance(item, FoiRequest)]
    reviews_due = [item.pk for item in due if not isinstance(item, FoiRequest)]
    job = jobs.start_job(
        kind=foi_tasks.REMIND, by=request.user, subject_type="campaign",
        subject_id=campaign.pk, subject_label=campaign.name, total=len(due),
        params={"requests": requests_due, "reviews": reviews_due, "on": on.isoformat(),
                "by": who(request)})
    if skipped:
        messages.info(request, f"{_skipped_text(len(skipped), len(chosen))}.")
    return redirect("jobs:detail", job.pk)


@foi_managers_only
@require_GET
def letter_preview(request, pk: int):
    """A body's letter as it would be if sent today, from the campaign's template; nothing is
    sent or saved."""
    campaign = campaign_visible_to(request, pk)
    form = LetterPreviewForm(request.GET or None, campaign=campaign)
    has_recipients = form.fields["request"].queryset.exists()
    letter, chosen, problems, gaps = "", None, [], []
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data["request"]
        try:
            letter = actions.render_letter(chosen, sent_on=today())
            gaps = actions.letter_gaps([chosen], on=today())
        except actions.FoiActionError as error:
            problems.append(f"No preview: {error}")
    return render(request, "foi/letter_preview.html", {
        "breadcrumbs": breadcrumbs((campaign.name, reverse("foi:campaign-detail",
                                                           args=[campaign.pk]))),
        "campaign": campaign,
        "form": form if has_recipients else None,
        "letter": letter,
        "chosen": chosen,
        "gaps": gaps,
        "problems": problems,
        "placeholders": placeholder_list(),
        "errors": (error_list(form) if form.is_bound else [])
                  + [{"href": "#problems", "text": problem} for problem in problems],
    }, status=400 if (form.is_bound and form.errors) or problems else 200)


@foi_managers_only
@require_GET
def mail_merge_download(request, pk: int):
    """The unsent letters, written for today (nothing is saved: that happens when they are
    marked as sent)."""
    campaign = campaign_visible_to(request, pk)
    try:
        content = mail_merge_csv(_unsent(campaign), sent_on=today())
    except actions.FoiActionError as error:
        return campaign_page(request, campaign, status=400, problems=[f"No letters exported: {error}"])
    return csv_download(content, f"{campaign_slug(campaign)}-mail-merge.csv")


@foi_managers_only
@require_POST
def mark_posted(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    form = MarkPostedForm(request.POST, prefix="posted")
    if not form.is_valid():
        return campaign_page(request, campaign, status=400, mark_posted_form=form)
    unsent = list(_unsent(campaign).select_related("body", "campaign"))
    if refused := _refuse_gaps(request, campaign, form.cleaned_data["sent_on"],
                               mark_posted_form=form):
        return refused
    if not unsent:
        return campaign_page(request, campaign, status=400, mark_posted_form=form,
                     problems=["Every request has been sent already"])
    try:
        sent = actions.send_requests(requests=unsent, on=form.cleaned_data["sent_on"],
                                     by=who(request), email=False)
    except (actions.FoiActionError, HolidayDataError) as error:
        return campaign_page(request, campaign, status=400, mark_posted_form=form,
                     problems=[f"Nothing was marked as sent: {error}"])
    messages.success(request, f"{plural_of(len(sent), 'request')} marked as sent by post "
                              f"on {_long(form.cleaned_data['sent_on'])}.")
    return back_to_campaign(campaign, "#recipients")


@foi_managers_only
@require_POST
def import_responses(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    form = ResponsesFileForm(request.POST, request.FILES, prefix="responses")
    if not campaign.uses_2019_analysis:
        return campaign_page(request, campaign, status=400, responses_file_form=form, problems=[
            "Responses file not imported: importing is for the 2019 questions; record each "
            "body's answers to this campaign's questions on its request's page"])
    if not form.is_valid():
        return campaign_page(request, campaign, status=400, responses_file_form=form)
    try:
        parsed = parse_responses(form.cleaned_data["file"], known_area_codes())
    except ResponsesFileError as error:
        return campaign_page(request, campaign, status=400, responses_file_form=form,
                     problems=[f"Responses file not imported: {e}" for e in error.errors])
    try:
        count = actions_answers.import_responses(
            campaign=campaign, rows=list(parsed.rows), by=who(request),
            confirmation_note=form.cleaned_data["confirmation_note"])
    except actions.FoiActionError as error:
        problems = ([f"Responses file not imported: {warning}" for warning in parsed.warnings]
                    + ["If these rows are as the bodies sent them, say why in the confirmation "
                       "note and import the file again"]
                    if isinstance(error, actions_answers.NeedsConfirmation)
                    else [f"Responses file not imported: {problem}"
                          for problem in getattr(error, "problems", [str(error)])])
        return campaign_page(request, campaign, status=400, responses_file_form=form,
                             problems=problems)
    messages.success(request, f"{plural_of(count, 'response row')} imported. Another "
                              "coordinator must check them before they count in any figure.")
    return back_to_campaign(campaign, "#responses")


@foi_managers_only
@require_GET
def responses_download(request, pk: int):
    campaign = campaign_visible_to(request, pk)
    if campaign.uses_2019_analysis:
        content = write_responses(response_rows(campaign))
    else:
        answers = (StructuredAnswer.objects.for_campaign(campaign).checked()
                   .select_related("request__body").order_by("id"))
        content = write_answers_csv(campaign.typed_questions, [
            (a.request.body.ods_code, a.request.body.respondent_type, a.received_on,
             a.answers, a.comment) for a in answers])
    return csv_download(content, f"{campaign_slug(campaign)}-responses.csv")
