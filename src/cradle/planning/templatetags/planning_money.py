from django import template

from cradle.planning.wording import pound_range, pounds

register = template.Library()


@register.filter
def money(value):
    """A cost range (or a number) in whole pounds: '£1,234' or '£1,234 to £2,345'."""
    if value is None:
        return "–"
    if hasattr(value, "rounded"):
        return pound_range(*value.rounded())
    return pounds(value)


@register.filter
def wte(value):
    return "–" if value is None else f"{value:.2f}"


@register.filter
def gap_wte(value):
    """A gap in WTE, of an area (`plan.gap`) or of a group of areas (`Totals`): "20.07", or
    "0.00 to 20.07" where staffing is not recorded."""
    if value is None:
        return "–"
    if hasattr(value, "gap_low_wte"):
        low, high = value.gap_low_wte, value.gap_high_wte
    else:
        low, high = value.low, value.high
    return f"{low:.2f}" if low == high else f"{low:.2f} to {high:.2f}"


@register.filter
def staffing_now(plan):
    """An area's staffing now: its WTE, or "Not recorded" where a covering team has recorded
    none (unknown is not zero)."""
    if plan.staffing_known:
        return f"{plan.existing_wte:.2f}"
    if plan.existing_wte:
        return f"Not recorded for all teams ({plan.existing_wte:.2f} recorded)"
    return "Not recorded"
