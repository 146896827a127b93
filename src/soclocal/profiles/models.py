"""Local problem profiles: saved versions of a profile, and the harm weights they use.

Profiles are aggregates of published police data, not personal data; each saved profile is
a version that is never changed (an edit saves a new version).
"""

from django.conf import settings
from django.db import models


class HarmWeight(models.Model):
    """The partnership's harm weight for one police.uk crime type (days of imprisonment,
    after the Cambridge Crime Harm Index). Types with no row use the documented default."""

    crime_type = models.CharField(max_length=100, unique=True)
    weight = models.DecimalField(max_digits=9, decimal_places=2)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["crime_type"]

    def __str__(self):
        return f"{self.crime_type}: {self.weight}"


class ProfileVersion(models.Model):
    """One saved profile of an area for a run of months: the figures, the texts analysts
    wrote, the weights used and what data it was built from."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="profiles")
    month_from = models.CharField(max_length=7)
    month_to = models.CharField(max_length=7)
    version = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="next_versions")
    built_at = models.DateTimeField(auto_now_add=True)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")
    weights = models.JSONField(default=dict)
    source = models.JSONField(default=list, help_text="store partitions: force, month, import, "
                                                      "rows, checksum")
    texts = models.JSONField(default=dict, help_text="the report's editable sections")
    figures = models.JSONField(default=dict)

    class Meta:
        ordering = ["-built_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["area", "month_from", "month_to", "version"],
                                    name="one_profile_version_number"),
        ]

    def __str__(self):
        return f"{self.area.name}, {self.month_from} to {self.month_to} (version {self.version})"

    @property
    def title(self):
        return f"{self.area.name}: {self.period_label}"

    @property
    def period_label(self):
        from .report import month_label

        if self.month_from == self.month_to:
            return month_label(self.month_from)
        return f"{month_label(self.month_from)} to {month_label(self.month_to)}"


class SocFraction(models.Model):
    """The partnership's estimate of the share of one crime type's recorded crime that is
    attributable to serious organised crime, as a low, central and high fraction (0 to 1).
    Types with no row use the documented default (analytics.DEFAULT_SOC_FRACTIONS)."""

    crime_type = models.CharField(max_length=100, unique=True)
    low = models.DecimalField(max_digits=4, decimal_places=3)
    central = models.DecimalField(max_digits=4, decimal_places=3)
    high = models.DecimalField(max_digits=4, decimal_places=3)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["crime_type"]
        constraints = [
            models.CheckConstraint(condition=models.Q(low__gte=0, low__lte=models.F("central"),
                                                      central__lte=models.F("high"), high__lte=1),
                                   name="soc_fraction_low_central_high"),
        ]

    def __str__(self):
        return f"{self.crime_type}: {self.low} to {self.high}"
