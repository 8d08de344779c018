"""Cradle's admin site (installed in place of Django's default one, admin_app.py).

- **A verified second factor.** The admin has no sign-in of its own: /admin/login/ sends people
  to Cradle's sign-in (throttled, then the second factor) or, signed in with a password only,
  to the second-factor step. A session without a verified second factor never reaches a page.
- **The audit log.** Every ModelAdmin registered here is given `AuditedAdmin`, so each add,
  change and delete (inline rows included) is written to the audit chain, in the same
  transaction as the change, with the names of the fields changed and never their values.
  Every POST to the admin runs in one transaction, so a failed write leaves neither.
- **Only what coordinators need**: Cradle's own models (the register, FOI bodies, requests and
  campaigns, users and reference areas to look up). Third-party apps' admin pages (auth groups,
  django-otp's raw devices and codes) are not registered, nor is the audit log, which is read
  on its own audited pages at /audit/.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from cradle.audit import recorder
from cradle.audit.models import Action

from . import two_factor
from .access import two_factor_url

#: Models kept out of the admin although they are Cradle's own.
NOT_IN_ADMIN = {"audit.auditentry"}  # read at /audit/, where reads are audited
#: Form fields that stand for a model field of another name.
FORM_FIELD_NAMES = {"password1": "password", "password2": "password",
                    "usable_password": "password", "set_usable_password": "password"}


def is_cradle_model(model) -> bool:
    return (model.__module__.startswith("cradle.")
            and model._meta.label_lower not in NOT_IN_ADMIN)


def field_names(form, names) -> list[str]:
    """Model field names (never labels or values) for the form fields named."""
    model = form._meta.model if hasattr(form, "_meta") else None
    known = ({f.name for f in model._meta.get_fields()} if model is not None else set())
    result = []
    for name in names:
        name = FORM_FIELD_NAMES.get(name, name)
        if (name in known or name == "password") and name not in result:
            result.append(name)
    return result


def admin_events(form, formsets, add: bool, obj) -> list[recorder.Event]:
    """What an admin save changed: the object, then each inline row added, changed or deleted."""
    events = [recorder.event_for(obj, Action.CREATE if add else Action.CHANGE,
                                 field_names(form, form.changed_data), note="admin")]
    for formset in formsets or ():
        template = formset.forms[0] if formset.forms else formset.empty_form
        for new in formset.new_objects:
            changed = next((f.changed_data for f in formset.forms if f.instance is new), [])
            events.append(recorder.event_for(new, Action.CREATE,
                                             field_names(template, changed), note="admin"))
        for changed_object, changed in formset.changed_objects:
            events.append(recorder.event_for(changed_object, Action.CHANGE,
                                             field_names(template, changed), note="admin"))
        for deleted in formset.deleted_objects:
            events.append(recorder.Event(Action.DELETE, deleted._meta.label_lower,
                                         deleted.pk, (), "admin"))
    return events


class AuditedAdmin:
    """Writes the admin's changes to the audit chain (mixed in by CradleAdminSite.register)."""

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        request.cradle_admin_changes = (form, formsets, add)
        return message

    def _record_save(self, request, obj):
        form, formsets, add = getattr(request, "cradle_admin_changes", (None, None, False))
        events = (admin_events(form, formsets, add, obj) if form is not None
                  else [recorder.event_for(obj, Action.CHANGE, note="admin")])
        recorder.record_many(request.user, events, request=request)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._record_save(request, obj)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._record_save(request, obj)
        return entry

    def _record_deletions(self, request, objects):
        recorder.record_many(request.user, [
            recorder.Event(Action.DELETE, obj._meta.label_lower, obj.pk, (), "admin")
            for obj in objects], request=request)

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._record_deletions(request, [obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            self._record_deletions(request, list(queryset))
            super().delete_queryset(request, queryset)


class CradleAdminSite(admin.AdminSite):
    site_header = "Cradle administration"
    site_title = "Cradle administration"
    index_title = "The register, FOI and users"

    def has_permission(self, request):
        return super().has_permission(request) and two_factor.is_verified(request.user)

    def register(self, model_or_iterable, admin_class=None, **options):
        models = ([model_or_iterable] if isinstance(model_or_iterable, type)
                  else list(model_or_iterable))
        admin_class = admin_class or admin.ModelAdmin
        audited = type(f"Audited{admin_class.__name__}", (AuditedAdmin, admin_class), {})
        for model in models:
            if is_cradle_model(model):
                super().register(model, audited, **options)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def in_one_transaction(request, *args, **kwargs):
            if request.method == "POST":
                with transaction.atomic():
                    return inner(request, *args, **kwargs)
            return inner(request, *args, **kwargs)

        return in_one_transaction

    def password_change(self, request, extra_context=None):
        """One place to change a password: the account page's (which needs the second
        factor too, and signs the other sessions out)."""
        return redirect("accounts:password-change")

    def login(self, request, extra_context=None):
        """No password form here: Cradle's sign-in, then the second factor, then back."""
        next_page = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_page, allowed_hosts={request.get_host()}):
            next_page = ""
        next_page = next_page or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_page, settings.LOGIN_URL)
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not two_factor.is_verified(user):
            return redirect(two_factor_url(next_page))
        return redirect(next_page)
