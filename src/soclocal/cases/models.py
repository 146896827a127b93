"""Early intervention for 11-18 year olds: referral, outreach, assessment, plan, closure.

A young person has one case per owning agency; every referral (the first and each
re-referral) is a `Referral` on that case, so the whole history stays together.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soclocal.core.access import Ownership
from soclocal.core.retention import (
    DELETE,
    SAFEGUARDING,
    Rule,
)

USER = settings.AUTH_USER_MODEL


class YoungPerson(models.Model):
    retention = Rule(
        "young-people", purpose="Early intervention support for young people at risk of "
        "exploitation", lawful_basis=SAFEGUARDING, subject="young people",
        categories=("name", "date of birth", "gender", "ethnicity", "school",
                    "agency references"),
        recipients=("partner agencies a case is shared with or transferred to",),
        days=6 * 365, after="cases__closed_at", period="6 years after their last case closed",
        action=DELETE, select="soclocal.cases.retention.closed_long_ago",
        erase="soclocal.cases.retention.erase_young_people")

    class Gender(models.TextChoices):
        GIRL = "girl", _("Girl or young woman")
        BOY = "boy", _("Boy or young man")
        NON_BINARY = "non_binary", _("Non-binary")
        OTHER = "other", _("Described another way")
        NOT_KNOWN = "not_known", _("Not known")

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=100, blank=True)
    home_area = models.ForeignKey("areas.Area", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    school = models.CharField(max_length=200, blank=True)
    police_id = models.CharField("Police reference", max_length=50, blank=True)
    social_care_id = models.CharField("Social care reference", max_length=50, blank=True)
    education_id = models.CharField("Education reference (UPN)", max_length=50, blank=True)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    owning_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    # A duplicate merged into another record keeps its row, so its history stays traceable.
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_from")
    created_at = models.DateTimeField(auto_now_add=True)

    ownership = Ownership(agency="owning_agency", team="owning_team",
                          owners=("cases__practitioner", "cases__peer_mentor"))

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def name(self):
        return str(self)

    def age_on(self, day):
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class FamilyMember(models.Model):
    retention = Rule(
        "family-members", purpose="Supporting a young person's family",
        lawful_basis=SAFEGUARDING, subject="family members",
        categories=("name", "relationship", "phone"), kept_with="cases.youngperson",
        action=DELETE)

    young_person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="family")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100)
    is_caregiver = models.BooleanField(default=False)
    phone = models.CharField(max_length=50, blank=True)

    def __str__(self):
        return f"{self.name} ({self.relationship})"


class Case(models.Model):
    retention = Rule(
        "cases", purpose="Early intervention support for young people at risk of "
        "exploitation", lawful_basis=SAFEGUARDING, subject="young people",
        categories=("referral reasons", "needs (outcomes star)", "plans", "contacts",
                    "closure", "health and offending (special category)"),
        recipients=("partner agencies a case is shared with or transferred to",),
        kept_with="cases.youngperson", action=DELETE)

    class Status(models.TextChoices):
        AWAITING_TRIAGE = "awaiting_triage", _("Waiting for triage")
        OPEN = "open", _("Open")
        CLOSURE_REQUESTED = "closure_requested", _("Closure waiting for approval")
        CLOSED = "closed", _("Closed")
        SIGNPOSTED = "signposted", _("Signposted elsewhere")
        DECLINED = "declined", _("Declined")

    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="cases")
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    owning_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    practitioner = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="cases_as_practitioner")
    peer_mentor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="cases_as_peer_mentor")
    status = models.CharField(max_length=20, choices=Status.choices,
                              default=Status.AWAITING_TRIAGE)
    opened_at = models.DateTimeField(default=timezone.now)
    first_engaged_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    ownership = Ownership(agency="owning_agency", team="owning_team",
                          owners=("practitioner", "peer_mentor"))

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self):
        return f"Case {self.pk}: {self.young_person}"

    @property
    def is_active(self):
        return self.status in (self.Status.OPEN, self.Status.CLOSURE_REQUESTED)

    @property
    def current_referral(self):
        return self.referrals.order_by("-received_at", "-pk").first()


class Referral(models.Model):
    retention = Rule(
        "referrers", purpose="Knowing who referred a young person and why",
        lawful_basis=SAFEGUARDING, subject="referrers (professionals and family)",
        categories=("name", "contact details", "consent"), kept_with="cases.youngperson",
        action=DELETE)

    class Source(models.TextChoices):
        CHILDRENS_SERVICES = "childrens_services", _("Children's services")
        POLICE = "police", _("Police")
        YOUTH_JUSTICE = "youth_justice", _("Youth justice")
        SCHOOL = "school", _("School")
        HEALTH = "health", _("Health")
        FAMILY = "family", _("Family")
        SELF = "self", _("Self-referral")
        OTHER = "other", _("Other")

    class Reason(models.TextChoices):
        CRIMINAL_EXPLOITATION = "criminal_exploitation", _("Criminal exploitation")
        SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
        OCG_ASSOCIATION = "ocg_association", _("Association with an organised crime group")
        REPEATED_OFFENDING = "repeated_offending", _("Repeated offending")
        DRUG_DEALING = "drug_dealing", _("Drug dealing")
        MISSING = "missing", _("Missing episodes")
        OTHER = "other", _("Other")

    class Indicator(models.TextChoices):
        # The Home Office county-lines indicators.
        MISSING_OUT_OF_AREA = "missing_out_of_area", _("Going missing or found out of area")
        UNEXPLAINED_ITEMS = "unexplained_items", _("Unexplained money, clothes or phones")
        PHONES = "phones", _("Several phones or SIM cards")
        ASSOCIATES = "associates", _("Older or controlling associates")
        LEAVING_HOME = "leaving_home", _("Leaving home or care without explanation")
        INJURIES = "injuries", _("Injuries")
        SCHOOL = "school", _("Falling school performance")
        WEAPONS = "weapons", _("Weapons")
        PARAPHERNALIA = "paraphernalia", _("Drug paraphernalia")
        TICKETS = "tickets", _("Train tickets")
        ISOLATION = "isolation", _("Isolation from peers")

    class LawfulBasis(models.TextChoices):
        CONSENT = "consent", _("Consent")
        PUBLIC_TASK = "public_task", _("Public task (statutory safeguarding duty)")
        VITAL_INTERESTS = "vital_interests", _("Vital interests (risk of serious harm)")
        LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")

    class Decision(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        SIGNPOST = "signpost", _("Signpost elsewhere")
        DECLINE = "decline", _("Decline")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    received_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=30, choices=Source.choices)
    referrer_name = models.CharField(max_length=200)
    referrer_contact = models.CharField(max_length=200, blank=True)
    reasons = models.JSONField(default=list)
    indicators = models.JSONField(default=list, blank=True)
    concerns = models.TextField(blank=True)
    risks = models.TextField(blank=True)
    young_person_consents_to_sharing = models.BooleanField(default=False)
    young_person_consents_to_service = models.BooleanField(default=False)
    caregiver_consents_to_sharing = models.BooleanField(default=False)
    caregiver_consents_to_service = models.BooleanField(default=False)
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices,
                                    default=LawfulBasis.CONSENT)
    lawful_basis_reason = models.TextField(blank=True)
    age_override_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    signposted_to = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    ownership = Ownership(agency="case__owning_agency", team="case__owning_team",
                          owners=("case__practitioner", "case__peer_mentor"))

    class Meta:
        ordering = ["-received_at"]

    @property
    def reason_labels(self):
        return [self.Reason(r).label for r in self.reasons if r in self.Reason.values]

    @property
    def indicator_labels(self):
        return [self.Indicator(r).label for r in self.indicators if r in self.Indicator.values]

    @property
    def consent_to_share(self):
        """Sharing is lawful on consent only when both the young person and a caregiver agree."""
        return self.young_person_consents_to_sharing and self.caregiver_consents_to_sharing

    @property
    def sharing_basis(self):
        if self.lawful_basis != self.LawfulBasis.CONSENT:
            return self.get_lawful_basis_display()
        return "Consent" if self.consent_to_share else ""


class Assignment(models.Model):
    """Each allocation and reassignment, kept as history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    practitioner = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    peer_mentor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    assigned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assigned_at", "pk"]


