"""Account pages: signing in and out, the second factor, passwords and invitations.

Every view declares who may use it (`public`, `signed_in` or `require_permission`, from
access.py), outermost, so that a test walking the URLs can read it.
"""

from __future__ import annotations

from importlib import import_module

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from . import invitations, sign_in_delay, sign_in_throttle, two_factor
from .access import (
    is_verified,
    public,
    require_permission,
    second_factor_first,
    signed_in,
    two_factor_url,
)
from .forms import (
    AcceptInvitationForm,
    CodeForm,
    InvitationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInForm,
    error_list,
)
from .models import Invitation
from .permissions import ROLES, Permission

PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def breadcrumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    items = [("Home", reverse("core:home")), *extra]
    return [{"text": text, "href": href} for text, href in items]


def account_breadcrumbs() -> list[dict[str, str]]:
    return breadcrumbs(("Your account", reverse("accounts:account")))


def next_url(request) -> str:
    """The page to go on to (`next`), if it is on this site; otherwise the account page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: a bare word ("0", "abc") would be taken for a URL name.
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        if not candidate.startswith(settings.TWO_FACTOR_URL):
            return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class FormErrorsMixin:
    """Adds `errors` (the NHS.UK error summary's list) to a form view's context."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["errors"] = error_list(form) if form is not None and form.is_bound else []
        context.setdefault("breadcrumbs", breadcrumbs())
        return context


# Signing in and out ------------------------------------------------------------------------

class SignInView(FormErrorsMixin, auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm

    def post(self, request, *args, **kwargs):
        """Each try is counted against the account before the password is checked
        (sign_in_throttle); while the count must wait, the password is not even looked at."""
        email = (request.POST.get("username") or "").strip().lower()
        self.throttle_key = sign_in_throttle.key_for(request, email) if email else None
        if self.throttle_key:
            try:
                sign_in_throttle.claim_attempt(self.throttle_key)
            except sign_in_throttle.TooManyFailures as refused:
                return locked_out(request, refused.retry_at)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        sign_in_throttle.clear(self.throttle_key)
        sign_in_throttle.remember_browser(response, form.get_user().email)
        return response

    def get_success_url(self):
        """After the password, the second factor for anyone whose roles need it, or who has
        set one up; then the page they asked for."""
        url = super().get_success_url()
        if two_factor.must_verify(self.request.user):
            return two_factor_url(url)
        return url


sign_in = public(SignInView.as_view())


def locked_out(request, retry_at):
    """Too many failed sign-ins: when to try again, and nothing about whether the account
    exists (an unknown address is counted and refused the same way)."""
    minutes = sign_in_delay.minutes_to_wait(retry_at, timezone.now())
    wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return render(request, "accounts/locked_out.html",
                  {"wait": wait, "breadcrumbs": breadcrumbs()}, status=429)


sign_out = public(auth_views.LogoutView.as_view())


def end_sessions_of(user) -> int:
    """End every stored session signed in as `user`. Needs a database-backed session engine
    (db or cached_db, whose cached copies go too); fine at Cradle's scale."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    rows = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    for key, data in rows.values_list("session_key", "session_data").iterator():
        if store().decode(data).get(SESSION_KEY) == str(user.pk):
            store(session_key=key).delete()
            ended += 1
    return ended


@signed_in
@require_POST
@second_factor_first
def sign_out_everywhere(request):
    end_sessions_of(request.user)
    auth_logout(request)
    messages.success(request, "You have been signed out on every device and browser")
    return redirect("accounts:login")


# The account page --------------------------------------------------------------------------

@signed_in
@require_http_methods(["GET"])
def account(request):
    user = request.user
    keys = user.role_keys()
    return render(request, "accounts/account.html", {
        "breadcrumbs": breadcrumbs(),
        "roles": [role for key, role in ROLES.items() if key in keys],
        "memberships": user.team_memberships.select_related("service")
                           .order_by("service__name"),
        "areas": [c.area for c in user.commissioner_areas.select_related("area")
                  .order_by("area__scheme", "area__name")],
        "needs_two_factor": user.needs_two_factor(),
        "has_two_factor": two_factor.has_second_factor(user),
        "verified": is_verified(user),
        "recovery_codes_left": two_factor.recovery_codes_left(user),
        "can_invite": user.has_cradle_permission(Permission.USER_MANAGE),
        "two_factor_url": two_factor_url(reverse("accounts:account")),
        "session_minutes": settings.SESSION_COOKIE_AGE // 60,
    })


# The second factor -------------------------------------------------------------------------

def _verified(request, device) -> None:
    request.session.cycle_key()  # a new session id once the second factor is done
    django_otp.login(request, device)


@signed_in
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_step(request):
    """Set up an authenticator app (no confirmed one yet), or enter a code from it."""
    user = request.user
    go_to = next_url(request)
    if is_verified(user):
        return redirect(go_to)
    form = CodeForm(request.POST or None)
    device = two_factor.confirmed_app(user)
    if device is None:
        device = two_factor.pending_app(user)
        if request.method == "POST" and form.is_valid():
            try:
                codes = two_factor.confirm_app(device, form.cleaned_data["code"])
            except two_factor.CodeRefused as refused:
                form.add_error("code", str(refused))
            else:
                _verified(request, device)
                return render(request, "accounts/recovery_codes.html", {
                    "codes": codes, "next_url": go_to, "first_time": True})
        return render(request, "accounts/two_factor.html", {
            "step": "setup", "form": form, "errors": error_list(form), "next_url": go_to,
            "qr_code": two_factor.qr_data_uri(device.config_url),
            "secret": two_factor.secret_text(device),
        })
    if request.method == "POST" and form.is_valid():
        try:
            result = two_factor.verify(user, form.cleaned_data["code"])
        except two_factor.CodeRefused as refused:
            form.add_error("code", str(refused))
        else:
            _verified(request, result.device)
            if result.recovery_code_used:
                left = two_factor.recovery_codes_left(user)
                messages.warning(request, f"You used a recovery code: you have {left} left. "
                                 "Make new ones from your account page if you need them.")
            return redirect(go_to)
    return render(request, "accounts/two_factor.html", {
        "step": "verify", "form": form, "errors": error_list(form), "next_url": go_to})


@signed_in
@never_cache
@require_POST
@second_factor_first
def new_recovery_codes(request):
    """Replace the recovery codes (after the second factor) and show the new ones once."""
    if not (is_verified(request.user) and two_factor.has_second_factor(request.user)):
        return redirect(two_factor_url(reverse("accounts:account")))
    codes = two_factor.new_recovery_codes(request.user)
    return render(request, "accounts/recovery_codes.html", {
        "codes": codes, "next_url": reverse("accounts:account"), "first_time": False})


# Passwords ---------------------------------------------------------------------------------

class PasswordResetView(FormErrorsMixin, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetDoneView(FormErrorsMixin, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(FormErrorsMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever can read the account's email may sign in again straight away.
        sign_in_throttle.forget_account(self.user.email)
        return response


class PasswordResetCompleteView(FormErrorsMixin, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(FormErrorsMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:account")

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=account_breadcrumbs(), **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed. You have been signed "
                                       "out everywhere else.")
        return response


password_reset = public(PasswordResetView.as_view())
password_reset_done = public(PasswordResetDoneView.as_view())
password_reset_confirm = public(PasswordResetConfirmView.as_view())
password_reset_complete = public(PasswordResetCompleteView.as_view())
password_change = signed_in(second_factor_first(PasswordChangeView.as_view()))


# Invitations -------------------------------------------------------------------------------

@require_permission(Permission.USER_MANAGE)
@require_http_methods(["GET", "POST"])
def invitation_list(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitations.invite(
                email=data["email"], role=data["role"], service=data["service"],
                areas=data["areas"], invited_by=request.user,
                accept_url=lambda token: request.build_absolute_uri(
                    reverse("accounts:accept-invitation", args=[token])))
        except invitations.InvitationError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"Invitation sent to {invitation.email}")
            return redirect("accounts:invitations")
    now = timezone.now()
    rows = Invitation.objects.select_related("service", "invited_by")[:200]
    return render(request, "accounts/invitations.html", {
        "breadcrumbs": account_breadcrumbs(),
        "form": form, "errors": error_list(form),
        "invitations": [{"invitation": i, "status": i.status(now)} for i in rows],
    })


@public
@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    invitation = invitations.find_invitation(token)
    problem = invitations.refusal(invitation)
    if problem:
        return render(request, "accounts/invitation_refused.html",
                      {"problem": problem, "breadcrumbs": breadcrumbs()},
                      status=404 if invitation is None else 410)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept(token, form.cleaned_data["new_password1"])
        except invitations.InvitationError as refused:
            return render(request, "accounts/invitation_refused.html",
                          {"problem": str(refused), "breadcrumbs": breadcrumbs()}, status=410)
        auth_login(request, user, backend=PASSWORD_BACKEND)
        messages.success(request, "Your account has been created.")
        if user.needs_two_factor():
            return redirect(two_factor_url(reverse("accounts:account")))
        return redirect("accounts:account")
    return render(request, "accounts/accept_invitation.html", {
        "breadcrumbs": breadcrumbs(), "invitation": invitation, "form": form,
        "errors": error_list(form)})

