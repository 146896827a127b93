from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from soclocal.core.access import Ownership


class Threat(models.Model):
    """Something the partnership may need to respond to, with the evidence it was raised on."""

    class Kind(models.TextChoices):
        CRIME_PROBLEM = "crime_problem", _("A crime problem in an area")
        GROUP = "group", _("An organised crime group or suspected group")
        PLACE = "place", _("A place")
        VULNERABLE_GROUP = "vulnerable_group", _("A vulnerable group")
        PERSON = "person", _("A named person (police only)")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    crime_type = models.CharField(max_length=100, blank=True)
    police_only = models.BooleanField(default=False)
    # The profile figures it was raised on, frozen: count, rate, harm per 1,000, trend, hotspots.
    evidence_snapshot = models.JSONField(default=dict, blank=True)
    evidence_text = models.TextField(blank=True)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)

    ownership = Ownership(agency="owning_agency", team=None, owners=("raised_by",))

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("priorities:threat", args=[self.pk])


class ScoringMethod(models.Model):
    """The partnership's scales, weights and formula. Each save is a new row, so the method
    behind any past ranking can be read back; the newest is the one in use."""

    method = models.JSONField()
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-saved_at", "-pk"]


class Assessment(models.Model):
    """One assessor's scores for a threat on a date. A re-assessment is a new row."""

    threat = models.ForeignKey(Threat, on_delete=models.PROTECT, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    assessed_at = models.DateTimeField(auto_now_add=True)
    scores = models.JSONField()
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["-assessed_at", "-pk"]


class Decision(models.Model):
    class Outcome(models.TextChoices):
        RESPOND = "respond", _("Respond")
        MONITOR = "monitor", _("Monitor")
        REFER = "refer", _("Refer on")
        NO_ACTION = "no_action", _("No action")

    threat = models.ForeignKey(Threat, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reasons = models.TextField()
    referred_to = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    review_date = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]


class ThreatLink(models.Model):
    """A piece of intelligence or a case linked to a threat as evidence. Only the record's kind,
    id and reference are kept here: the intelligence and cases apps own the records and decide
    who may open them."""

    class Kind(models.TextChoices):
        INTELLIGENCE = "intelligence", _("Intelligence report")
        CASE = "case", _("Case")

    threat = models.ForeignKey(Threat, on_delete=models.PROTECT, related_name="links")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    record_id = models.PositiveIntegerField()
    reference = models.CharField(max_length=40)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "linked_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["threat", "kind", "record_id"],
                                               name="one_link_per_record")]
