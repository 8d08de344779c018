"""Today's FOI bodies: the list, a body's page (areas, dates, FOI address, WhatDoTheyKnow
route, CAMHS records, a trust's served areas) and the forms that change them; a campaign's recipients by type or CAMHS
record. Thin: the writes are in actions_bodies.py."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cradle.core.forms import error_list

from . import actions, actions_bodies
from .forms_bodies import (
    TODAYS_TYPES,
    CamhsProvisionForm,
    FoiAddressForm,
    TodaysRecipientsForm,
    TrustAreasForm,
)
from .models import Body, BodyKind, BodyType
from .views import breadcrumbs, campaign_visible_to, foi_managers_only, today, who


def _bodies_crumbs(*extra):
    return breadcrumbs(("Bodies", reverse("foi:body-list")), *extra)


@foi_managers_only
@require_GET
def body_list(request):
    chosen = request.GET.get("type", "")
    bodies = Body.objects.todays().prefetch_related("camhs_records")
    if chosen in dict(TODAYS_TYPES):
        bodies = bodies.of_type(chosen)
    else:
        chosen = ""
    return render(request, "foi/body_list.html", {
        "breadcrumbs": breadcrumbs(), "bodies": bodies, "types": TODAYS_TYPES,
        "chosen": chosen, "today": today(),
        "in_force": set(Body.objects.todays().in_force_on(today()).values_list("pk", flat=True)),
    })


def _body_page(request, body: Body, *, status=200, **forms):
    forms = {
        "address_form": FoiAddressForm(prefix="address", initial={
            "email": body.email, "source": body.email_source,
            "checked_on": body.email_checked_on}),
        "camhs_form": CamhsProvisionForm(prefix="camhs"),
        "areas_form": TrustAreasForm(prefix="areas", initial={"areas": body.areas.all()}),
    } | forms
    return render(request, "foi/body_detail.html", {
        "breadcrumbs": _bodies_crumbs(),
        "body": body,
        "areas": body.areas.order_by("scheme", "name"),
        "camhs_records": body.camhs_records.all(),
        "is_trust": body.body_type == BodyType.NHS_TRUST,
        "is_provider": body.kind == BodyKind.PROVIDER,
        "area_records": body.area_records.prefetch_related("areas"),
        "errors": error_list(*[form for form in forms.values() if form.is_bound]),
        **forms,
    }, status=status)


@foi_managers_only
@require_GET
def body_detail(request, pk: int):
    return _body_page(request, get_object_or_404(Body, pk=pk))


@foi_managers_only
@require_POST
def change_foi_address(request, pk: int):
    body = get_object_or_404(Body, pk=pk)
    form = FoiAddressForm(request.POST, prefix="address")
    if not form.is_valid():
        return _body_page(request, body, status=400, address_form=form)
    data = form.cleaned_data
    actions_bodies.change_foi_address(body=body, email=data["email"], source=data["source"],
                                      checked_on=data["checked_on"], by=who(request))
    messages.success(request, "FOI address saved.")
    return redirect(reverse("foi:body-detail", args=[body.pk]) + "#foi-address")


@foi_managers_only
@require_POST
def record_camhs(request, pk: int):
    body = get_object_or_404(Body, pk=pk, body_type=BodyType.NHS_TRUST)
    form = CamhsProvisionForm(request.POST, prefix="camhs")
    if not form.is_valid():
        return _body_page(request, body, status=400, camhs_form=form)
    try:
        actions_bodies.record_camhs_provision(body=body, by=who(request), **form.cleaned_data)
    except actions.FoiActionError as error:
        form.add_error(None, str(error))
        return _body_page(request, body, status=400, camhs_form=form)
    messages.success(request, "CAMHS record saved.")
    return redirect(reverse("foi:body-detail", args=[body.pk]) + "#camhs")


@foi_managers_only
@require_POST
def record_trust_areas(request, pk: int):
    body = get_object_or_404(Body, pk=pk, kind=BodyKind.PROVIDER)
    form = TrustAreasForm(request.POST, prefix="areas")
    if not form.is_valid():
        return _body_page(request, body, status=400, areas_form=form)
    try:
        actions_bodies.record_trust_areas(body=body, by=who(request), **form.cleaned_data)
    except actions.FoiActionError as error:
        form.add_error(None, str(error))
        return _body_page(request, body, status=400, areas_form=form)
    messages.success(request, "The areas the trust serves are recorded.")
    return redirect(reverse("foi:body-detail", args=[body.pk]) + "#served-areas")


@foi_managers_only
@require_POST
def add_todays_bodies(request, pk: int):
    """Ask bodies of today: every CAMHS provider on record, every body of some types, or a
    chosen list (their union), each once."""
    from .views_campaigns import back_to_campaign, campaign_page, plural_of

    campaign = campaign_visible_to(request, pk)
    on = today()
    form = TodaysRecipientsForm(request.POST, campaign=campaign, on=on, prefix="todays")
    if not form.is_valid():
        return campaign_page(request, campaign, status=400, todays_form=form)
    try:
        created = actions.add_recipients(campaign=campaign, bodies=form.chosen_bodies(on),
                                         by=who(request), on=on)
    except actions.FoiActionError as error:
        return campaign_page(request, campaign, status=400, todays_form=form,
                     problems=[f"No letters written: {error}"])
    messages.success(request, f"{plural_of(len(created), 'letter')} to today's bodies written.")
    return back_to_campaign(campaign, "#recipients")
