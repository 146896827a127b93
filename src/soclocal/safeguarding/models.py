"""Protect: vulnerability indicators by area, the index built from them, NRM referrals.

Indicator figures are aggregates partners upload (no person in them). NRM referrals are
special-category personal data: they belong to the first responder's agency.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from soclocal.core.access import Ownership
from soclocal.core.retention import (
    REVIEW,
    SAFEGUARDING,
    Rule,
)


class Indicator(models.Model):
    """One measure of vulnerability, defined once for the whole partnership."""

    class Kind(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded counts")
        DEPRIVATION = "deprivation", _("Loaded deprivation score")
        DEPRIVATION_DOMAIN = "deprivation_domain", _("Loaded deprivation domain score")
        CRIME = "crime", _("Recorded crime (from the crime store)")
        CASES = "cases", _("Open early-intervention cases (from case records)")
        INTELLIGENCE = "intelligence", _("Intelligence reports (from intelligence records)")

    # Kinds whose figure is a count of records (suppressed when shared), not a score.
    COUNTED = {Kind.UPLOADED, Kind.CRIME, Kind.CASES, Kind.INTELLIGENCE}
    # Kinds the system works out from its own records for each period.
    SYSTEM = {Kind.CRIME, Kind.CASES, Kind.INTELLIGENCE, Kind.DEPRIVATION_DOMAIN}

    code = models.SlugField(max_length=60, unique=True,
                            help_text=_("The name used in upload files, e.g. crisis_grants"))
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.UPLOADED)
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="vulnerability_indicators")
    source = models.CharField(max_length=300, blank=True)
    detail = models.CharField(
        max_length=100, blank=True,
        help_text=_("For recorded crime, one police.uk crime type (blank: every type); for a "
                  "deprivation domain, the domain's name, e.g. income"))
    counts = models.TextField(_("What counts"), blank=True)
    suppression_threshold = models.PositiveSmallIntegerField(default=5)
    weight = models.FloatField(default=1.0, help_text=_("Its weight in the vulnerability index; "
                                                      "0 leaves it out"))
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
    period = models.CharField(max_length=7, help_text=_("YYYY, YYYY-Qn or YYYY-MM"))
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
        ENGLAND_WALES = "england-and-wales", _("England and Wales")
        SCOTLAND = "scotland", _("Scotland")

    class Exploitation(models.TextChoices):
        CRIMINAL = "criminal", _("Criminal (including county lines)")
        SEXUAL = "sexual", _("Sexual")
        LABOUR = "labour", _("Labour")
        DOMESTIC = "domestic", _("Domestic servitude")
        MIXED = "mixed", _("More than one kind")
        UNKNOWN = "unknown", _("Not yet known")

    class AgeBand(models.TextChoices):
        UNDER_16 = "under-16", _("Under 16")
        AGE_16_17 = "16-17", _("16 or 17")
        ADULT = "adult", _("18 or over")
        UNKNOWN = "unknown", _("Not known")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        POSITIVE = "positive", _("Positive")
        NEGATIVE = "negative", _("Negative")

    reference = models.CharField(max_length=60, help_text=_("The referral's NRM or case reference"))
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
        ADDRESS = "address", _("Address")
        PARK = "park", _("Park or open space")
        SHOP = "shop", _("Shop or takeaway")
        STATION = "station", _("Station or transport hub")
        SCHOOL = "school", _("School or college")
        OTHER = "other", _("Other place")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", help_text=_("The LSOA or data zone it is in"))
    description = models.TextField(_("Why it is a concern"), blank=True)
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
    # When a young person's records are erased the sighting at the place stays, without them.
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
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
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True,
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
        HIGH = "high", _("High: the home is being used now")
        MEDIUM = "medium", _("Medium: signs of others taking over")
        LOW = "low", _("Low: vulnerable, no signs yet")

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    home = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="adults", help_text=_("Their home, as a place of concern"))
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
    role = models.CharField(_("What they do"), max_length=200)
    contact = models.CharField(max_length=200, blank=True)

    retention = Rule(
        "adults-at-risk-agencies", purpose="Protecting adults at risk of cuckooing",
        lawful_basis=SAFEGUARDING, subject="adults at risk", categories=("agency contacts",),
        kept_with="safeguarding.vulnerableadult")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["adult", "agency"],
                                               name="one_involvement_per_agency")]


# Contextual safeguarding: peer-group maps and MACE panels (decision 0040) ------------------
#
# Both are special-category personal data about children. They are reached by membership, not
# by agency: a map by its members and the owners of the cases of the children on it; a panel
# meeting by its co-chairs and members; one child's hearing at a panel also by the owner of the
# child's case (who never sees the other children on the agenda).

COUNTY_LINES_INDICATORS = [
    # The Home Office county-lines indicators (the same codes as on an early intervention
    # referral).
    ("missing_out_of_area", "Going missing or found out of area"),
    ("unexplained_items", "Unexplained money, clothes or phones"),
    ("phones", "Several phones or SIM cards"),
    ("associates", "Older or controlling associates"),
    ("leaving_home", "Leaving home or care without explanation"),
    ("injuries", "Injuries"),
    ("school", "Falling school performance"),
    ("weapons", "Weapons"),
    ("paraphernalia", "Drug paraphernalia"),
    ("tickets", "Train tickets"),
    ("isolation", "Isolation from peers"),
]


class MaceSettings(models.Model):
    """The partnership's MACE settings (one row)."""

    review_weeks = models.PositiveSmallIntegerField(
        _("Weeks to a review"), default=12,
        help_text=_("How long after a panel a child's situation is reviewed, unless the panel "
                  "sets another date"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("MACE settings")


class MaceReferral(models.Model):
    """A case referred to the MACE panel, with the county-lines indicators seen and the
    evidence for each."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a panel")
        LISTED = "listed", _("On a panel's agenda")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case_id = models.PositiveIntegerField(help_text=_("The early intervention case referred"))
    case_reference = models.CharField(max_length=40)
    case_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    referring_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                         related_name="+")
    referred_at = models.DateTimeField(auto_now_add=True)
    indicators = models.JSONField(default=list)
    evidence = models.JSONField(default=dict, help_text=_("Indicator code: what was seen"))
    concerns = models.TextField(_("What worries you"))
    strengths = models.TextField(_("What is going well"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)

    # The referrer and the case owner; panel coordinators see waiting referrals by capability.
    ownership = Ownership(agency=None, team=None, owners=("referred_by", "case_owner"))
    retention = Rule(
        "mace-referrals", purpose="Protecting children from exploitation through the multi-agency "
        "panel", lawful_basis=SAFEGUARDING, subject="children heard by the panel",
        categories=("exploitation indicators", "evidence", "special category data"), days=6 * 365, after="referred_at", action=REVIEW,
        period="6 years after the referral, then reviewed")

    class Meta:
        ordering = ["referred_at", "pk"]

    def __str__(self):
        return f"MACE referral {self.pk} ({self.case_reference})"

    def indicator_labels(self):
        labels = dict(COUNTY_LINES_INDICATORS)
        return [(labels.get(c, c), self.evidence.get(c, "")) for c in self.indicators]


class PanelMeeting(models.Model):
    """A MACE panel meeting, co-chaired by the police and the local authority."""

    held_on = models.DateField(_("Date of the panel"))
    location = models.CharField(max_length=200, blank=True)
    police_chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    local_authority_chair = models.ForeignKey(settings.AUTH_USER_MODEL,
                                              on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="mace_panels",
                                     blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ownership = Ownership(agency=None, team=None,
                          owners=("police_chair", "local_authority_chair", "members"))
    retention = Rule(
        "mace-panels", purpose="Protecting children from exploitation through the multi-agency "
        "panel", lawful_basis=SAFEGUARDING, subject="children heard by the panel",
        categories=("who attended", "the agenda"), days=6 * 365, after="held_on", action=REVIEW,
        period="6 years after the panel, then reviewed")

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"MACE panel {self.held_on:%-d %B %Y}"

    def is_member(self, user) -> bool:
        return user.pk in (self.police_chair_id, self.local_authority_chair_id) or \
            self.members.filter(pk=user.pk).exists()


class MaceHearing(models.Model):
    """One child's item on a panel's agenda: the presentation, the risk tier, the minutes
    (for this child alone), the actions and the outcome, and when it is reviewed."""

    class Tier(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class Outcome(models.TextChoices):
        PENDING = "", _("Not yet heard")
        REVIEW = "review", _("Keep at the panel and review")
        STEP_DOWN = "step_down", _("Step down to single-agency support")

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.PROTECT, related_name="hearings")
    referral = models.ForeignKey(MaceReferral, on_delete=models.PROTECT, related_name="hearings")
    review_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="reviews")
    position = models.PositiveSmallIntegerField(default=1)
    presentation = models.TextField(_("The child's situation, as presented"), blank=True)
    risk_tier = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    minutes = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(_("What the panel decided"), blank=True)
    review_due = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    ownership = Ownership(agency=None, team=None,
                          owners=("meeting__police_chair", "meeting__local_authority_chair",
                                  "meeting__members", "referral__case_owner"))
    retention = Rule(
        "mace-hearings", purpose="Protecting children from exploitation through the multi-agency "
        "panel", lawful_basis=SAFEGUARDING, subject="children heard by the panel",
        categories=("presentation", "risk tier", "minutes", "special category data"), days=6 * 365, after="meeting__held_on", action=REVIEW,
        period="6 years after the panel, then reviewed")

    class Meta:
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return f"{self.referral.case_reference} at the {self.meeting}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("safeguarding:hearing", args=[self.pk])


class MaceAction(models.Model):
    """An action agreed at a hearing: to protect the child, or to disrupt the exploiters."""

    class Kind(models.TextChoices):
        PROTECT = "protect", _("Protect the child")
        DISRUPT = "disrupt", _("Disrupt the exploiters")

    hearing = models.ForeignKey(MaceHearing, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.TextField()
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    due_on = models.DateField()
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "due_on", "pk"]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("safeguarding:hearing", args=[self.hearing_id]) + f"#action-{self.pk}"


class PeerGroupMap(models.Model):
    """A map of a group of children, the adults of concern around them, and the places and
    online spaces they share (contextual safeguarding)."""

    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="peer_maps",
                                     blank=True)
    panel = models.ForeignKey(PanelMeeting, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="maps")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    ownership = Ownership(agency=None, team=None,
                          owners=("created_by", "members", "panel__police_chair",
                                  "panel__local_authority_chair", "panel__members",
                                  "nodes__case_owner"))
    retention = Rule(
        "peer-group-maps", purpose="Protecting children from exploitation through the multi-agency "
        "panel", lawful_basis=SAFEGUARDING, subject="children heard by the panel",
        categories=("children, adults of concern, places and online spaces", "risks and strengths"), days=6 * 365, after="created_at", action=REVIEW,
        period="6 years after the map was made, then reviewed")

    class Meta:
        ordering = ["-updated_at", "pk"]

    def __str__(self):
        return self.title


class MapNode(models.Model):
    class Kind(models.TextChoices):
        CHILD = "child", _("Child")
        ADULT = "adult", _("Adult of concern")
        PLACE = "place", _("Place")
        ONLINE = "online", _("Online space")
        PROFESSIONAL = "professional", _("Professional involved")

    class Risk(models.TextChoices):
        NOT_ASSESSED = "", _("Not assessed")
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    map = models.ForeignKey(PeerGroupMap, on_delete=models.CASCADE, related_name="nodes")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    label = models.CharField(max_length=200, help_text=_("A name, an initial or a description"))
    case_id = models.PositiveIntegerField(null=True, blank=True)
    case_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    risk = models.CharField(_("Assessed risk"), max_length=10, choices=Risk.choices, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "label", "pk"]

    def __str__(self):
        return self.label


class MapLink(models.Model):
    class Kind(models.TextChoices):
        FRIENDS = "friends", _("Friends")
        FAMILY = "family", _("Family")
        SCHOOL = "school", _("At school together")
        SEEN_WITH = "seen_with", _("Seen together")
        EXPLOITS = "exploits", _("Exploits or controls")
        GOES_TO = "goes_to", _("Spends time at")
        ONLINE = "online", _("In contact online")
        WORKS_WITH = "works_with", _("Works with")

    class Reliability(models.TextChoices):
        # The source grades of the 3x5x2 model.
        RELIABLE = "1", _("1: reliable")
        UNTESTED = "2", _("2: untested")
        NOT_RELIABLE = "3", _("3: not reliable")

    map = models.ForeignKey(PeerGroupMap, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(MapNode, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(MapNode, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    reliability = models.CharField(_("How reliable the source is"), max_length=1,
                                   choices=Reliability.choices)
    source_of_information = models.CharField(_("Who told us"), max_length=200, blank=True)
    risks = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    action = models.TextField(_("Action"), blank=True)
    no_action_reason = models.TextField(_("Reason for no action"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.source} – {self.get_kind_display().lower()} – {self.target}"
