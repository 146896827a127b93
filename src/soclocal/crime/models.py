"""Recorded crime: the record of each import into the crime store.

The crime records themselves are open police.uk data kept as Parquet files (see `store.py`),
not in the database; the database keeps who imported what, when, from which files.
"""

from django.conf import settings
from django.db import models

from soclocal.core.access import Ownership


class CrimeImport(models.Model):
    """One run of the crime import: its files (with checksums), rows in and rows rejected."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Imported"
        DONE_WITH_REJECTS = "rejects", "Imported, with rows rejected"
        FAILED = "failed", "Failed: nothing changed"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    accept_rejects = models.BooleanField(default=False)
    # [{"name", "sha256", "kind", "force", "month", "rows", "rejected", "skipped"}, ...]
    files = models.JSONField(default=list, blank=True)
    rows_in = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    problems = models.PositiveIntegerField(default=0)
    rejects_file = models.CharField(max_length=500, blank=True,
                                    help_text="Path under the data directory")
    notes = models.JSONField(default=list, blank=True)

    # Open data: reached partnership-wide; the person who ran it is its owner.
    ownership = Ownership(agency=None, team=None, owners=("created_by",))

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"Crime import {self.pk} ({self.get_status_display()})"

    @property
    def months(self):
        return sorted({f["month"] for f in self.files if f.get("month")})
