"""Know: partner intelligence, 3x5x2 grading, sanitised dissemination, entities and links.

A partner's note (`Submission`) goes to the police force's intelligence officers, who record
and grade an `IntelligenceReport`. Who the source is lives only in the `Source` register,
which only the source's named handlers can open. A report leaves the force only as an
approved `SanitisedVersion`, released to named agencies (`Release`) for a recorded purpose.
People, places and things (`Entity`) and the links between them (`Link`) are the force's
personal data and say which reports they come from.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soclocal.core.access import Ownership
from soclocal.core.retention import (
    ANONYMISE,
    CONSENT,
    DELETE,
    LAW_ENFORCEMENT,
    LEGITIMATE,
    REVIEW,
    Rule,
)

USER = settings.AUTH_USER_MODEL


class Grading:
    """The College of Policing 3x5x2 codes."""

    SOURCE = [("1", "1: reliable"), ("2", "2: untested"), ("3", "3: not reliable")]
    INTELLIGENCE = [
        ("A", "A: known directly to the source"),
        ("B", "B: known indirectly but corroborated"),
        ("C", "C: known indirectly"),
        ("D", "D: not known"),
        ("E", "E: suspected to be false"),
    ]
    HANDLING = [("P", "P: lawful sharing permitted"),
                ("C", "C: lawful sharing permitted with conditions")]


class Submission(models.Model):
    """What a partner (or, from the public community pages, a resident) saw or heard, sent
    to the force's intelligence officers. A resident's has no submitting user; their name and
    contact are optional, seen only by the officers, and cleared by the retention rules (`soclocal retention`)."""

    retention = (
        Rule("community-report-contacts", purpose="Asking a resident who reported something "
             "for more", lawful_basis=CONSENT, subject="residents",
             categories=("name", "contact details"), days=30, after="submitted_at", period="30 days after it was sent",
             where=Q(source="community"), action=ANONYMISE, stamp="contact_forgotten_at",
             clear={"contact_name": "", "contact": ""}),
        Rule("community-report-address-keys", purpose="Limiting how often one network "
             "address can send community reports", lawful_basis=LEGITIMATE,
             subject="residents", categories=("keyed hash of a network address",), days=1,
             after="submitted_at", period="1 day", where=Q(source="community"), action=ANONYMISE,
             clear={"client_key": ""}),
        Rule("submissions", purpose="Intelligence submitted to the force by partners and "
             "residents", lawful_basis=LAW_ENFORCEMENT, subject="people named in intelligence",
             categories=("what was seen or heard", "people and places described"),
             days=2 * 365, after="submitted_at", where=Q(reports__isnull=True),
             period="2 years after it was sent, unless made into a report", action=REVIEW),
    )

    class From(models.TextChoices):
        PARTNER = "partner", "Partner"
        COMMUNITY = "community", "Community (ungraded)"

    class HowKnown(models.TextChoices):
        SAW = "saw", _("I saw or heard it myself")
        TOLD_DIRECT = "told_direct", _("Someone who saw or heard it told me")
        HEARSAY = "hearsay", _("It is being talked about (second hand or more)")
        RECORDS = "records", _("From our records or systems")

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        SOON = "soon", _("Within a few days")
        URGENT = "urgent", _("Urgent: someone may be at risk now")

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ASSESSING = "assessing", "Being assessed"
        ASSESSED = "assessed", "Assessed"

    reference = models.CharField(max_length=20, unique=True)
    source = models.CharField(max_length=10, choices=From.choices, default=From.PARTNER)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submitter_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                         null=True, related_name="+")
    submitter_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+")
    to_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    what = models.TextField("What did you see or hear")
    where = models.CharField("Where", max_length=300)
    when = models.CharField("When", max_length=200)
    who = models.TextField("Who and what is involved", blank=True)
    how_known = models.CharField(max_length=20, choices=HowKnown.choices, blank=True)
    identifying = models.TextField("Anything that would help identify a vehicle or place",
                                   blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    child_at_risk = models.BooleanField(default=False)
    adult_at_risk = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    submitted_at = models.DateTimeField(default=timezone.now)
    # A resident's optional call-back details, and a keyed hash of their address for the
    # hourly limit; the retention rules (`soclocal retention`) clears both.
    contact_name = models.CharField(max_length=100, blank=True)
    contact = models.CharField(max_length=254, blank=True)
    # The language a resident wrote in, so an officer calling back can use it.
    language = models.CharField(max_length=5, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    client_key = models.CharField(max_length=64, blank=True, db_index=True)
    contact_forgotten_at = models.DateTimeField(null=True, blank=True)
    requirement = models.ForeignKey("Requirement", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="answers")

    ownership = Ownership(agency="to_agency", team="submitter_team", owners=("submitted_by",))

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        return self.reference

    @property
    def from_community(self) -> bool:
        return self.source == self.From.COMMUNITY

    @property
    def sender(self) -> str:
        if self.from_community:
            return "a resident"
        return str(self.submitter_agency or "a partner")

    @property
    def urgent_safeguarding(self) -> bool:
        return self.urgency == self.Urgency.URGENT and (self.child_at_risk or self.adult_at_risk)


class Source(models.Model):
    """The source register: who a source is. Only the named handlers can open a record."""

    retention = Rule(
        "sources", purpose="Managing sources of intelligence", lawful_basis=LAW_ENFORCEMENT,
        subject="sources", categories=("identity", "how to contact them"), days=6 * 365,
        after="created_at", period="6 years after the last report that names them",
        action=REVIEW)

    reference = models.CharField(max_length=20, unique=True)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    identity = models.CharField("Who the source is", max_length=300)
    contact = models.TextField("How to contact them", blank=True)
    notes = models.TextField(blank=True)
    handlers = models.ManyToManyField(USER, related_name="handled_sources")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ownership = Ownership(agency=None, team=None, owners=("handlers",))

    class Meta:
        ordering = ["reference"]

    def __str__(self):
        return self.reference


class IntelligenceReport(models.Model):
    retention = Rule(
        "intelligence-reports", purpose="Recording, grading and acting on intelligence",
        lawful_basis=LAW_ENFORCEMENT, subject="people named in intelligence",
        categories=("intelligence about people, places and groups", "grading"),
        recipients=("partner agencies sanitised versions are released to",),
        days=0, after="review_on", period="until its review date (MoPI)",
        action=REVIEW)

    class SourceType(models.TextChoices):
        PARTNER = "partner", "Partner agency staff"
        PUBLIC = "public", "Member of the public"
        POLICE = "police", "Police officer or staff"
        COVERT = "covert", "Covert human intelligence source"
        OPEN_SOURCE = "open_source", "Open source"
        RECORDS = "records", "Records or systems"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        DEVELOP = "develop", "Develop"
        DISSEMINATE = "disseminate", "Disseminate"
        FILE = "file", "File"
        NFA = "nfa", "No further action"

    reference = models.CharField(max_length=20, unique=True)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    owning_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="reports")
    title = models.CharField(max_length=200)
    text = models.TextField("The intelligence")
    source_type = models.CharField(max_length=20, choices=SourceType.choices)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="reports")
    source_grade = models.CharField(max_length=1, choices=Grading.SOURCE)
    intelligence_grade = models.CharField(max_length=1, choices=Grading.INTELLIGENCE)
    handling = models.CharField(max_length=1, choices=Grading.HANDLING)
    handling_conditions = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_reasons = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    ownership = Ownership(agency="owning_agency", team=None, owners=())

    class Meta:
        ordering = ["-created_at"]
        # The list pages newest first, and the review queue by date.
        indexes = [models.Index(fields=["-created_at", "-id"], name="intel_report_newest"),
                   models.Index(fields=["review_on"], name="intel_report_review_on")]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    @property
    def grade(self) -> str:
        return f"{self.source_grade}/{self.intelligence_grade}/{self.handling}"

    @property
    def review_overdue(self) -> bool:
        """Not reviewed by its review date (a report closed with no further action is not
        reviewed again)."""
        return bool(self.review_on and self.review_on < timezone.localdate()
                    and self.outcome != self.Outcome.NFA)


class SanitisedVersion(models.Model):
    """A report's text with whatever identifies the source removed; grading travels with it."""

    retention = Rule(
        "sanitised-versions", purpose="Sharing intelligence without its source",
        lawful_basis=LAW_ENFORCEMENT, subject="people named in intelligence",
        categories=("sanitised intelligence",), recipients=("partner agencies",),
        kept_with="intelligence.intelligencereport", action=DELETE)

    report = models.ForeignKey(IntelligenceReport, on_delete=models.PROTECT,
                               related_name="sanitised_versions")
    text = models.TextField("Sanitised text")
    source_grade = models.CharField(max_length=1, choices=Grading.SOURCE)
    intelligence_grade = models.CharField(max_length=1, choices=Grading.INTELLIGENCE)
    handling = models.CharField(max_length=1, choices=Grading.HANDLING)
    handling_conditions = models.TextField(blank=True)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    ownership = Ownership(agency="report__owning_agency", team=None, owners=())

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Sanitised {self.report.reference} #{self.pk}"

    @property
    def grade(self) -> str:
        return f"{self.source_grade}/{self.intelligence_grade}/{self.handling}"


