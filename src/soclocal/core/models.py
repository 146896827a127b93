import uuid

from django.conf import settings
from django.db import models

from soclocal.core.retention import (
    CONTRACT,
    DELETE,
    LEGITIMATE,
    REVIEW,
    Rule,
)

from .access import Ownership


class AppendOnlyQuerySet(models.QuerySet):
    """Audit events are never changed or removed through the application."""

    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only: they cannot be updated.")

    def delete(self):
        raise PermissionError("Audit events are append-only: they cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionError("Audit events are append-only: they cannot be updated.")


class AuditEvent(models.Model):
    """One link in the hash chain: who did what to which record, for what purpose."""

    retention = Rule(
        "audit-events", purpose="Accountability: who saw and changed what",
        lawful_basis=LEGITIMATE, subject="staff and the people whose records they used",
        categories=("who", "agency", "what", "which record", "network address"),
        days=7 * 365, after="at", action=REVIEW,
        period="7 years; kept in the hash chain while the records they describe "
               "are kept")

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor = models.CharField(max_length=150, blank=True)
    agency_id = models.BigIntegerField(null=True, blank=True)
    agency = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    purpose = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()
    ownership = Ownership(agency="agency_id", team=None, owners=("actor_id",))

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["actor_id", "at"]), models.Index(fields=["at"])]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit events are append-only: they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only: they cannot be deleted.")

    def __str__(self):
        return f"#{self.seq} {self.action} by {self.actor or 'system'}"


class AuditHead(models.Model):
    """A single row that serialises writers so the chain never forks."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)


class Share(models.Model):
    """A record owned by one agency made visible to another, for a recorded purpose."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=200)
    lawful_basis = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id", "agency"])]


class Job(models.Model):
    """Long work run by the worker (an import, an analysis), with progress a person can watch."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="jobs")
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True,
                                      related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    ownership = Ownership(agency="owning_agency", team=None, owners=("owner",))

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Origin(models.Model):
    """One record raised from another in a different context: a threat from a profile finding,
    a plan from a priority. Generic, so no pair of apps needs the other's models; the label
    and URL are captured when the link is made, so the trail still reads if a record moves."""

    source_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT,
                                    related_name="+")
    source_id = models.CharField(max_length=64)
    source_label = models.CharField(max_length=300)
    source_url = models.CharField(max_length=300, blank=True)
    target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT,
                                    related_name="+")
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=300)
    target_url = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["source_type", "source_id"]),
                   models.Index(fields=["target_type", "target_id"])]


class Notification(models.Model):
    """Something a person should know (an action given to their agency, an overdue action, a
    review due, a meeting invitation). One row per person and key, so it is told at most once."""

    retention = Rule(
        "notifications", purpose="Telling staff about work given to them",
        lawful_basis=CONTRACT, subject="staff", categories=("what they were told",),
        days=2 * 365, after="created_at", period="2 years", action=DELETE)

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When it went by email (on its own or in a digest); empty while waiting for a digest.
    emailed_at = models.DateTimeField(null=True, blank=True)

    ownership = Ownership(agency=None, team=None, owners=("recipient",))

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"],
                                               name="notification_once_per_key")]

    def __str__(self):
        return self.subject


class NotificationSetting(models.Model):
    """A person's choice: each notification by email as it happens, or one daily digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_setting")
    daily_digest = models.BooleanField(default=False)
    last_digest_on = models.DateField(null=True, blank=True)
