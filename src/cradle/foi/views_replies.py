"""Replies to requests (ADR 0029): a coordinator's upload, the unmatched list, attaching an
unmatched reply, and attachment downloads. Every write goes through replies.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from cradle.core.forms import error_list

from . import replies
from .forms import AssignReplyForm, ReplyUploadForm
from .models import FoiRequest, Reply, ReplyAttachment
from .views import breadcrumbs, foi_managers_only, who


def reply_section(foi_request: FoiRequest, upload_form: ReplyUploadForm | None = None) -> dict:
    """What the request page shows of its replies (views_requests._page)."""
    return {
        "replies": foi_request.replies.prefetch_related("attachments").defer(
            "attachments__encrypted_content"),
        "reply_address": replies.reply_to_address(foi_request),
        "reply_upload_form": upload_form or ReplyUploadForm(prefix="reply"),
    }


@foi_managers_only
@require_POST
def upload_reply(request, pk: int):
    from .views_requests import foi_request_for, request_page

    foi_request = foi_request_for(request, pk)
    form = ReplyUploadForm(request.POST, request.FILES, prefix="reply")
    if not form.is_valid():
        return request_page(request, foi_request, status=400, reply_upload_form=form)
    upload, data = form.cleaned_data["file"], form.cleaned_data["file"].read()
    try:
        if form.is_email:
            reply = replies.upload_message(request=foi_request, raw=data, by=who(request))
        else:
            reply = replies.upload_file(
                request=foi_request, filename=upload.name, content_type=upload.content_type,
                data=data, received_on=form.cleaned_data["received_on"],
                sender=form.cleaned_data["sender"], subject=form.cleaned_data["subject"],
                text="", by=who(request))
    except replies.ReplyError as error:
        return request_page(request, foi_request, status=400, reply_upload_form=form,
                     problems=[f"The reply was not saved: {error}"])
    if reply.request_id != foi_request.pk:
        messages.info(request, "This email was already saved, on another request's page: it "
                               "was not saved again.")
    else:
        refused = [a for a in reply.attachments.all() if not a.kept]
        messages.success(request, "The reply is saved."
                         + (f" {len(refused)} file{'s were' if len(refused) != 1 else ' was'} "
                            "refused: see the reasons below." if refused else ""))
    return redirect(reverse("foi:request-detail", args=[foi_request.pk]) + "#replies")


def _unmatched_page(request, *, status: int = 200, forms: dict | None = None):
    unmatched = list(Reply.objects.visible_to(request.user).unmatched()
                     .select_related("suggested_request__body")
                     .prefetch_related("attachments"))
    forms = forms or {}
    for reply in unmatched:
        reply.assign_form = forms.get(reply.pk) or AssignReplyForm(
            prefix=f"reply-{reply.pk}", initial={"reference": (
                f"CRADLE-FOI-{reply.suggested_request_id}" if reply.suggested_request_id
                else "")})
    return render(request, "foi/unmatched_replies.html", {
        "breadcrumbs": breadcrumbs(),
        "unmatched": unmatched,
        "errors": error_list(*forms.values()),
    }, status=status)


@foi_managers_only
@require_GET
def unmatched_replies(request):
    return _unmatched_page(request)


@foi_managers_only
@require_POST
def assign_reply(request, pk: int):
    reply = get_object_or_404(Reply.objects.visible_to(request.user).unmatched(), pk=pk)
    form = AssignReplyForm(request.POST, prefix=f"reply-{reply.pk}")
    if not form.is_valid():
        return _unmatched_page(request, status=400, forms={reply.pk: form})
    foi_request = form.cleaned_data["reference"]
    try:
        replies.assign_reply(reply=reply, request=foi_request, by=who(request))
    except replies.ReplyError as error:
        form.add_error("reference", str(error))
        return _unmatched_page(request, status=400, forms={reply.pk: form})
    messages.success(request, f"The reply is attached to the request to {foi_request.body.name}.")
    return redirect(reverse("foi:request-detail", args=[foi_request.pk]) + "#replies")


@foi_managers_only
@require_GET
def attachment_download(request, pk: int):
    attachment = get_object_or_404(ReplyAttachment.objects.filter(
        reply__in=Reply.objects.visible_to(request.user)), pk=pk)
    if not attachment.kept:
        raise Http404("This attachment was refused, so it was not kept")
    # Always a download, typed by the allow-list (never the sender's word), never sniffed:
    # a reply's file is never shown inside Cradle's pages.
    response = HttpResponse(replies.attachment_content(attachment),
                            content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
