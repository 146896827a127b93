"""Outcome evaluation: police extracts, the links found between the cohort and them, and
saved evaluation runs (each a version that is never changed).

Police people hold names and dates of birth only to link them; a run holds no names or
dates of birth, only pseudonymous keys (decision 0044).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from soclocal.core.access import Ownership
from soclocal.core.retention import PUBLIC_TASK, REVIEW, Rule

USER = settings.AUTH_USER_MODEL
# Partnership-wide records: reached through partnership-scoped capabilities only.
PARTNERSHIP_WIDE = Ownership(agency=None, team=None, owners=())
EVALUATION = "Evaluating whether the partnership's services reduce harm to young people"


class PoliceExtract(models.Model):
    """One police extract for evaluation: a people file and an events file, imported whole."""

    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    people_file = models.CharField(max_length=255)
    events_file = models.CharField(max_length=255)
    people_sha256 = models.CharField(max_length=64)
    events_sha256 = models.CharField(max_length=64)
    people_rows = models.PositiveIntegerField(default=0)
    event_rows = models.PositiveIntegerField(default=0)
    data_from = models.DateField(null=True, blank=True)
    data_to = models.DateField(null=True, blank=True)

    ownership = PARTNERSHIP_WIDE
    retention = Rule(
        "police-extracts", purpose=EVALUATION, lawful_basis=PUBLIC_TASK,
        subject="people in a police extract", categories=(
            "names", "dates of birth", "postcodes", "arrests, offences and missing episodes"),
        recipients=("the partnership's evaluating analysts",), days=365, after="imported_at",
        action=REVIEW, period="a year after it was imported, then reviewed (delete it once "
        "the evaluations that need it are saved)")

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"Police extract {self.pk} ({self.people_file}, {self.events_file})"


class PolicePerson(models.Model):
    extract = models.ForeignKey(PoliceExtract, on_delete=models.CASCADE, related_name="people")
    police_ref = models.CharField(max_length=100)
    forenames = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    postcode = models.CharField(max_length=10, blank=True)

    ownership = PARTNERSHIP_WIDE
    retention = Rule(
        "police-extract-people", purpose=EVALUATION, lawful_basis=PUBLIC_TASK,
        subject="people in a police extract", categories=("names", "dates of birth", "postcodes"),
        kept_with="evaluation.policeextract")

    class Meta:
        ordering = ["police_ref"]
        constraints = [models.UniqueConstraint(fields=["extract", "police_ref"],
                                               name="one_police_person_per_ref")]

    def __str__(self):
        return f"{self.forenames} {self.surname} ({self.police_ref})"


class PoliceEvent(models.Model):
    class Kind(models.TextChoices):
        ARREST = "arrest", _("Arrest")
        OFFENCE = "offence", _("Offence")
        MISSING = "missing episode", _("Missing episode")

    person = models.ForeignKey(PolicePerson, on_delete=models.CASCADE, related_name="events")
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    offence_group = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["date", "pk"]


class Link(models.Model):
    """A young person found (or perhaps found) in a police extract."""

    class Status(models.TextChoices):
        LINKED = "linked", _("Linked (match probability 90% or more)")
        UNCERTAIN = "uncertain", _("Waiting for review")
        CONFIRMED = "confirmed", _("Confirmed by review")
        REJECTED = "rejected", _("Rejected by review")

    COUNTED = (Status.LINKED, Status.CONFIRMED)

    extract = models.ForeignKey(PoliceExtract, on_delete=models.CASCADE, related_name="links")
    young_person = models.ForeignKey("cases.YoungPerson", on_delete=models.CASCADE,
                                     related_name="+")
    police_person = models.ForeignKey(PolicePerson, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    comparisons = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices)
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    ownership = PARTNERSHIP_WIDE
    retention = Rule(
        "evaluation-links", purpose=EVALUATION, lawful_basis=PUBLIC_TASK,
        subject="young people referred to the service", categories=("match probabilities",),
        kept_with="evaluation.policeextract")

    class Meta:
        ordering = ["-probability", "pk"]
        constraints = [models.UniqueConstraint(fields=["extract", "young_person"],
                                               name="one_link_per_young_person")]


class EvaluationRun(models.Model):
    """One saved evaluation: the full document and the person-level tables (pseudonymous)."""

    class Comparison(models.TextChoices):
        NOT_ENGAGED = "not_engaged", _("Referred and not engaged")
        WAITING_LIST = "waiting_list", _("On the waiting list (waiting for triage)")
        BOTH = "both", _("Referred and not engaged, or on the waiting list")

    version = models.PositiveIntegerField(unique=True)
    built_at = models.DateTimeField(auto_now_add=True)
    built_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    extract = models.ForeignKey(PoliceExtract, on_delete=models.PROTECT, related_name="runs")
    comparison = models.CharField(max_length=20, choices=Comparison.choices)
    window_months = models.PositiveSmallIntegerField(default=12)
    figures = models.JSONField(default=dict, help_text=_("the full document"))
    people = models.JSONField(default=dict, help_text=_("person-level rows by window, "
                                                      "pseudonymous keys only"))

    ownership = PARTNERSHIP_WIDE
    retention = Rule(
        "evaluation-runs", purpose=EVALUATION, lawful_basis=PUBLIC_TASK,
        subject="young people referred to the service",
        categories=("pseudonymous keys", "counts of arrests, offences and missing episodes"),
        days=6 * 365, after="built_at", action=REVIEW)

    class Meta:
        ordering = ["-version"]

    def __str__(self):
        return f"Evaluation version {self.version}"

    @property
    def title(self):
        return f"Outcome evaluation, version {self.version}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("evaluation:report", args=[self.pk])
