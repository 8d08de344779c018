"""A team's self-reviews: start one, rate each standard, attach evidence, see what is missing.

Views are thin: writes go through `actions` (one transaction each, audited), reads through
`Review.objects.visible_to(user)`: the team's own managers (quality_review) and network
coordinators. Anyone else's review, and every file of it, is a 404, never public.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cradle.accounts.access import require_permission
from cradle.accounts.permissions import Permission
from cradle.accounts.views import breadcrumbs as home_breadcrumbs
from cradle.core.forms import error_list
from cradle.directory.models import Service

from . import actions, auto_evidence, evidence_store, file_checks, standards
from .forms import FileForm, LinkForm, RatingForm, StartForm
from .models import EvidenceFile, EvidenceLink, Review, Standard, StandardRating

reviewers_only = require_permission(Permission.QUALITY_REVIEW)


def breadcrumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    return home_breadcrumbs(("Quality self-reviews", reverse("quality:home")), *extra)


def _review_for(user, review_pk: int) -> Review:
    review = (Review.objects.visible_to(user).select_related("team", "standards_set")
              .filter(pk=review_pk).first())
    if review is None:
        raise Http404("No such review")
    return review


def _standard_of(review: Review, standard_pk: int) -> Standard:
    return get_object_or_404(Standard.objects.select_related("domain"), pk=standard_pk,
                             standards_set=review.standards_set)


@reviewers_only
@require_GET
def home(request):
    user = request.user
    teams = list(Service.objects.filter(pk__in=user.team_ids(Permission.QUALITY_REVIEW))
                 .order_by("name"))
    reviews = Review.objects.visible_to(user).select_related("team", "standards_set")
    return render(request, "quality/home.html", {
        "breadcrumbs": home_breadcrumbs(), "teams": [
            {"team": team, "in_progress": reviews.filter(team=team, state="in_progress")
             .first(), "form": StartForm(prefix=f"team-{team.pk}")} for team in teams],
        "reviews": reviews, "current_set": standards.current_set(),
        "can_edit_standards": user.has_cradle_permission(Permission.STANDARDS_EDIT)})


@reviewers_only
@require_POST
def start(request, service_pk: int):
    if service_pk not in request.user.team_ids(Permission.QUALITY_REVIEW):
        raise Http404("No such team")
    team = get_object_or_404(Service, pk=service_pk)
    form = StartForm(request.POST, prefix=f"team-{team.pk}")
    current = standards.current_set()
    if not form.is_valid() or current is None:
        messages.error(request, "Choose a route." if current else
                       "No standards are published yet: a network coordinator publishes them.")
        return redirect("quality:home")
    try:
        review = actions.start_review(user=request.user, team=team,
                                      route=form.cleaned_data["route"], standards_set=current)
    except actions.ReviewError as error:
        messages.error(request, str(error))
        return redirect("quality:home")
    messages.success(request, f"Self-review started on {current}.")
    return redirect("quality:review", review_pk=review.pk)


def _ratings(review: Review) -> dict[int, StandardRating]:
    return {row.standard_id: row for row in review.ratings.all()}


@reviewers_only
@require_GET
def review(request, review_pk: int):
    review = _review_for(request.user, review_pk)
    all_standards = list(review.standards_set.standards.select_related("domain")
                         .order_by("domain__position", "position"))
    ratings = _ratings(review)
    files, links = {}, {}
    for row in review.files.all():
        files.setdefault(row.standard_id, []).append(row)
    for row in review.links.all():
        links.setdefault(row.standard_id, []).append(row)
    automatic = auto_evidence.evidence_for(
        review.team, [s.auto_source for s in all_standards if s.auto_source],
        timezone.localdate())
    domains: dict[int, dict] = {}
    for standard in all_standards:
        domain = domains.setdefault(standard.domain_id, {"domain": standard.domain, "rows": []})
        domain["rows"].append({
            "standard": standard, "rating": ratings.get(standard.pk),
            "evidence": len(files.get(standard.pk, [])) + len(links.get(standard.pk, [])),
            "auto": automatic.get(standard.auto_source)})
    return render(request, "quality/review.html", {
        "breadcrumbs": breadcrumbs(), "review": review, "domains": list(domains.values()),
        "assessment": actions.assessment(review),
        "can_edit": actions.may_edit(request.user, review)})


def _standard_page(request, review: Review, standard: Standard, *, rating_form=None,
                   file_form=None, link_form=None, status=200):
    existing = StandardRating.objects.filter(review=review, standard=standard).first()
    can_edit = actions.may_edit(request.user, review)
    if rating_form is None and can_edit:
        rating_form = RatingForm(initial={"rating": existing.rating, "reason": existing.reason,
                                          "note": existing.note} if existing else None)
    return render(request, "quality/standard.html", {
        "breadcrumbs": breadcrumbs((f"{review.team.name}: self-review",
                                    reverse("quality:review", args=[review.pk]))),
        "review": review, "standard": standard, "rating": existing, "can_edit": can_edit,
        "rating_form": rating_form if can_edit else None,
        "file_form": (file_form or FileForm()) if can_edit else None,
        "link_form": (link_form or LinkForm()) if can_edit else None,
        "errors": error_list(*(f for f in (rating_form, file_form, link_form)
                               if f is not None and f.is_bound)),
        "files": review.files.filter(standard=standard),
        "links": review.links.filter(standard=standard),
        "auto": auto_evidence.evidence_for(review.team, [standard.auto_source],
                                           timezone.localdate()).get(standard.auto_source),
        "assessment": actions.assessment(review),
        "max_size": file_checks.megabytes(evidence_store.max_bytes()),
        "accept": ",".join(f".{ext}" for ext in file_checks.ACCEPTED)}, status=status)


def _editable(request, review: Review) -> None:
    if not actions.may_edit(request.user, review):
        raise PermissionDenied("Only the team's managers change its self-review, while it is "
                               "in progress")


@reviewers_only
@require_http_methods(["GET", "POST"])
def standard(request, review_pk: int, standard_pk: int):
    review = _review_for(request.user, review_pk)
    standard = _standard_of(review, standard_pk)
    if request.method == "GET":
        return _standard_page(request, review, standard)
    _editable(request, review)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            actions.rate(user=request.user, review=review, standard=standard,
                         rating=form.cleaned_data["rating"], reason=form.cleaned_data["reason"],
                         note=form.cleaned_data["note"])
        except actions.ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Standard {standard.code} rated.")
            return redirect(reverse("quality:review", args=[review.pk])
                            + f"#standard-{standard.pk}")
    return _standard_page(request, review, standard, rating_form=form, status=400)


@reviewers_only
@require_POST
def add_file(request, review_pk: int, standard_pk: int):
    review = _review_for(request.user, review_pk)
    standard = _standard_of(review, standard_pk)
    _editable(request, review)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        limit = evidence_store.max_bytes()
        try:
            if upload.size > limit:  # refused before reading it all
                raise actions.ReviewError(f"The file is {file_checks.megabytes(upload.size)}: "
                                          f"the limit is {file_checks.megabytes(limit)}")
            actions.add_file(user=request.user, review=review, standard=standard,
                             filename=upload.name, data=upload.read())
        except actions.ReviewError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, "Document added.")
            return redirect("quality:review-standard", review_pk=review.pk,
                            standard_pk=standard.pk)
    return _standard_page(request, review, standard, file_form=form, status=400)


@reviewers_only
@require_POST
def add_link(request, review_pk: int, standard_pk: int):
    review = _review_for(request.user, review_pk)
    standard = _standard_of(review, standard_pk)
    _editable(request, review)
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            actions.add_link(user=request.user, review=review, standard=standard,
                             path=form.cleaned_data["path"], label=form.cleaned_data["label"])
        except actions.ReviewError as error:
            form.add_error("path", str(error))
        else:
            messages.success(request, "Link added.")
            return redirect("quality:review-standard", review_pk=review.pk,
                            standard_pk=standard.pk)
    return _standard_page(request, review, standard, link_form=form, status=400)


@reviewers_only
@require_POST
def submit(request, review_pk: int):
    review = _review_for(request.user, review_pk)
    _editable(request, review)
    actions.submit(user=request.user, review=review)
    messages.success(request, "Self-review submitted. It can no longer change.")
    return redirect("quality:review", review_pk=review.pk)


def _file_for(user, file_pk: int) -> EvidenceFile:
    return get_object_or_404(EvidenceFile.objects.select_related("review").filter(
        review__in=Review.objects.visible_to(user)), pk=file_pk)


@reviewers_only
@require_GET
def download(request, file_pk: int):
    evidence = _file_for(request.user, file_pk)
    # Always a download, typed by the allow-list (never the uploader's word), never sniffed
    # and never shown inside Cradle's pages.
    response = HttpResponse(actions.file_content(user=request.user, evidence=evidence),
                            content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(True, evidence.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@reviewers_only
@require_POST
def remove_file(request, file_pk: int):
    evidence = _file_for(request.user, file_pk)
    _editable(request, evidence.review)
    actions.remove_evidence(user=request.user, evidence=evidence)
    messages.success(request, "Document removed.")
    return redirect("quality:review-standard", review_pk=evidence.review_id,
                    standard_pk=evidence.standard_id)


@reviewers_only
@require_POST
def remove_link(request, link_pk: int):
    evidence = get_object_or_404(EvidenceLink.objects.select_related("review").filter(
        review__in=Review.objects.visible_to(request.user)), pk=link_pk)
    _editable(request, evidence.review)
    actions.remove_evidence(user=request.user, evidence=evidence)
    messages.success(request, "Link removed.")
    return redirect("quality:review-standard", review_pk=evidence.review_id,
                    standard_pk=evidence.standard_id)