class Release(models.Model):
    """A sanitised version released to one agency for a recorded purpose; withdrawable."""

    retention = Rule(
        "releases", purpose="Record of who received which intelligence",
        lawful_basis=LAW_ENFORCEMENT, subject="people named in intelligence",
        categories=("who received what",), kept_with="intelligence.intelligencereport",
        action=DELETE)

    sanitised = models.ForeignKey(SanitisedVersion, on_delete=models.PROTECT,
                                  related_name="releases")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=300)
    # The information-sharing agreement the release relies on (required for new releases).
    agreement = models.ForeignKey("partnership.Agreement", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="releases")
    released_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    # The receiving agency reaches a release; the owning force reaches it through its report.
    ownership = Ownership(agency="agency", team=None, owners=())

    class Meta:
        ordering = ["-released_at"]


class Entity(models.Model):
    """A person, organisation, address, vehicle, phone, online account or business.

    The kinds follow FollowTheMoney schemata (FTM_SCHEMA) so a network can be exported.
    """

    retention = Rule(
        "intelligence-entities", purpose="People, places, vehicles and groups named in "
        "intelligence", lawful_basis=LAW_ENFORCEMENT, subject="people named in intelligence",
        categories=("name", "date of birth", "address", "postcode", "phone"),
        kept_with="intelligence.intelligencereport", action=DELETE)

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"
        ADDRESS = "address", "Address"
        VEHICLE = "vehicle", "Vehicle"
        PHONE = "phone", "Phone"
        ONLINE_ACCOUNT = "online_account", "Online account"
        BUSINESS = "business", "Business"

    PREFIX = {"person": "P", "organisation": "O", "address": "A", "vehicle": "V",
              "phone": "T", "online_account": "U", "business": "B"}
    # A phone has no FtM schema of its own: it becomes the `phone` property of who uses it.
    FTM_SCHEMA = {"person": "Person", "organisation": "Organization", "address": "Address",
                  "vehicle": "Vehicle", "phone": None, "online_account": "UserAccount",
                  "business": "Company"}

    reference = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    name = models.CharField(max_length=300, blank=True,
                            help_text="Organisation or business name, registration, number, "
                                      "handle; a person's is made from forenames and surname")
    # Person (the import and matching contract)
    forenames = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    source = models.CharField(max_length=200, blank=True)
    # Organisation
    organised_crime_group = models.BooleanField(default=False)
    # Address: a point places it in its LSOA and ward
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    lsoa = models.ForeignKey("areas.Area", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    ward = models.ForeignKey("areas.Area", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    # Vehicle, phone, online account
    description = models.CharField(max_length=300, blank=True,
                                   help_text="Make, model and colour; platform; network")
    notes = models.TextField(blank=True)
    reports = models.ManyToManyField(IntelligenceReport, blank=True, related_name="entities")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # A person found to be recorded twice is merged into the other record, never deleted.
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_from")

    ownership = Ownership(agency="owning_agency", team=None, owners=())

    class Meta:
        ordering = ["kind", "surname", "forenames", "name"]
        verbose_name_plural = "entities"
        indexes = [models.Index(fields=["surname", "forenames"]), models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.label} ({self.reference})"

    @property
    def label(self) -> str:
        if self.kind == self.Kind.PERSON:
            return " ".join(p for p in (self.forenames, self.surname) if p) or self.name
        return self.name or self.address


class Link(models.Model):
    """A relationship between two entities, with when it held and the reports behind it."""

    retention = Rule(
        "intelligence-links", purpose="Links between people, places and groups",
        lawful_basis=LAW_ENFORCEMENT, subject="people named in intelligence",
        categories=("associations",), kept_with="intelligence.entity", action=DELETE)

    class Kind(models.TextChoices):
        ASSOCIATE = "associate", "Associate of"
        FAMILY = "family", "Family of"
        MEMBER_OF = "member_of", "Member of"
        OWNS = "owns", "Owns"
        OCCUPIES = "occupies", "Occupies"
        USES = "uses", "Uses"
        SEEN_AT = "seen_at", "Seen at"
        PAYS = "pays", "Pays"

    FTM_SCHEMA = {"associate": "Associate", "family": "Family", "member_of": "Membership",
                  "owns": "Ownership", "occupies": "UnknownLink", "uses": "UnknownLink",
                  "seen_at": "UnknownLink", "pays": "Payment"}

    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    from_entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="links_out")
    to_entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="links_in")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)
    reports = models.ManyToManyField(IntelligenceReport, blank=True, related_name="links")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ownership = Ownership(agency="owning_agency", team=None, owners=())

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(from_entity=models.F("to_entity")),
                                   name="link_between_two_entities"),
        ]

    def __str__(self):
        return f"{self.from_entity.label} {self.get_kind_display().lower()} {self.to_entity.label}"


