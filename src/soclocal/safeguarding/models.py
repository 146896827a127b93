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
        DEPRIVATION_DOMAIN = "deprivation_domain", "Loaded deprivation domain score"
        CRIME = "crime", "Recorded crime (from the crime store)"
        CASES = "cases", "Open early-intervention cases (from case records)"
        INTELLIGENCE = "intelligence", "Intelligence reports (from intelligence records)"

    # Kinds whose figure is a count of records (suppressed when shared), not a score.
    COUNTED = {Kind.UPLOADED, Kind.CRIME, Kind.CASES, Kind.INTELLIGENCE}
    # Kinds the system works out from its own records for each period.
    SYSTEM = {Kind.CRIME, Kind.CASES, Kind.INTELLIGENCE, Kind.DEPRIVATION_DOMAIN}

    code = models.SlugField(max_length=60, unique=True,
                            help_text="The name used in upload files, e.g. crisis_grants")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.UPLOADED)
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="vulnerability_indicators")
    source = models.CharField(max_length=300, blank=True)
    detail = models.CharField(
        max_length=100, blank=True,
        help_text="For recorded crime, one police.uk crime type (blank: every type); for a "
                  "deprivation domain, the domain's name, e.g. income")
    counts = models.TextField("What counts", blank=True)
    suppression_threshold = models.PositiveSmallIntegerField(default=5)
    weight = models.FloatField(default=1.0, help_text="Its weight in the vulnerability index; "
                                                      "0 leaves it out")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("safeguarding:place", args=[self.pk])


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


class Place(models.Model):
    """A place where exploitation is seen: an address, a park, a shop, a station, a school.

    A place is not a person; what is linked to it (cases, intelligence) stays behind its own
    access rules.
    """

    class Kind(models.TextChoices):
        ADDRESS = "address", "Address"
        PARK = "park", "Park or open space"
        SHOP = "shop", "Shop or takeaway"
        STATION = "station", "Station or transport hub"
        SCHOOL = "school", "School or college"
        OTHER = "other", "Other place"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", help_text="The LSOA or data zone it is in")
    description = models.TextField("Why it is a concern", blank=True)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ownership = Ownership(agency="owning_agency", team=None, owners=("created_by",))
    retention = Rule(
        "places-of-concern", purpose="Protecting people from exploitation at places where it "
        "is seen", lawful_basis=SAFEGUARDING, subject="places and the people seen there",
        categories=("addresses", "indicators seen"), days=2 * 365, after="created_at",
        action=REVIEW, period="2 years after it was recorded, then reviewed")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("safeguarding:place", args=[self.pk])


class Sighting(models.Model):
    """An exploitation indicator seen on a date, at a place, for a case, or both.

    The indicators are the cases app's (the Home Office county-lines indicators)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="sightings")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    indicator = models.CharField(max_length=40)
    seen_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    recording_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                         related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    ownership = Ownership(agency="recording_agency", team=None, owners=("recorded_by",))
    retention = Rule(
        "sightings", purpose="Seeing where exploitation indicators recur",
        lawful_basis=SAFEGUARDING, subject="young people and places",
        categories=("indicators seen", "special category data"), days=2 * 365,
        after="seen_on", action=REVIEW)

    class Meta:
        ordering = ["-seen_on", "-pk"]


class PlaceLink(models.Model):
    """A case or an intelligence report linked to a place."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    report = models.ForeignKey("intelligence.IntelligenceReport", on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(case__isnull=False, report__isnull=True)
                                   | models.Q(case__isnull=True, report__isnull=False),
                                   name="place_link_one_record"),
        ]


class VulnerableAdult(models.Model):
    """An adult at risk of cuckooing (their home taken over). Police and adult social care."""

    class Risk(models.TextChoices):
        HIGH = "high", "High: the home is being used now"
        MEDIUM = "medium", "Medium: signs of others taking over"
        LOW = "low", "Low: vulnerable, no signs yet"

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    home = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="adults", help_text="Their home, as a place of concern")
    vulnerabilities = models.TextField(blank=True)
    risk = models.CharField(max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    owning_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ownership = Ownership(agency="owning_agency", team="owning_team", owners=("owner",))
    retention = Rule(
        "adults-at-risk", purpose="Protecting adults at risk of cuckooing",
        lawful_basis=SAFEGUARDING, subject="adults at risk",
        categories=("names", "dates of birth", "addresses", "health and care needs"),
        recipients=("police", "adult social care"), days=6 * 365, after="created_at",
        action=REVIEW, period="6 years after the record was made, then reviewed")

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class AgencyInvolvement(models.Model):
    """An agency working with a vulnerable adult, and who to contact there."""

    adult = models.ForeignKey(VulnerableAdult, on_delete=models.CASCADE,
                              related_name="involvements")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("What they do", max_length=200)
    contact = models.CharField(max_length=200, blank=True)

    retention = Rule(
        "adults-at-risk-agencies", purpose="Protecting adults at risk of cuckooing",
        lawful_basis=SAFEGUARDING, subject="adults at risk", categories=("agency contacts",),
        kept_with="safeguarding.vulnerableadult")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["adult", "agency"],
                                               name="one_involvement_per_agency")]
