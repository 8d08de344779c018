"""A dated snapshot of the public tables: its files live under CRADLE_OPENDATA_DIR/<date>/
and never change; this row records what they are (names, sizes, SHA-256) so that only
recorded names are ever served (ADR 0037)."""

from django.db import models


class SnapshotExists(Exception):
    pass


class Snapshot(models.Model):
    on = models.DateField(unique=True, help_text="The date the snapshot's figures are for.")
    data_version = models.CharField(
        max_length=64, help_text="Digest of everything the tables read; a build with the "
        "same version as the newest snapshot makes nothing.")
    register_version = models.CharField(
        max_length=200, help_text="The register's and reference data's version "
        "(coverage_queries.data_version) when built.")
    created_at = models.DateTimeField()
    # [{"name", "title", "bytes", "sha256", "mediatype"}], in the order listed.
    files = models.JSONField()

    class Meta:
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"Snapshot of {self.on.isoformat()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and Snapshot.objects.filter(pk=self.pk).exists():
            raise SnapshotExists("A snapshot is never changed once made.")
        super().save(*args, **kwargs)

    def file(self, name: str) -> dict | None:
        """The recorded file of that exact name, or None (nothing else is ever served)."""
        return next((entry for entry in self.files if entry["name"] == name), None)

    @property
    def total_bytes(self) -> int:
        return sum(entry["bytes"] for entry in self.files)
