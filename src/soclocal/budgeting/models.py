"""Participatory budgeting: a process with a budget, bids from community groups, votes, results.

Voters give no personal data: each holds a single-use voter code. A ballot and the code it
used are tied one to one, so a code can only ever be counted once, whatever the database.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from soclocal.core.access import Ownership
from soclocal.core.retention import (
    ANONYMISE,
    CONSENT,
    DELETE,
    Rule,
)

# How the winners are chosen (budgeting/rules.py computes them).
GREEDY, MES = "greedy", "mes"
RULES = {GREEDY: _("Greedy (most support first)"), MES: _("Method of Equal Shares")}


class BallotKind(models.TextChoices):
    APPROVAL = "approval", _("Approval (tick the bids you support)")
    RANKED = "ordinal", _("Ranked (put bids in order)")
    CUMULATIVE = "cumulative", _("Cumulative (spread points)")
    BASKET = "basket", _("Budget basket (choose bids within the budget)")


# pabulib names each ballot kind; a basket is an approval ballot with a cost limit.
PABULIB_VOTE_TYPE = {"approval": "approval", "ordinal": "ordinal", "cumulative": "cumulative",
                     "basket": "approval"}


class Process(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being set up")
        BIDDING = "bidding", _("Open for bids")
        VOTING = "voting", _("Open for votes")
        CLOSED = "closed", _("Voting closed")
        RESULTS = "results", _("Results published")

    ownership = Ownership(agency=None, team=None, owners=())

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    # Welsh, for residents who read the pages in Welsh (core/language.py); blank: English only.
    name_cy = models.CharField("name in Welsh", max_length=200, blank=True)
    description_cy = models.TextField("description in Welsh", blank=True)
    budget = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="GBP")
    themes = models.TextField(blank=True, help_text="One theme a line")
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.SET_NULL)
    eligible_group_kinds = models.TextField(blank=True, help_text="One kind of group a line")
    max_bid = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    bids_open = models.DateField(null=True, blank=True)
    bids_close = models.DateField(null=True, blank=True)
    voting_open = models.DateField(null=True, blank=True)
    voting_close = models.DateField(null=True, blank=True)
    ballot_kind = models.CharField(max_length=20, choices=BallotKind.choices,
                                   default=BallotKind.APPROVAL)
    min_choices = models.PositiveIntegerField(default=1)
    max_choices = models.PositiveIntegerField(null=True, blank=True)
    max_points = models.PositiveIntegerField(null=True, blank=True,
                                             help_text="Cumulative ballots: points to spread")
    rule = models.CharField(max_length=10, choices=list(RULES.items()), default=GREEDY)
    # {theme: the most that may be spent on it}; empty for no limits.
    category_limits = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Set when the first vote is cast: from then on the rules cannot change.
    rules_locked_at = models.DateTimeField(null=True, blank=True)
    imported_meta = models.JSONField(default=dict, blank=True)
    # The residents' planning group: how many residents planned the process (its events,
    # themes and rules) with the partnership, and a note of what they did.
    residents_who_planned = models.PositiveIntegerField(
        default=0, help_text="How many residents took part in planning the process")
    planning_notes = models.TextField(
        blank=True, help_text="What the residents' planning group did, for example: planned "
                              "three voting events")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @property
    def theme_list(self):
        return [t.strip() for t in self.themes.splitlines() if t.strip()]

    @property
    def group_kind_list(self):
        return [t.strip() for t in self.eligible_group_kinds.splitlines() if t.strip()]


class Bid(models.Model):
    retention = Rule(
        "bid-contacts", purpose="Reaching a bidder about their bid and its result",
        lawful_basis=CONSENT, subject="bidders", categories=("email address", "mobile number"),
        days=180, after="process__voting_close", period="180 days after voting closed", action=ANONYMISE,
        clear={"contact_email": "", "contact_phone": ""})

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        ACCEPTED = "accepted", _("On the ballot")
        REJECTED = "rejected", _("Not accepted")
        INELIGIBLE = "ineligible", _("Not eligible")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="bids")
    reference = models.CharField(max_length=40, help_text="The project id on the ballot")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    title_cy = models.CharField("title in Welsh", max_length=200, blank=True)
    summary_cy = models.TextField("summary in Welsh", blank=True)
    # The language the bidder used: every message about the bid is sent in it.
    language = models.CharField(max_length=5, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    group_name = models.CharField(max_length=200, blank=True)
    # Staff match the name a bidder typed to one of the partnership's community groups, or
    # leave it unmatched: bidders have no account, so they cannot choose it themselves.
    community_group = models.ForeignKey("engagement.CommunityGroup", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="bids")
    group_kind = models.CharField(max_length=100, blank=True)
    place = models.CharField(max_length=200, blank=True)
    theme = models.CharField(max_length=100, blank=True)
    cost = models.DecimalField(max_digits=14, decimal_places=2)
    # The contact is for the facilitator only; it never appears on a public page or export.
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=13, blank=True, help_text="+447 and 9 digits")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    moderation_reason = models.TextField(blank=True)
    decision_sent_at = models.DateTimeField(null=True, blank=True,
                                            help_text="When the bidder was told the decision")
    extra = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["process", "reference"]
        constraints = [models.UniqueConstraint(fields=["process", "reference"],
                                               name="bid_reference_unique_per_process")]

    def __str__(self):
        return f"{self.reference}: {self.title}"


class ContactCheck(models.Model):
    """A code sent to a bidder's email or mobile to show they can read it; kept only as a
    hash."""

    retention = Rule(
        "contact-checks", purpose="Confirming a bidder's email address or mobile number",
        lawful_basis=CONSENT, subject="bidders", categories=("email address or mobile number",),
        days=1, after="created_at", period="1 day", action=DELETE)

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")

    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.EMAIL)
    # An email address, or a mobile number as +447 and nine digits.
    address = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)


class VotingEvent(models.Model):
    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("In person (tablets)")
        PAPER = "paper", _("In person (paper ballots entered by staff)")
        ONLINE = "online", _("Online")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.IN_PERSON)
    place = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)

    def __str__(self):
        return self.name


class VoterCode(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="voter_codes")
    event = models.ForeignKey(VotingEvent, null=True, blank=True, on_delete=models.SET_NULL)
    code = models.CharField(max_length=20, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Ballot(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ballots")
    # One ballot per code, enforced by the database: the second insert fails.
    voter_code = models.OneToOneField(VoterCode, null=True, blank=True, on_delete=models.PROTECT)
    voter_ref = models.CharField(max_length=60, blank=True, help_text="Imported voter id")
    event = models.ForeignKey(VotingEvent, null=True, blank=True, on_delete=models.SET_NULL)
    channel = models.CharField(max_length=10, choices=VotingEvent.Kind.choices, blank=True)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class Choice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(default=0, help_text="Order on a ranked ballot")
    points = models.DecimalField(max_digits=10, decimal_places=2, default=1)

    class Meta:
        ordering = ["ballot", "position"]
        constraints = [models.UniqueConstraint(fields=["ballot", "bid"],
                                               name="one_choice_per_bid_per_ballot")]


class Result(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="results")
    rule = models.CharField(max_length=10, choices=list(RULES.items()))
    computed_at = models.DateTimeField(auto_now_add=True)
    ballots = models.PositiveIntegerField()
    funded = models.JSONField(default=list)  # bid references, as the rule chose them
    support = models.JSONField(default=dict)
    reasons = models.JSONField(default=dict)
    published = models.BooleanField(default=False)

    class Meta:
        ordering = ["-computed_at"]


class Override(models.Model):
    """A coordinator's change to a result; the reason is shown on the public results page."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="overrides")
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE)
    funded = models.BooleanField()
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)


class ProjectUpdate(models.Model):
    """Progress on a funded project: spend, outputs and a photo, shown publicly."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField()
    spend = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    outputs = models.TextField(blank=True)
    photo = models.ImageField(upload_to="budgeting/photos/", null=True, blank=True)
    photo_description = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)
