"""Forms for signing in, the second factor, passwords and invitations (NHS.UK wording)."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import forms as auth_forms

from cradle.directory.models import Service
from cradle.geography.models import Area

from .models import User
from .permissions import ROLES, TEAM_ROLES

EMAIL_ERRORS = {
    "required": "Enter your email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
}


def error_list(*forms_) -> list[dict[str, str]]:
    """Every error of the forms, as the NHS.UK error summary's links to the fields at fault."""
    items = []
    for form in forms_:
        if form is None:
            continue
        # An error of the whole form (a wrong email and password) links to its first field.
        first = next(iter(form), None)
        for error in form.non_field_errors():
            items.append({"href": f"#{first.auto_id if first else 'maincontent'}",
                          "text": error})
        for name, errors in form.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                continue
            field = form[name]
            anchor = field.auto_id
            if field.widget_type in {"radioselect", "checkboxselectmultiple"}:
                anchor += "_0"
            items.extend({"href": f"#{anchor}", "text": error} for error in errors)
    return items


PASSWORD_HINT = ("At least 12 characters. Not a common password, not only numbers, and not "
                 "like your email address. A few unrelated words make a good one.")


def _password_input(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": autocomplete})


# Signing in --------------------------------------------------------------------------------

class SignInForm(auth_forms.AuthenticationForm):
    """Email and password. The email field is named `username`, as Django's sign-in form has
    it; failed attempts are counted per account by sign_in_throttle."""

    username = forms.EmailField(label="Email address", error_messages=EMAIL_ERRORS,
                                widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label="Password", strip=False,
                               widget=_password_input("current-password"),
                               error_messages={"required": "Enter your password"})
    error_messages = {
        # The same for a wrong password, an unknown address and a deactivated account.
        "invalid_login": "Enter a correct email address and password",
        "inactive": "Enter a correct email address and password",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code", max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                      "spellcheck": "false"}),
        error_messages={"required": "Enter the code from your authenticator app"})


# Passwords ---------------------------------------------------------------------------------

class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(label="Email address", max_length=254, error_messages=EMAIL_ERRORS,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class NewPasswordMixin:
    """NHS.UK wording for a new password and its confirmation (validators still apply)."""

    def _word(self):
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = PASSWORD_HINT
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.error_messages = {**self.error_messages,
                               "password_mismatch": "The two passwords do not match"}
        self.fields["new_password2"].help_text = ""
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"

    def clean(self):
        # As Django's, but a validator's complaint is shown at the new password itself.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class SetPasswordForm(NewPasswordMixin, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._word()


class PasswordChangeForm(NewPasswordMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._word()
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.error_messages = {**self.error_messages,
                               "password_incorrect": "Your current password is not right"}


class AcceptInvitationForm(SetPasswordForm):
    """A password for the invitee's new account, checked against an unsaved user with the
    invited address (the similarity validator compares them)."""

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(User(email=email), *args, **kwargs)
        self.fields["new_password1"].label = "Create a password"
        self.fields["new_password2"].label = "Confirm your password"


# Invitations -------------------------------------------------------------------------------

AREA_SEPARATORS = re.compile(r"[\s,;]+")


def parse_areas(text: str) -> tuple[list[Area], list[str]]:
    """Areas named as SCHEME:CODE (e.g. ccg2019:E38000001), or by a code only one area has.
    Returns the areas found and the names that matched none (or more than one)."""
    found: list[Area] = []
    unknown: list[str] = []
    for item in AREA_SEPARATORS.split(text or ""):
        if not item:
            continue
        scheme, _, code = item.rpartition(":")
        matches = Area.objects.filter(code__iexact=code)
        if scheme:
            matches = matches.filter(scheme=scheme.lower())
        areas = list(matches[:2])
        if len(areas) == 1:
            if areas[0] not in found:
                found.append(areas[0])
        else:
            unknown.append(item)
    return found, unknown


class TeamChoiceField(forms.ModelChoiceField):
    """Services by name and place (several share a name, such as the CAMHS entries)."""

    def label_from_instance(self, service):
        where = ", ".join(part for part in (service.locality, service.nation) if part)
        return f"{service.name} ({where})" if where else service.name


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254, error_messages={
        "required": "Enter the email address to send the invitation to",
        "invalid": "Enter an email address in the correct format, like name@example.com"})
    role = forms.ChoiceField(
        label="Role", widget=forms.RadioSelect,
        choices=[(key, f"{role.name}: {role.description}") for key, role in ROLES.items()],
        error_messages={"required": "Choose a role",
                        "invalid_choice": "Choose a role from the list"})
    service = TeamChoiceField(
        label="Team", required=False, queryset=Service.objects.none(),
        empty_label="Choose a team",
        help_text="For a practitioner or team manager: the team they join.",
        error_messages={"invalid_choice": "Choose a team from the list"})
    areas = forms.CharField(
        label="Areas", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a commissioner: the areas whose figures they see, as scheme and code "
                  "(for example ccg2019:E38000001), separated by spaces or new lines.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.order_by("name", "locality")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("There is already an account for this email address")
        return email

    def clean_areas(self):
        found, unknown = parse_areas(self.cleaned_data.get("areas", ""))
        if unknown:
            raise forms.ValidationError(
                "No single area has the code " + ", ".join(unknown)
                + ". Use scheme and code, like ccg2019:E38000001")
        return found

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in TEAM_ROLES and not cleaned.get("service"):
            self.add_error("service", f"Choose the team the {ROLES[role].name.lower()} joins")
        if role == "commissioner" and "areas" in cleaned and not cleaned["areas"]:
            self.add_error("areas", "Enter at least one area for a commissioner")
        if role not in TEAM_ROLES:
            cleaned["service"] = None
        if role != "commissioner":
            cleaned["areas"] = []
        return cleaned
