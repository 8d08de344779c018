from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key`: a dictionary's value for a key that is itself a variable."""
    return mapping.get(key) if mapping else None
