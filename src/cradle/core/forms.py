"""Form pieces every app's pages share: the NHS.UK date input, the error summary's links and
the warnings a user confirms before saving."""

from __future__ import annotations

import datetime
import hashlib

from django import forms
from django.utils import timezone

# A date as the NHS.UK date input (day, month and year boxes) ------------------------------

class DayMonthYearWidget(forms.MultiWidget):
    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric"}
        # Day, month and year: posted as <name>_0, <name>_1 and <name>_2.
        super().__init__([forms.TextInput(numeric) for _ in range(3)], attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DayMonthYearField(forms.Field):
    """A real date from three boxes, with the NHS.UK service manual's error messages."""

    widget = DayMonthYearWidget

    def __init__(self, *, what: str = "Date", **kwargs):
        self.what = what
        kwargs.setdefault("error_messages", {"required": f"Enter {what.lower()}"})
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.date) or value is None:
            return value
        parts = dict(zip(("day", "month", "year"),
                         (str(part or "").strip() for part in value), strict=False))
        if not any(parts.values()):
            return None
        missing = [name for name in ("day", "month", "year") if not parts.get(name)]
        if missing:
            raise forms.ValidationError(f"{self.what} must include a {' and a '.join(missing)}")
        try:
            return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except (ValueError, OverflowError):
            raise forms.ValidationError(f"{self.what} must be a real date") from None


def _not_in_future(value: datetime.date | None) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError("Date must be today or in the past")


def today_field(what: str, **kwargs) -> DayMonthYearField:
    return DayMonthYearField(what=what, initial=timezone.localdate,
                             validators=[_not_in_future], **kwargs)


def error_list(*forms_) -> list[dict[str, str]]:
    """Every error of the forms, as the NHS.UK error summary's links to the fields at fault."""
    items = []
    for form in forms_:
        if form is None:
            continue
        for error in form.non_field_errors():
            items.append({"href": f"#{form.prefix or 'form'}-errors", "text": error})
        for name, errors in form.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                continue
            field = form[name]
            anchor = field.auto_id
            if field.widget_type in {"radioselect", "checkboxselectmultiple", "daymonthyear"}:
                anchor += "_0"  # the first radio, checkbox or the day box
            items.extend({"href": f"#{anchor}", "text": error} for error in errors)
    return items


# Warnings the user confirms ---------------------------------------------------------------
# Errors block; a warning (input that may be right but usually is not) re-displays the form
# with the warnings and a checkbox "I have checked this: save anyway" whose value is a digest
# of the warnings shown. Stateless: a confirmation covers exactly the warnings it was shown,
# so changing the input so that another warning applies asks again.

CONFIRM_FIELD = "confirm_warnings"


def warnings_digest(warnings) -> str:
    text = "\n".join(f"{field}:{message}" for field, message in warnings)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def is_confirmed(confirmed: bool | str, warnings) -> bool:
    """`confirmed` is True (a caller that has checked), or the digest the form posted."""
    if isinstance(confirmed, str):
        return bool(confirmed) and confirmed == warnings_digest(warnings)
    return confirmed is True


def posted_confirmation(request) -> str:
    return request.POST.get(CONFIRM_FIELD, "") if request.method == "POST" else ""


def confirmation_context(warnings) -> dict:
    """What includes/confirm_warnings.html shows: the messages and the digest to post back."""
    return {"warnings": [_first_upper(message) for _field, message in warnings],
            "warnings_digest": warnings_digest(warnings), "confirm_field": CONFIRM_FIELD}


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]
