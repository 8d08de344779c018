"""Form pieces every app's pages share: the NHS.UK date input and the error summary's links."""

from __future__ import annotations

import datetime

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
