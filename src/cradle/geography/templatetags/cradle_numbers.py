from django import template

register = template.Library()


@register.filter
def thousands(value):
    """12345 -> '12,345'; empty stays empty (never a misleading 0)."""
    if value is None or value == "":
        return "–"
    return f"{int(value):,}"


@register.filter
def percent(value, places=1):
    if value is None:
        return "–"
    return f"{float(value) * 100:.{int(places)}f}%"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
