"""Replies to FOI requests: each request's reply address, the replies that came in (by email or
uploaded by a coordinator) and their attachments, kept encrypted in the database (ADR 0029).

Imported by models.py, so Django finds these models in the foi app.
"""

from django.db import models
from django.db.models import Q


class ReplyAddress(models.Model):
    """The random token of a request's own reply address, `<local>+<token>@<domain>`."""

    request = models.OneToOneField("foi.FoiRequest", on_delete=models.CASCADE,
                                   related_name="reply_address")
    token = models.CharField(max_length=16, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "reply addresses"


class ReplyArrival(models.TextChoices):
    MAIL = "mail", "By email"
    UPLOAD = "upload", "Uploaded by a coordinator"


class ReplyQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .models import may_manage_foi

        return self if may_manage_foi(user) else self.none()

    def unmatched(self):
        return self.filter(request__isnull=True)


class Reply(models.Model):
    """A message from a body: attached to its request, or waiting in the unmatched list."""

    request = models.ForeignKey("foi.FoiRequest", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="replies")
    # From a "CRADLE-FOI-123" reference in the subject of an unmatched reply: shown to a
    # coordinator as a likely match, never applied without one.
    suggested_request = models.ForeignKey("foi.FoiRequest", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    arrived_by = models.CharField(max_length=10, choices=ReplyArrival.choices)
    received_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True,
                                   help_text="The message's own Date header, if it had one.")
    from_address = models.CharField(max_length=254, blank=True, default="")
    addressed_to = models.CharField(max_length=254, blank=True, default="",
                                    help_text="The recipient it was delivered to.")
    subject = models.CharField(max_length=500, blank=True, default="")
    text = models.TextField(blank=True, default="",
                            help_text="The plain text part (or the HTML part's text).")
    html_converted = models.BooleanField(default=False)
    # The Message-ID (or a hash of the message's bytes): the same message is stored once. A
    # reply uploaded as a file with no message has none.
    message_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    uploaded_by = models.CharField(max_length=200, blank=True, default="")

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "replies"
        constraints = [
            models.CheckConstraint(condition=Q(arrived_by__in=ReplyArrival.values),
                                   name="reply_arrival_known"),
            models.CheckConstraint(
                condition=Q(arrived_by=ReplyArrival.MAIL) | ~Q(uploaded_by=""),
                name="reply_upload_names_uploader"),
        ]

    def __str__(self) -> str:
        return f"Reply {self.pk} of {self.received_at:%Y-%m-%d}"


class ReplyAttachment(models.Model):
    """A file that came with a reply: kept (encrypted), or refused with the reason."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    refused_because = models.CharField(max_length=300, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="")
    # Fernet under a key derived from the secret key (reply_files.py); empty when refused.
    encrypted_content = models.BinaryField(default=b"", editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def kept(self) -> bool:
        return not self.refused_because
