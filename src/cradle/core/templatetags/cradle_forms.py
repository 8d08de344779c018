from django import template
from django.utils.html import format_html

from cradle.core.submissions import TOKEN_FIELD, new_token, posted_token

register = template.Library()


@register.simple_tag(takes_context=True)
def submission_token(context) -> str:
    """The form's one-time token (core.submissions); a form shown again with its errors keeps
    the token it was posted with, so correcting it and sending it again still saves once."""
    request = context.get("request")
    token = (posted_token(request) if request is not None and request.method == "POST"
             else None) or new_token()
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, token)