class OutreachAttempt(models.Model):
    class Method(models.TextChoices):
        DOOR_KNOCK = "door_knock", _("Door knock")
        CALL = "call", _("Phone call")
        MESSAGE = "message", _("Message")
        CAREGIVER = "caregiver", _("Through a caregiver")
        SCHOOL = "school", _("At school")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outreach")
    attempted_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices)
    engaged = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attempted_on", "pk"]


class StarInstrument(models.Model):
    """An outcomes star: areas scored on a scale, grouped into stages of a journey."""

    name = models.CharField(max_length=100, unique=True)
    scale_min = models.PositiveSmallIntegerField(default=1)
    scale_max = models.PositiveSmallIntegerField(default=10)
    # [{"name": "Stuck", "from": 1, "to": 2}, ...]
    stages = models.JSONField(default=list)
    reassess_every_days = models.PositiveIntegerField(default=90)
    licensed_text_loaded = models.BooleanField(default=False)
    # The one instrument new readings use; when none is marked, the default instrument is.
    active = models.BooleanField(default=False)
    # A new version starts as a copy of the one it replaces, which keeps its readings.
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="versions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def in_use(self):
        return StarReading.objects.filter(instrument=self).exists()

    def stage_of(self, score):
        for stage in self.stages:
            if stage["from"] <= score <= stage["to"]:
                return stage["name"]
        return ""


