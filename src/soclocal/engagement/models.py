"""Community engagement: stories told by local people, kept and shared only with consent.

A story's teller decides three things: whether it may be kept, shared anonymised with the
partnership, and published. Nothing is published before a facilitator's anonymisation review,
and withdrawing consent takes a story off every public page, export and search at once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from soclocal.core.access import Ownership
from soclocal.core.retention import (
    ANONYMISE,
    CONSENT,
    DELETE,
    REVIEW,
    Rule,
)


class Story(models.Model):
    retention = Rule(
        "stories", purpose="Community stories as a counter-narrative to the myths of serious "
        "organised crime", lawful_basis=CONSENT, subject="community members",
        categories=("their story", "how it may be used"), days=3 * 365, after="gathered_at", period="3 years",
        action=REVIEW)

    class Status(models.TextChoices):
        GATHERED = "gathered", _("Gathered")
        REVIEWED = "reviewed", _("Anonymisation reviewed")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")

    ownership = Ownership(agency=None, team=None, owners=())

    title = models.CharField(max_length=200)
    text = models.TextField(help_text="As told")
    anonymised_text = models.TextField(blank=True, help_text="As it may be shared")
    audio = models.FileField(upload_to="engagement/audio/", null=True, blank=True)
    tags = models.CharField(max_length=300, blank=True, help_text="Separate tags with commas")
    consent_keep = models.BooleanField(default=False)
    consent_share = models.BooleanField(default=False, help_text="Share anonymised")
    consent_publish = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.GATHERED)
    gathered_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-gathered_at"]
        verbose_name_plural = "stories"

    def __str__(self):
        return self.title

    @property
    def tag_list(self):
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class CodingFrame(models.Model):
    """A set of codes to sort what people said: built-in frames and a partnership's own."""

    ownership = Ownership(agency=None, team=None, owners=())

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    built_in = models.BooleanField(default=False)

    class Meta:
        ordering = ["-built_in", "name"]

    def __str__(self):
        return self.name


class Code(models.Model):
    frame = models.ForeignKey(CodingFrame, on_delete=models.CASCADE, related_name="codes")
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["frame", "pk"]
        constraints = [models.UniqueConstraint(fields=["frame", "label"],
                                               name="code_label_unique_per_frame")]

    def __str__(self):
        return self.label


class Event(models.Model):
    """A co-inquiry session or a World Café."""

    class Kind(models.TextChoices):
        CO_INQUIRY = "co_inquiry", _("Co-inquiry session")
        WORLD_CAFE = "world_cafe", _("World Café")

    ownership = Ownership(agency=None, team=None, owners=())

    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    # What residents read about it on the public pages, in English and in Welsh.
    title_cy = models.CharField("title in Welsh", max_length=200, blank=True)
    description = models.TextField(blank=True)
    description_cy = models.TextField("description in Welsh", blank=True)
    date = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.SET_NULL)
    facilitators = models.CharField(max_length=300, blank=True)
    questions = models.TextField(blank=True, help_text="One question a line")
    tables = models.PositiveIntegerField(default=1)
    rounds = models.PositiveIntegerField(default=1)
    # Participant numbers by kind; never names.
    community_representatives = models.PositiveIntegerField(default=0)
    agency_participants = models.PositiveIntegerField(
        default=0, help_text="Statutory or third-sector agencies")
    justice_partners = models.PositiveIntegerField(default=0,
                                                   help_text="Community justice partners")
    frame = models.ForeignKey(CodingFrame, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-date", "title"]

    def __str__(self):
        return self.title

    @property
    def question_list(self):
        return [q.strip() for q in self.questions.splitlines() if q.strip()]

    @property
    def participants(self):
        return (self.community_representatives + self.agency_participants
                + self.justice_partners)


class Insight(models.Model):
    """One thing said at a table in a round, in answer to a question, as harvested."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="insights")
    table = models.PositiveIntegerField(null=True, blank=True)
    round = models.PositiveIntegerField(null=True, blank=True)
    question = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    codes = models.ManyToManyField(Code, blank=True, related_name="insights")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "round", "table", "pk"]


class ThemeOutput(models.Model):
    """A co-inquiry's view of one theme: how strongly it resonated, and what to change."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="theme_outputs")
    theme = models.ForeignKey(Code, on_delete=models.CASCADE)
    resonance = models.PositiveSmallIntegerField(help_text="1 (not at all) to 5 (strongly)")
    more_of = models.TextField(blank=True)
    less_of = models.TextField(blank=True)
    do_differently = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "theme"],
                                               name="one_output_per_theme_per_event")]


class CommunityGroup(models.Model):
    """A community empowerment group of about a dozen local people, choosing its own
    priorities. Only its facilitators reach its space."""

    ownership = Ownership(agency=None, team=None, owners=("facilitators",))

    name = models.CharField(max_length=200)
    name_cy = models.CharField("name in Welsh", max_length=200, blank=True)
    description = models.TextField(blank=True, help_text="What the group does, for residents")
    description_cy = models.TextField("description in Welsh", blank=True)
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.SET_NULL)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="community_groups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Member(models.Model):
    retention = Rule(
        "group-members", purpose="Running a community group", lawful_basis=CONSENT,
        subject="community members", categories=("first name or pseudonym",),
        kept_with="engagement.communitygroup", action=DELETE)

    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=100, help_text="A first name or a pseudonym")
    joined = models.DateField(auto_now_add=True)


class Meeting(models.Model):
    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    attended = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-date"]


class Priority(models.Model):
    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE,
                              related_name="priorities")
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.title


class PriorityBallot(models.Model):
    """One member's ranking of the priorities (best first); anonymous."""

    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="ballots")
    ranking = models.JSONField(help_text="Priority ids, best first")
    cast_at = models.DateTimeField(auto_now_add=True)


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")

    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="actions")
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.SET_NULL)
    description = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    progress = models.TextField(blank=True)


class JoinRequest(models.Model):
    """A resident asking, on the public pages, to join a community group. The name and
    contact are personal data: only the group's facilitators see them, every viewing is
    audited, and the retention rule (`soclocal retention`) clears them after JOIN_CONTACT_DAYS."""

    retention = Rule(
        "join-request-contacts", purpose="Answering a request to join a community group",
        lawful_basis=CONSENT, subject="community members",
        categories=("name", "email address or phone number", "message"), days=90,
        after="received_at", period="90 days after it was sent", action=ANONYMISE, stamp="forgotten_at",
        clear={"name": "", "contact": "", "message": "", "answer_note": ""})

    class Answer(models.TextChoices):
        WELCOMED = "welcomed", _("Welcomed into the group")
        CONTACTED = "contacted", _("Contacted, not joined yet")
        NOT_JOINING = "not_joining", _("Not joining")

    ownership = Ownership(agency=None, team=None, owners=("group__facilitators",))

    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE,
                              related_name="join_requests")
    name = models.CharField(max_length=100)
    contact = models.CharField(max_length=254, help_text="An email address or a phone number")
    message = models.TextField(blank=True, max_length=1000)
    # The language the resident wrote in, so the facilitator can answer in it.
    language = models.CharField(max_length=5, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    received_at = models.DateTimeField(auto_now_add=True)
    answer = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    answer_note = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    # Set when the name, contact and message are cleared; the request itself stays as a count.
    forgotten_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
