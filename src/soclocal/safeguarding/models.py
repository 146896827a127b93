"""Protect: vulnerability indicators by area, the index built from them, NRM referrals.

Indicator figures are aggregates partners upload (no person in them). NRM referrals are
special-category personal data: they belong to the first responder's agency.
"""

from django.conf import settings
from django.db import models

from soclocal.core.access import Ownership
from soclocal.core.retention import (
    REVIEW,
    SAFEGUARDING,
    Rule,
)


class Indicator(models.Model):
    """One measure of vulnerability, defined once for the whole partnership."""

    class Kind(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded counts"
        DEPRIVATION = "deprivation", "Loaded deprivation score"

    code = models.SlugField(max_length=60, unique=True,
                            help_text="The name used in upload files, e.g. crisis_grants")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.UPLOADED)
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="vulnerability_indicators")
    source = models.CharField(max_length=300, blank=True)
    counts = models.TextField("What counts", blank=True)
    suppression_threshold = models.PositiveSmallIntegerField(default=5)
    weight = models.FloatField(default=1.0, help_text="Its weight in the vulnerability index; "
                                                      "0 leaves it out")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    """One uploaded count for one LSOA or data zone in one period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7, help_text="YYYY, YYYY-Qn or YYYY-MM")
    count = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField(null=True, blank=True)
    source_file = models.CharField(max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "area", "period"],
                                               name="one_value_per_indicator_area_period")]
        indexes = [models.Index(fields=["period", "indicator"])]


class NrmReferral(models.Model):
    """A National Referral Mechanism referral made by one of the partnership's agencies."""

    retention = Rule(
        "nrm-referrals", purpose="Referring potential victims of modern slavery to the "
        "National Referral Mechanism", lawful_basis=SAFEGUARDING,
        subject="potential victims of modern slavery",
        categories=("exploitation type", "decisions", "special category data"),
        recipients=("the Single Competent Authority (Home Office)",), days=6 * 365,
        after="referral_date", action=REVIEW,
        period="6 years after the referral")

    class Jurisdiction(models.TextChoices):
        ENGLAND_WALES = "england-and-wales", "England and Wales"
        SCOTLAND = "scotland", "Scotland"

    class Exploitation(models.TextChoices):
        CRIMINAL = "criminal", "Criminal (including county lines)"
        SEXUAL = "sexual", "Sexual"
        LABOUR = "labour", "Labour"
        DOMESTIC = "domestic", "Domestic servitude"
        MIXED = "mixed", "More than one kind"
        UNKNOWN = "unknown", "Not yet known"

    class AgeBand(models.TextChoices):
        UNDER_16 = "under-16", "Under 16"
        AGE_16_17 = "16-17", "16 or 17"
        ADULT = "adult", "18 or over"
        UNKNOWN = "unknown", "Not known"

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"

    reference = models.CharField(max_length=60, help_text="The referral's NRM or case reference")
    case_reference = models.CharField(max_length=60, blank=True)
    first_responder_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                               related_name="nrm_referrals")
    owning_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    jurisdiction = models.CharField(max_length=20, choices=Jurisdiction.choices,
                                    default=Jurisdiction.ENGLAND_WALES)
    exploitation_type = models.CharField(max_length=20, choices=Exploitation.choices)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    referral_date = models.DateField()
    reasonable_grounds_due = models.DateField()
    reasonable_grounds = models.CharField(max_length=10, choices=Decision.choices,
                                          default=Decision.PENDING)
    reasonable_grounds_date = models.DateField(null=True, blank=True)
    conclusive_grounds = models.CharField(max_length=10, choices=Decision.choices,
                                          default=Decision.PENDING)
    conclusive_grounds_date = models.DateField(null=True, blank=True)
    support_offered = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    ownership = Ownership(agency="first_responder_agency", team="owning_team", owners=("owner",))

    class Meta:
        ordering = ["-referral_date", "reference"]

    def __str__(self):
        return f"NRM referral {self.reference}"

    @property
    def stage(self) -> str:
        if self.reasonable_grounds == self.Decision.PENDING:
            return "Waiting for the reasonable-grounds decision"
        if self.reasonable_grounds == self.Decision.NEGATIVE:
            return "Negative reasonable-grounds decision"
        if self.conclusive_grounds == self.Decision.PENDING:
            return "Waiting for the conclusive-grounds decision"
        return f"{self.get_conclusive_grounds_display()} conclusive-grounds decision"
