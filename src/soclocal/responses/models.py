from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

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


class Meeting(models.Model):
    """A tasking meeting (e.g. the monthly multi-agency tasking group): who is invited, its
    agenda (generated, then fixed) and its minutes, item by item."""

    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(default=120)
    location = models.CharField(max_length=200, blank=True)
    invited_agencies = models.ManyToManyField("accounts.Agency", related_name="+", blank=True)
    invited_people = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+",
                                            blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    agenda_generated_at = models.DateTimeField(null=True, blank=True)
    uid = models.CharField(max_length=80, unique=True)  # the invitation's iCalendar UID
    sequence = models.PositiveIntegerField(default=0)  # bumped when the time or place changes

    # Invited agencies' staff, invited people and its organiser reach a meeting.
    ownership = Ownership(agency="invited_agencies", team=None,
                          owners=("invited_people", "created_by"))

    class Meta:
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return f"{self.title}, {timezone.localtime(self.starts_at):%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("responses:meeting", args=[self.pk])

    @property
    def ends_at(self):
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_past(self) -> bool:
        return self.starts_at < timezone.now()


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        REVIEW_DUE = "review_due", _("Priority due for review")
        OVERDUE = "overdue", _("Overdue action")
        AT_RISK = "at_risk", _("Action at risk")
        DECISION = "decision", _("New decision")
        PROFILE = "profile", _("New profile")
        REQUIREMENT = "requirement", _("Open intelligence requirement")
        OTHER = "other", _("Other business")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    # What the item is about ("action:12"), so generating again adds only what is new.
    source_key = models.CharField(max_length=80, blank=True)
    police_only = models.BooleanField(default=False)
    minutes = models.TextField(blank=True)
    minuted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    minuted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        APOLOGIES = "apologies", _("Sent apologies")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"],
                                               name="one_attendance_per_person")]
