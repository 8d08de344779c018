"""FOI campaign pages: the campaign list and new-campaign form, and what every FOI view shares.

Every page is for staff only for now (accounts and roles come later); anyone else is sent to
the admin login. The campaign page is in views_campaigns.py, a request's page in
views_requests.py and the report in views_report.py.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cradle.accounts.access import require_permission
from cradle.accounts.permissions import Permission
from cradle.core.forms import error_list
from cradle.core.submissions import earlier_submission, save_once

from . import actions
from .forms import COPY, CampaignForm
from .letters import PLACEHOLDERS, placeholder
from .models import Campaign, RequestState

__all__ = ["campaign_list", "campaign_new", "foi_managers_only", "who", "today", "breadcrumbs",
           "csv_download", "placeholder_list"]

# FOI campaigns are the coordinators' work (Permission.FOI_MANAGE).
foi_managers_only = require_permission(Permission.FOI_MANAGE)


def who(request) -> str:
    """How a user is named in a request's history."""
    user = request.user
    return user.get_username() if user.is_authenticated else ""


def today() -> datetime.date:
    return timezone.localdate()


def breadcrumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    items = [("Home", reverse("core:home")), ("FOI campaigns", reverse("foi:campaign-list")),
             *extra]
    return [{"text": text, "href": href} for text, href in items]


def placeholder_list() -> list[tuple[str, str]]:
    """The letter placeholders with what each becomes, for the pages that explain them."""
    return [(placeholder(name), meaning) for name, meaning in PLACEHOLDERS.items()]


def csv_download(content: str | bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def campaign_slug(campaign: Campaign) -> str:
    from django.utils.text import slugify

    return slugify(campaign.name) or f"campaign-{campaign.pk}"


@foi_managers_only
@require_http_methods(["GET"])
def campaign_list(request):
    campaigns = Campaign.objects.visible_to(request.user).annotate(
        recipients=Count("requests"),
        sent=Count("requests", filter=~Q(requests__state=RequestState.NOT_SENT)),
        answered=Count("requests", filter=Q(requests__state__in=[
            RequestState.ANSWERED, RequestState.PARTIALLY_ANSWERED])),
    )
    return render(request, "foi/campaign_list.html", {
        "breadcrumbs": breadcrumbs()[:1],
        "campaigns": campaigns,
    })


@foi_managers_only
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST":
        # Checked before the form, which would refuse the repeat for its name (taken by itself).
        if earlier := earlier_submission(request, kind="foi.campaign"):
            return _campaign_already_saved(request, earlier)
        if form.is_valid():
            try:
                saved = save_once(request, kind="foi.campaign",
                                  write=lambda: actions.create_campaign(**form.campaign_kwargs()))
            except actions.FoiActionError as error:
                form.add_error(None, str(error))
            else:
                if saved.already_saved:
                    return _campaign_already_saved(request, saved)
                messages.success(request, f"Campaign “{form.cleaned_data['name']}” created. "
                                          "Add the bodies to ask.")
                if form.cleaned_data["question_set"].startswith(COPY):
                    return redirect("foi:questions", saved.object_id)
                return redirect("foi:campaign-detail", saved.object_id)
    return render(request, "foi/campaign_new.html", {
        "breadcrumbs": breadcrumbs(),
        "form": form,
        "placeholders": placeholder_list(),
        "errors": error_list(form) if form.is_bound else [],
    }, status=400 if form.is_bound else 200)


def _campaign_already_saved(request, saved):
    messages.info(request, "This campaign was already saved: it was not created again.")
    if saved.object_id is None:
        return redirect("foi:campaign-list")
    return redirect("foi:campaign-detail", saved.object_id)


def campaign_visible_to(request, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
