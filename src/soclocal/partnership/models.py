"""The partnership's information-sharing agreements and its directory of services.

An `Agreement` is what a share of personal data between agencies relies on: every case share
(`core.Share`) and every intelligence release names one. A `Service` is one agency's offer to
young people and families, found by practitioners when they refer or plan.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soclocal.core.access import Ownership
from soclocal.core.retention import PUBLIC_TASK, REVIEW, Rule

USER = settings.AUTH_USER_MODEL


class Agreement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft: not yet signed")
        ACTIVE = "active", _("In force")
        ENDED = "ended", _("Ended")

    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    parties = models.ManyToManyField("accounts.Agency", related_name="agreements")
    purposes = models.TextField(help_text=_("What the sharing is for, one purpose a line"))
    lawful_bases = models.TextField(help_text=_("The law each party relies on, one a line"))
    data_categories = models.TextField(help_text=_("The kinds of information shared, one a line"))
    retention_terms = models.TextField(_("Retention"), help_text=_("How long each party keeps what it receives, and "
                                           "what happens then"))
    starts_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(help_text=_("When the parties review the agreement"))
    signatories = models.TextField(blank=True, help_text=_("Who signed for each party: name, job "
                                                         "title, agency and date, one a line"))
    document = models.FileField(upload_to="agreements/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Agreements are the partnership's, not one agency's: partnership-wide reach.
    ownership = Ownership(agency=None, team=None, owners=())
    retention = Rule(
        "sharing-agreements", purpose="Recording what the partnership's agencies agreed to share",
        lawful_basis=PUBLIC_TASK, subject="staff who signed agreements",
        categories=("signatories' names and job titles",), days=6 * 365, after="review_on",
        action=REVIEW, period="6 years after its review date, then reviewed")

    class Meta:
        ordering = ["reference"]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("partnership:agreement", args=[self.pk])

    @property
    def past_review(self) -> bool:
        return self.status != self.Status.ENDED and self.review_on < timezone.localdate()

    @property
    def in_force(self) -> bool:
        return self.status == self.Status.ACTIVE

    @staticmethod
    def _lines(text):
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    @property
    def purpose_list(self):
        return self._lines(self.purposes)

    @property
    def lawful_basis_list(self):
        return self._lines(self.lawful_bases)

    @property
    def data_category_list(self):
        return self._lines(self.data_categories)

    @property
    def signatory_list(self):
        return self._lines(self.signatories)


class Need(models.TextChoices):
    EXPLOITATION = "exploitation", _("Criminal or sexual exploitation")
    MENTORING = "mentoring", _("Mentoring and a trusted adult")
    EDUCATION = "education", _("Education, training and employment")
    MENTAL_HEALTH = "mental_health", _("Mental health and well-being")
    DRUGS_ALCOHOL = "drugs_alcohol", _("Drugs and alcohol")
    FAMILY = "family", _("Family support and parenting")
    HOUSING = "housing", _("Housing and tenancy")
    ACTIVITIES = "activities", _("Positive activities, sport and arts")
    MONEY = "money", _("Money, debt and benefits")
    VICTIMS = "victims", _("Victims and witnesses")
    MISSING = "missing", _("Going missing")
    HEALTH = "health", _("Physical and sexual health")


class Service(models.Model):
    """One agency's service: who it is for, where, and how to refer."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                               related_name="directory_services")
    name = models.CharField(max_length=200)
    description = models.TextField()
    age_from = models.PositiveSmallIntegerField(null=True, blank=True)
    age_to = models.PositiveSmallIntegerField(null=True, blank=True)
    needs = models.JSONField(default=list, blank=True)
    whole_area = models.BooleanField(default=False, help_text=_("Covers the whole partnership area"))
    areas = models.ManyToManyField("areas.Area", blank=True, related_name="+")
    how_to_refer = models.TextField()
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    active = models.BooleanField(default=True)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    ownership = Ownership(agency="agency", team=None, owners=())
    retention = Rule(
        "directory-contacts", purpose="Telling practitioners who to contact about a service",
        lawful_basis=PUBLIC_TASK, subject="staff named as a service's contact",
        categories=("work contact details",), days=365, after="updated_at", action=REVIEW,
        period="a year after the entry was last checked, then reviewed")

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnership:service", args=[self.pk])

    @property
    def need_labels(self):
        labels = dict(Need.choices)
        return [labels.get(n, n) for n in self.needs]

    @property
    def ages(self) -> str:
        if self.age_from is not None and self.age_to is not None:
            return f"{self.age_from} to {self.age_to}"
        if self.age_from is not None:
            return f"{self.age_from} and over"
        if self.age_to is not None:
            return f"up to {self.age_to}"
        return "Any age"
