from django.db import models


class ImportLogQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-loaded_at", "-id")

    def for_dataset(self, dataset: str):
        return self.filter(dataset=dataset)


class ImportLog(models.Model):
    """One row per import that changed the database: what was loaded, from where, when.

    Every figure Cradle shows can point here to say where it came from and how current it is.
    """

    dataset = models.CharField(max_length=100)
    source = models.TextField(help_text="What the data is and who publishes it.")
    reference_date = models.DateField(null=True, blank=True)
    files = models.JSONField(default=dict, help_text="File name to checksum and row count.")
    changes = models.JSONField(default=dict, help_text="Rows created, updated and deleted.")
    loaded_at = models.DateTimeField(auto_now_add=True)

    objects = ImportLogQuerySet.as_manager()

    class Meta:
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dataset} loaded {self.loaded_at:%Y-%m-%d %H:%M}"

    @property
    def total_rows(self) -> int:
        return sum(info.get("rows", 0) for info in self.files.values())


class FormSubmission(models.Model):
    """The one-time token of a single-record form, saved with the record it created.

    The token is written in the same transaction as the record, and is unique, so a second
    post of the same form (a double click, back then submit, two tabs at once) cannot create a
    second record: it finds this row and is told the record was already saved.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, help_text="Which form, e.g. outcomes.contact.")
    object_id = models.BigIntegerField(null=True, help_text="The record the form created.")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