class StarArea(models.Model):
    instrument = models.ForeignKey(StarInstrument, on_delete=models.CASCADE, related_name="areas")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    # Optional text for each point, e.g. a licensee's official descriptors: {"1": "...", ...}
    descriptors = models.JSONField(default=dict, blank=True)
    # Optional text of our own for each stage of the journey: {"Stuck": "...", ...}
    stage_descriptors = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "position"],
                                               name="star_area_position_unique")]

    def __str__(self):
        return self.name


class StarReading(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="readings")
    instrument = models.ForeignKey(StarInstrument, on_delete=models.PROTECT, related_name="+")
    taken_on = models.DateField(help_text=_("The day the reading was done with the young person"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    action_plan = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["taken_on", "pk"]

    @property
    def approved(self):
        return self.approved_at is not None


class StarScore(models.Model):
    reading = models.ForeignKey(StarReading, on_delete=models.CASCADE, related_name="scores")
    area = models.ForeignKey(StarArea, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    # Where the worker and the young person disagree, the other view sits beside the agreed one.
    other_view = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["area__position"]
        constraints = [models.UniqueConstraint(fields=["reading", "area"],
                                               name="one_score_per_area")]


class Plan(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    review_every_days = models.PositiveIntegerField(default=42)

    class Meta:
        ordering = ["created_at", "pk"]

    @property
    def approved(self):
        return self.approved_at is not None


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    star_area = models.ForeignKey(StarArea, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    description = models.CharField(max_length=300)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.description


class PlanAction(models.Model):
    class For(models.TextChoices):
        YOUNG_PERSON = "young_person", _("The young person")
        FAMILY = "family", _("The family")

    class Kind(models.TextChoices):
        FINANCIAL = "financial", _("Financial help")
        EMOTIONAL = "emotional", _("Emotional support")
        HEALTH = "health", _("Health and wellbeing")
        DECISIONS = "decisions", _("Decision making")
        DIVERSIONARY = "diversionary", _("Diversionary activities")
        SKILLS = "skills", _("Skills")
        EDUCATION = "education", _("Education, training and employment")
        CAREGIVER_RESILIENCE = "caregiver_resilience", _("Caregiver resilience")
        SUPPORT_NETWORK = "support_network", _("Support network")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        STOPPED = "stopped", _("Stopped")

    YOUNG_PERSON_KINDS = ["financial", "emotional", "health", "decisions", "diversionary",
                          "skills", "education"]
    FAMILY_KINDS = ["financial", "emotional", "caregiver_resilience", "support_network"]

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="actions")
    for_whom = models.CharField(max_length=20, choices=For.choices, default=For.YOUNG_PERSON)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.CharField(max_length=300)
    owner = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)

    class Meta:
        ordering = ["pk"]


class PlanReview(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    notes = models.TextField()
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["reviewed_on", "pk"]


class Contact(models.Model):
    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "1:1"
        GROUP = "group", _("Group")
        FAMILY = "family", _("Family")
        PHONE = "phone", _("Phone")
        OUT_OF_HOURS = "out_of_hours", _("Out of hours")
        INFORMAL = "informal", _("Informal, after closure")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contacts")
    happened_on = models.DateField()
    duration_minutes = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    out_of_hours = models.BooleanField(default=False)
    place = models.CharField(max_length=200, blank=True)
    people_present = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="contacts")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_by_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                           null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "pk"]


class Closure(models.Model):
    class Reason(models.TextChoices):
        GOALS_MET = "goals_met", _("Goals met")
        DISENGAGED = "disengaged", _("Disengaged")
        MOVED_AWAY = "moved_away", _("Moved away")
        TRANSFERRED = "transferred", _("Transferred")
        CUSTODY = "custody", _("Entered custody")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closures")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    summary = models.TextField()
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]


class Transfer(models.Model):
    """A case offered to another agency: ownership moves only when the receiver accepts."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the receiving agency")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers")
    share = models.ForeignKey("core.Share", on_delete=models.PROTECT, related_name="+")
    from_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
