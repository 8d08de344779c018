"""Template tags for pages whose views belong elsewhere: `{% headline_counts_for on as
headline %}` lets the headline include compute its own figures (one include line, no change to
the coverage map's view); `{% confirmation_on service on as s %}` does the same for a
service's last confirmation in an area page's list."""

from django import template

from cradle.directory.confirmation import attach_confirmations
from cradle.directory.headline import headline_counts

register = template.Library()


@register.simple_tag
def headline_counts_for(on):
    return headline_counts(on) if on else None


@register.simple_tag
def confirmation_on(service, on):
    """`{% confirmation_on service today as c %}`: for a list whose view did not attach
    confirmations (an area page): the last confirmation and the status in words, as
    `c.confirmation` and `c.status_in_words`."""
    if not hasattr(service, "confirmation"):
        attach_confirmations([service], on)
    return service
