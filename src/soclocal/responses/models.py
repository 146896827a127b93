from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from soclocal.core.access import Ownership

# The partnership's frameworks for grouping a plan's actions, and each one's strands.
FRAMEWORKS = {
    "4ds": ("4 Ds and Develop", [("divert", "Divert"), ("deter", "Deter"), ("detect", "Detect"),
                                 ("disrupt", "Disrupt"),
                                 ("develop", "Develop community infrastructure")]),
    "4ps": ("4 Ps", [("pursue", "Pursue"), ("prevent", "Prevent"), ("protect", "Protect"),
                     ("prepare", "Prepare")]),
    "chb": ("Clear, Hold, Build", [("clear", "Clear"), ("hold", "Hold"), ("build", "Build")]),
}
STRAND_LABELS = {k: label for _, strands in FRAMEWORKS.values() for k, label in strands}


class Plan(models.Model):
    """A response to a priority: objectives, and actions each owned by an agency."""

    threat = models.ForeignKey("priorities.Threat", on_delete=models.PROTECT,
                               related_name="plans")
    title = models.CharField(max_length=200)
    framework = models.CharField(max_length=3, choices=[(k, v[0]) for k, v in FRAMEWORKS.items()])
    objectives = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Partners reach a plan through the actions their agency owns in it.
    ownership = Ownership(agency="actions__owning_agency", team=None, owners=("created_by",))

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("responses:plan", args=[self.pk])

    @property
    def strands(self):
        return FRAMEWORKS[self.framework][1]


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OVERDUE = "overdue"
    CLOSED = (Status.DONE, Status.DROPPED)

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions")
    strand = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    ownership = Ownership(agency="owning_agency", team=None, owners=("owner",))

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("responses:action", args=[self.pk])

    def current_status(self, today=None) -> str:
        """The recorded status, except that an open action past its due date is overdue."""
        today = today or timezone.localdate()
        if self.status not in self.CLOSED and self.due_date < today:
            return self.OVERDUE
        return self.status

    def current_status_label(self) -> str:
        s = self.current_status()
        return "Overdue" if s == self.OVERDUE else self.Status(s).label

    @property
    def strand_label(self):
        return STRAND_LABELS.get(self.strand, self.strand)


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(max_length=12, choices=Action.Status.choices)
    note = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