class PairReview(models.Model):
    """An officer's decision on a suggested pair of people: the same, not the same, unsure.

    Every decision is kept; the latest on a pair is the one that counts. A pair decided
    "not the same" is not suggested again."""

    retention = Rule(
        "pair-decisions", purpose="Deciding whether two records are one person",
        lawful_basis=LAW_ENFORCEMENT, subject="people named in intelligence",
        categories=("decision",), kept_with="intelligence.entity", action=DELETE)

    class Decision(models.TextChoices):
        SAME = "same", "The same person"
        NOT_SAME = "not_same", "Not the same person"
        UNSURE = "unsure", "Unsure"

    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    left = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    probability = models.FloatField(null=True, blank=True)
    comparisons = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    ownership = Ownership(agency="owning_agency", team=None, owners=())

    class Meta:
        ordering = ["-decided_at", "-pk"]


class Merge(models.Model):
    """One person record merged into another, with what moved so it can be undone exactly.

    `moved` holds {"links_from": [...], "links_to": [...], "reports": [...],
    "reports_added": [...]}: the links whose end was moved to the survivor, the report
    attachments taken from the merged record, and those of them the survivor did not have."""

    retention = Rule(
        "merges", purpose="Undoable merges of records of one person",
        lawful_basis=LAW_ENFORCEMENT, subject="people named in intelligence",
        categories=("merge record",), kept_with="intelligence.entity", action=DELETE)

    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    survivor = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="merges_gone")
    review = models.ForeignKey(PairReview, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="merges")
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    ownership = Ownership(agency="owning_agency", team=None, owners=())

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self):
        return f"{self.merged.reference} merged into {self.survivor.reference}"

    @property
    def links_moved(self) -> int:
        return len(self.moved.get("links_from", [])) + len(self.moved.get("links_to", []))
class Requirement(models.Model):
    """A question the force asks of a partner agency ("who is living at this flat?"), for an
    area and a priority, by a date. The tasked agency's staff answer with a submission."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=20, unique=True)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    question = models.TextField()
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    priority = models.CharField("The priority it serves", max_length=300, blank=True)
    tasked_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    due_on = models.DateField("Answer by")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    set_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    # The tasked agency reaches a requirement; the force that set it reaches it by its own
    # agency (selectors.requirements_set).
    ownership = Ownership(agency="tasked_agency", team=None, owners=())

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("intelligence:requirement", args=[self.pk])

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()
