"""`{% headline_counts_for on as headline %}`: lets the headline include compute its own
figures, so a page shows it with one include line and no change to its view."""

from django import template

from cradle.directory.headline import headline_counts

register = template.Library()


@register.simple_tag
def headline_counts_for(on):
    return headline_counts(on) if on else None
