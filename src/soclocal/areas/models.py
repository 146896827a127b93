"""Geography: the areas a partnership works in, how they nest, who lives there, how deprived.

Area data is published open data, not personal data. Only custom neighbourhoods are made in
the system; they belong to the agency that drew them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_noop

from soclocal.core.access import Ownership


class AreaType(models.TextChoices):
    # Labels stay English where they are stored (a profile's figures); pages translate them.
    LSOA11 = "lsoa11", gettext_noop("LSOA 2011")
    LSOA21 = "lsoa21", gettext_noop("LSOA 2021")
    DZ11 = "dz11", gettext_noop("Data zone (Scotland)")
    IZ11 = "iz11", gettext_noop("Intermediate zone (Scotland)")
    WARD = "ward", gettext_noop("Ward")
    LAD = "lad", gettext_noop("Local authority")
    PFA = "pfa", gettext_noop("Police force area")
    NEIGHBOURHOOD = "neighbourhood", gettext_noop("Neighbourhood")


# The small areas everything else is built from.
SMALL_AREA_TYPES = (AreaType.LSOA21, AreaType.LSOA11, AreaType.DZ11)


class Area(models.Model):
    type = models.CharField(max_length=20, choices=AreaType.choices)
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    geometry = models.TextField(null=True, blank=True, help_text="GeoJSON geometry, WGS84")
    population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=200, blank=True)
    # Where an LSOA 2021 sits: ward and local authority from the ONS lookup, police force
    # area by where its representative point falls among the force boundaries.
    ward = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="ward_lsoas", limit_choices_to={"type": AreaType.WARD})
    lad = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="lad_lsoas", limit_choices_to={"type": AreaType.LAD})
    pfa = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="pfa_lsoas", limit_choices_to={"type": AreaType.PFA})
    # Where a data zone sits: its intermediate zone (and, in `lad`, its council area), from
    # the Scottish Government's lookup.
    iz = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="iz_data_zones", limit_choices_to={"type": AreaType.IZ11})

    class Meta:
        ordering = ["type", "name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["type", "code"], name="area_code_unique_per_type"),
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def type_label(self):
        return AreaType(self.type).label


class LsoaLookup(models.Model):
    """ONS best-fit lookup from LSOA 2011 to LSOA 2021 (one row per pair)."""

    class Change(models.TextChoices):
        UNCHANGED = "U", "Unchanged"
        SPLIT = "S", "Split"
        MERGED = "M", "Merged"
        COMPLEX = "X", "Complex"

    lsoa11_code = models.CharField(max_length=9, db_index=True)
    lsoa11_name = models.CharField(max_length=200)
    lsoa21_code = models.CharField(max_length=9, db_index=True)
    lsoa21_name = models.CharField(max_length=200)
    change = models.CharField(max_length=1, choices=Change.choices)
    lad22_code = models.CharField(max_length=9)
    lad22_name = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lsoa11_code", "lsoa21_code"],
                                    name="one_lookup_row_per_pair"),
        ]

    def __str__(self):
        return f"{self.lsoa11_code} -> {self.lsoa21_code} ({self.change})"


class DeprivationIndex(models.TextChoices):
    # Labels stay English where they are stored (a profile's figures); pages translate them.
    IMD2025 = "imd2025", gettext_noop("English Indices of Deprivation 2025")
    IMD2019 = "imd2019", gettext_noop("English Indices of Deprivation 2019")
    SIMD2020 = "simd2020", gettext_noop("Scottish Index of Multiple Deprivation 2020")
    WIMD2019 = "wimd2019", gettext_noop("Welsh Index of Multiple Deprivation 2019")


class Deprivation(models.Model):
    """One small area's place in one index. Decile 1 is the most deprived tenth."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="deprivation")
    index = models.CharField(max_length=10, choices=DeprivationIndex.choices)
    decile = models.PositiveSmallIntegerField()
    rank = models.FloatField(help_text="1 is the most deprived; tied places share a mean rank")
    score = models.FloatField(null=True, blank=True)
    # {"income": {"decile": 3, "rank": 5012, "score": 0.21}, ...}
    domains = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "index"], name="one_reading_per_index"),
            models.CheckConstraint(condition=models.Q(decile__gte=1, decile__lte=10),
                                   name="decile_1_to_10"),
            models.CheckConstraint(condition=models.Q(rank__gt=0), name="rank_positive"),
        ]

    def __str__(self):
        return f"{self.area.code} {self.index} decile {self.decile}"


class Indicator(models.Model):
    """One published figure for a small area besides its index: SIMD 2020's recorded crime
    count and rate per 10,000 people for a data zone, kept as a baseline for crime."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="indicators")
    source = models.CharField(max_length=20, help_text="Where it is published, e.g. simd2020")
    name = models.CharField(max_length=50)
    value = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "source", "name"],
                                    name="one_value_per_indicator"),
        ]

    def __str__(self):
        return f"{self.area.code} {self.source} {self.name} {self.value}"


class Neighbourhood(models.Model):
    """A place a partnership draws itself from LSOAs or data zones: an estate, a beat."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="neighbourhood")
    description = models.TextField(blank=True)
    members = models.ManyToManyField(Area, related_name="in_neighbourhoods")
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="neighbourhoods")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    ownership = Ownership(agency="owning_agency", team=None, owners=("created_by",))

    class Meta:
        ordering = ["area__name"]

    def __str__(self):
        return self.area.name


class GeographyVersion(models.Model):
    """One row whose stamp changes whenever areas, their deprivation, the LSOA lookup or
    neighbourhoods change, so that the geography snapshot analytics and crime imports read
    (`areas/snapshot.py`) is rebuilt when, and only when, it is out of date. Kept in the database so that it changes (and
    rolls back) with the geography itself."""

    stamp = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"geography {self.stamp}"
