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
