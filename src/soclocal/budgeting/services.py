"""Every change to participatory budgeting: set-up, bids, votes, results. Each is audited.

Bidding and voting are done by community members without accounts: those services take an
actor of None and check what they are given instead (a verified email, a voter code).
"""

import hashlib
import logging
import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override

from soclocal.core import audit
from soclocal.core.access import service
from soclocal.core.imports import ImportResult, run

from . import pabulib, sms
from .models import (
    GREEDY,
    MES,
    PABULIB_VOTE_TYPE,
    Ballot,
    BallotKind,
    Bid,
    Choice,
    ContactCheck,
    Override,
    Process,
    ProjectUpdate,
    Result,
    VoterCode,
    VotingEvent,
)

logger = logging.getLogger(__name__)

# Voter codes avoid letters and digits that are easily confused when read aloud or typed.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
RULE_FIELDS = ("budget", "ballot_kind", "min_choices", "max_choices", "max_points", "rule",
               "max_bid", "category_limits")


USED = gettext_lazy("That voter code has already been used. Each code can vote once; ask a "
                    "facilitator if you think this is wrong.")


class VoteRefused(Exception):
    """A ballot that cannot be counted, with the reason to show the voter and, when it is
    about one box on the ballot page, that box's name."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.field = field


def _unique_slug(name):
    base = slugify(name)[:60] or "process"
    slug, n = base, 1
    while Process.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# More residents than this planning one process is a typing slip, whatever the database holds.
MOST_PLANNERS = 100_000


def _tidy_process(fields: dict) -> dict:
    """A name without the blanks around it, and a currency as its code in capitals."""
    tidy = dict(fields)
    for key in ("name", "currency"):
        if isinstance(tidy.get(key), str):
            tidy[key] = tidy[key].strip()
    if isinstance(tidy.get("currency"), str):
        tidy["currency"] = tidy["currency"].upper()
    return tidy


def _check_process(process: Process):
    """What a process needs to be run, beyond each field's own type and length, keyed to the
    box on the process form each is about. Called once its fields are clean."""
    errors = {}
    if not process.currency.isascii() or not process.currency.isalpha() \
            or len(process.currency) != 3:
        errors["currency"] = _("Enter the currency as its three-letter code, like GBP.")
    if process.budget <= 0:
        errors["budget"] = _("The budget must be more than zero.")
    if process.max_bid is not None and process.max_bid <= 0:
        errors["max_bid"] = _("The most a bid can ask for must be more than zero; leave it "
                              "blank for no limit.")
    if process.max_choices is not None and process.max_choices < process.min_choices:
        errors["max_choices"] = _("The most bids a voter may choose cannot be fewer than the "
                                  "fewest they must choose.")
    if process.residents_who_planned > MOST_PLANNERS:
        errors["residents_who_planned"] = _(
            "Residents who planned the process must be %(most)s or fewer.") % {
                "most": f"{MOST_PLANNERS:,}"}
    limits = process.category_limits
    if not isinstance(limits, dict) or not all(
            isinstance(k, str) and k.strip() and type(v) is int and v >= 0
            for k, v in limits.items()):
        errors["category_limits"] = _("Give each theme's limit as a whole amount of 0 or "
                                      "more.")
    # Each stage closes after it opens, and voting opens once bidding has closed.
    for first, then, message in (
            ("bids_open", "bids_close", _("Bids must close on or after the day they open.")),
            ("bids_close", "voting_open", _("Voting must open on or after the day bids "
                                            "close.")),
            ("voting_open", "voting_close", _("Voting must close on or after the day it "
                                              "opens."))):
        if getattr(process, first) and getattr(process, then) and \
                getattr(process, then) < getattr(process, first):
            errors.setdefault(then, message)
    if errors:
        raise ValidationError(errors)


@service("budgeting.manage")
def create_process(actor, raised_from=None, **fields) -> Process:
    """A process; `raised_from` is the record it was started from (a plan's Develop action),
    kept on the trail both ways."""
    fields = _tidy_process(fields)
    process = Process(slug=_unique_slug(fields.get("name") or ""), **fields)
    process.full_clean()
    _check_process(process)
    process.save()
    audit.record("budgeting.process_created", actor=actor, obj=process,
                 detail={"name": process.name, "budget": str(process.budget)})
    if raised_from is not None:
        from django.urls import reverse

        from soclocal.core import origins

        origins.link(actor, raised_from, process,
                     target_label=f"Participatory budget: {process.name}",
                     target_url=reverse("budgeting:process", args=[process.pk]))
    return process


@service("budgeting.manage")
def update_process(actor, process: Process, **fields) -> Process:
    process = Process.objects.select_for_update().get(pk=process.pk)
    fields = _tidy_process(fields)
    changed = {k: v for k, v in fields.items() if getattr(process, k) != v}
    if process.rules_locked_at and any(k in RULE_FIELDS for k in changed):
        raise ValidationError(_("The voting rules are locked: votes have been cast."))
    for k, v in changed.items():
        setattr(process, k, v)
    process.full_clean()
    _check_process(process)
    process.save()
    audit.record("budgeting.process_changed", actor=actor, obj=process,
                 detail={"fields": sorted(changed)})
    return process


# Bids ----------------------------------------------------------------------------------------

def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


CODE_TRIES = 5
CODE_LIFETIME = 3600  # seconds
# The bid page is public and each text message costs money: a number or address gets only a
# few codes an hour, so nobody can use the page to flood someone's phone or inbox.
CODES_PER_HOUR = 3

# What each way of checking says; the code itself is only ever stored as a hash.
# Sent in the language of the page the bidder is on.
_CODE_MESSAGES = {
    ContactCheck.Channel.EMAIL: gettext_lazy(
        "Your code is %(code)s. Type it on the bid page to confirm your email address.\n"
        "If you did not ask for this, you can ignore this email."),
    ContactCheck.Channel.SMS: gettext_lazy(
        "Your participatory budgeting bid code is %(code)s. It works for one hour. If you did "
        "not ask for it, ignore this message."),
}


def send_code(channel: str, address: str) -> ContactCheck:
    """Send a six-digit code to the email address or UK mobile a bidder gives."""
    if channel not in ContactCheck.Channel.values:
        raise ValidationError({"channel": _("Choose email or text message.")})
    channel = ContactCheck.Channel(channel)
    # Refusals are keyed to the box the address was typed in, on the contact form.
    box = "mobile" if channel == ContactCheck.Channel.SMS else "email"
    if not isinstance(address, str):
        raise ValidationError({box: _("Enter your email address or mobile number.")})
    if channel == ContactCheck.Channel.SMS:
        try:
            address = sms.normalise_mobile(address)
        except ValidationError as e:
            raise ValidationError({box: e.messages}) from None
    else:
        address = address.strip().lower()
        try:
            validate_email(address)
            if len(address) > 254:  # the longest address mail can be sent to
                raise ValidationError("too long")
        except ValidationError:
            raise ValidationError({box: _("Enter an email address in the right format, like name@example.com")}) \
                from None
    since = timezone.now() - timedelta(seconds=CODE_LIFETIME)
    if ContactCheck.objects.filter(channel=channel, address=address,
                                   created_at__gte=since).count() >= CODES_PER_HOUR:
        if channel == ContactCheck.Channel.SMS:
            message = _("We have sent %(count)d codes to this mobile number in the last hour. "
                        "Use the latest code we sent, or try again in an hour.")
        else:
            message = _("We have sent %(count)d codes to this email address in the last hour. "
                        "Use the latest code we sent, or try again in an hour.")
        raise ValidationError({box: message % {"count": CODES_PER_HOUR}})
    code = f"{secrets.randbelow(10**6):06d}"
    check = ContactCheck.objects.create(channel=channel, address=address, code_hash=_hash(code))
    body = str(_CODE_MESSAGES[channel]) % {"code": code}
    try:
        if channel == ContactCheck.Channel.SMS:
            sms.send(check.address, body)
        else:
            send_mail(_("Your code for a participatory budgeting bid"), body, None,
                      [check.address])
    except (OSError, sms.SmsNotSent):
        logger.exception("the bid code could not be sent by %s", channel)
        check.delete()  # a code nobody received must not count towards the hourly limit
        raise ValidationError({box: (
            _("We could not send the text message just now. Try again later, or ask the "
              "facilitator to enter your bid.") if channel == ContactCheck.Channel.SMS
            else _("We could not send the email just now. Try again later, or ask the "
                   "facilitator to enter your bid."))}) from None
    check.sent_code = code  # never stored; demo mode shows it on the page (public_views)
    return check


def confirm_code(check_id, code: str) -> ContactCheck:
    """Check a code against its hash; a few tries only, and only for an hour."""
    if not isinstance(code, str):
        raise ValidationError({"code": _("Enter the code we sent you.")})
    with transaction.atomic():
        # The check's id comes from the bidder's session: anything but a number is no check.
        check = ContactCheck.objects.select_for_update().filter(pk=check_id).first() \
            if type(check_id) is int else None
        if check is None or check.attempts >= CODE_TRIES:
            raise ValidationError(_("Ask for a new code."))
        if (timezone.now() - check.created_at).total_seconds() > CODE_LIFETIME:
            raise ValidationError(_("The code has expired. Ask for a new one."))
        check.attempts += 1
        right = secrets.compare_digest(check.code_hash, _hash(code.strip()))
        if right:
            check.verified_at = timezone.now()
        check.save(update_fields=["attempts", "verified_at"])
    # Raised after the block: raising inside it would roll back the counted attempt.
    if not right:
        raise ValidationError(
            _("The code is not right. Check the text message and try again.")
            if check.channel == ContactCheck.Channel.SMS
            else _("The code is not right. Check the email and try again."))
    return check


# Kinds of group when a process names none: stored in English, shown in the reader's language.
GROUP_KINDS = [("Community group", gettext_lazy("Community group")),
               ("Residents' association", gettext_lazy("Residents' association")),
               ("Charity", gettext_lazy("Charity")),
               ("School or youth group", gettext_lazy("School or youth group")),
               ("Other", gettext_lazy("Other"))]


# What a bid says, by the box on the bid form each is typed in, and what it says when missing.
BID_TEXT = {"title": gettext_lazy("Enter the name of your project."),
            "summary": gettext_lazy("Say what it will do."),
            "group_name": gettext_lazy("Enter the name of your group."),
            "place": gettext_lazy("Say where it will happen.")}


def _in_pence(amount) -> bool:
    """A whole number of pence that the cost column holds."""
    if isinstance(amount, bool) or not isinstance(amount, (int, Decimal)):
        return False
    amount = Decimal(amount)
    return amount.is_finite() and abs(amount) < 10**12 \
        and amount == amount.quantize(Decimal("0.01"))


def _tidy_bid(process: Process, fields: dict, cost, group_kind, theme) -> dict:
    """A bid's words without the blanks around them, refused where the bid form would refuse
    them (a box left empty, a kind of group or theme it does not offer, an amount that is not
    pounds and pence), keyed to the box; the page's form checks the same, other callers may
    not."""
    errors = {}
    tidy = {}
    for name, missing in BID_TEXT.items():
        value = fields[name]
        tidy[name] = value.strip() if isinstance(value, str) else ""
        if not tidy[name]:
            errors[name] = [str(missing)]
    kinds = process.group_kind_list or [k for k, _label in GROUP_KINDS]
    if group_kind not in kinds:
        errors["group_kind"] = [_("Choose the kind of group.")]
    themes = process.theme_list
    if themes and theme not in themes:
        errors["theme"] = [_("Choose one of the process's themes.")]
    elif not themes and theme not in ("", None):
        # The form has no theme box when the process names no themes.
        errors["__all__"] = [_("This process has no themes: leave the theme out.")]
    if not _in_pence(cost):
        errors["cost"] = [_("Enter the amount as a number, like 2500.")]
    if errors:
        raise ValidationError(errors)
    return tidy


def bid_problems(process: Process, *, cost, group_kind="", theme="") -> dict[str, list[str]]:
    """The reasons a bid is not eligible, by the field each is about (none if it is)."""
    problems = {}
    if cost is None or cost <= 0:
        problems["cost"] = [_("The amount asked for must be more than zero.")]
    elif process.max_bid and cost > process.max_bid:
        problems["cost"] = [_("The most a bid can ask for is %(most)s %(currency)s.") % {
            "most": f"{process.max_bid:,.0f}", "currency": process.currency}]
    elif cost > process.budget:
        problems["cost"] = [_("The amount asked for is more than the whole budget.")]
    kinds = process.group_kind_list
    if kinds and group_kind not in kinds:
        problems["group_kind"] = [_("This kind of group cannot bid in this process.")]
    themes = process.theme_list
    if themes and theme and theme not in themes:
        problems["theme"] = [_("Choose one of the process's themes.")]
    return problems


def check_bid(process: Process, *, cost, group_kind="", theme="") -> list[str]:
    """The reasons a bid is not eligible (none if it is)."""
    return [m for ms in bid_problems(process, cost=cost, group_kind=group_kind,
                                     theme=theme).values() for m in ms]


def _next_reference(process):
    taken = set(process.bids.values_list("reference", flat=True))
    n = process.bids.count() + 1
    while str(n) in taken:
        n += 1
    return str(n)


@service()
def submit_bid(actor, process: Process, *, contact_check: ContactCheck | None, title, summary,
               group_name, group_kind, place, theme, cost, language=None, title_cy="",
               summary_cy="") -> Bid:
    """A community group's bid. Anyone may bid while bidding is open, with a verified email
    or mobile (or, for staff entering a paper bid, as themselves). `language` is the one the
    bidder chose (default: the page's): every message about the bid is sent in it."""
    if process.status != Process.Status.BIDDING:
        raise ValidationError(_("This process is not taking bids."))
    if actor is None and (contact_check is None or contact_check.verified_at is None):
        raise ValidationError(_("Confirm your email address or mobile number first."))
    words = _tidy_bid(process, {"title": title, "summary": summary, "group_name": group_name,
                                "place": place}, cost, group_kind, theme)
    title, summary, group_name, place = (words[k] for k in BID_TEXT)
    theme = theme or ""
    problems = bid_problems(process, cost=cost, group_kind=group_kind, theme=theme)
    if problems:
        raise ValidationError(problems)
    bid = Bid.objects.create(
        process=process, reference=_next_reference(process), title=title, summary=summary,
        title_cy=title_cy, summary_cy=summary_cy,
        language=language_of(language),
        group_name=group_name, group_kind=group_kind, place=place, theme=theme, cost=cost,
        contact_email=(contact_check.address if contact_check
                       and contact_check.channel == ContactCheck.Channel.EMAIL else ""),
        contact_phone=(contact_check.address if contact_check
                       and contact_check.channel == ContactCheck.Channel.SMS else ""))
    audit.record("budgeting.bid_submitted", actor=actor, obj=bid,
                 detail={"process": process.pk, "cost": str(cost), "language": bid.language})
    if actor is None:
        _send_to_bidder(actor, bid, *receipt_message(bid), event="budgeting.bid_receipt_sent")
    return bid


def language_of(code=None) -> str:
    from soclocal.core import language

    return language.normalise(code or language.current())


def receipt_message(bid: Bid) -> tuple[str, str]:
    """The subject and body confirming a bid arrived, in the bidder's language."""
    from soclocal.core.language import localised

    with override(bid.language):
        name = localised(bid.process, "name", bid.language)
        title = localised(bid, "title", bid.language)
        return (_("We have your bid to %(process)s") % {"process": name},
                _('Thank you for your bid "%(title)s" to %(process)s. Your reference is '
                  '%(reference)s.\n\nA facilitator checks every bid. We will tell you whether '
                  'it is on the ballot, and why if it is not.') % {
                    "title": title, "process": name, "reference": bid.reference})


DECISIONS = {"accept": Bid.Status.ACCEPTED, "ineligible": Bid.Status.INELIGIBLE,
             "reject": Bid.Status.REJECTED}


@service("budgeting.manage")
def moderate_bid(actor, bid: Bid, *, decision: str, reason: str = "",
                 community_group=None, title_cy=None, summary_cy=None) -> Bid:
    """Put a bid on the ballot or not, match it to a community group, and tell the bidder."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose whether the bid goes on the ballot.")})
    if decision != "accept" and not reason.strip():
        raise ValidationError({"reason": _("Give the reason the bid is not accepted.")})
    if bid.process.rules_locked_at:
        raise ValidationError(_("Voting has started: the ballot cannot change."))
    old_status = bid.status
    bid.status = DECISIONS[decision]
    bid.moderation_reason = reason.strip() if decision != "accept" else ""
    bid.community_group = community_group
    # The other language's words, when staff give them (the bidder wrote in one).
    if title_cy is not None:
        bid.title_cy = title_cy.strip()
    if summary_cy is not None:
        bid.summary_cy = summary_cy.strip()
    bid.save(update_fields=["status", "moderation_reason", "community_group", "title_cy",
                            "summary_cy"])
    audit.record("budgeting.bid_moderated", actor=actor, obj=bid,
                 detail={"status": bid.status, "reason": bid.moderation_reason,
                         "community_group": community_group.pk if community_group else None})
    if bid.status != old_status or bid.decision_sent_at is None:
        _tell_bidder(actor, bid)
    return bid


def decision_message(bid: Bid) -> tuple[str, str]:
    """The subject and body telling a bidder the decision, using only what they gave us, in
    the language they bid in (staff may be working in another)."""
    from django.utils.formats import date_format

    from soclocal.core.language import localised

    with override(bid.language or None):
        process = bid.process
        names = {"title": localised(bid, "title", bid.language),
                 "process": localised(process, "name", bid.language),
                 "reference": bid.reference}
        opening = _('Thank you for your bid "%(title)s" to %(process)s (reference '
                    '%(reference)s).') % names
        if bid.status == Bid.Status.ACCEPTED:
            when = (_("Voting opens on %(date)s.") % {
                        "date": date_format(process.voting_open, "j F Y")}
                    if process.voting_open else _("We will tell people when voting opens."))
            return (_("Your bid to %(process)s is on the ballot") % names,
                    opening + "\n\n" + _("It has been accepted and will be on the ballot, so "
                                          "local people can vote for it.") + " " + when)
        if bid.status == Bid.Status.INELIGIBLE:
            headline = _("It cannot go on the ballot because it does not meet this process's "
                         "rules.")
        else:
            headline = _("It has not been accepted for the ballot this time.")
        return (_("Your bid to %(process)s: the decision") % names,
                opening + "\n\n" + headline + "\n\n"
                + _("The reason: %(reason)s") % {"reason": bid.moderation_reason} + "\n\n"
                + _("If you have a question about this, or would like help with a future bid, "
                    "contact the people running the process."))


def _send_to_bidder(actor, bid: Bid, subject: str, body: str, *, event: str) -> bool:
    """Email (or text) a bidder. A failure is logged, and what was decided stands: it is not
    undone because a message could not be sent."""
    if not (bid.contact_email or bid.contact_phone):
        return False
    try:
        if bid.contact_email:
            send_mail(subject, body, None, [bid.contact_email])
        else:
            sms.send(bid.contact_phone, f"{subject}. {body}")
    except (OSError, sms.SmsNotSent):
        logger.exception("a message about bid %s could not be sent", bid.pk)
        return False
    audit.record(event, actor=actor, obj=bid,
                 detail={"status": bid.status, "language": bid.language,
                         "by": "email" if bid.contact_email else "text message"})
    return True


def _tell_bidder(actor, bid: Bid) -> None:
    """The decision, in the bidder's language; staff see whether it was sent."""
    if _send_to_bidder(actor, bid, *decision_message(bid), event="budgeting.bid_decision_sent"):
        bid.decision_sent_at = timezone.now()
        bid.save(update_fields=["decision_sent_at"])


# Voting --------------------------------------------------------------------------------------

@service("budgeting.manage")
def add_event(actor, process: Process, *, name, kind, place="", date=None) -> VotingEvent:
    errors = {}
    if not (name or "").strip():
        errors["name"] = "Give the voting event a name."
    if kind not in VotingEvent.Kind.values:
        errors["kind"] = "Choose how people vote at the event."
    if errors:
        raise ValidationError(errors)
    event = VotingEvent.objects.create(process=process, name=name.strip(), kind=kind,
                                       place=(place or "").strip(), date=date)
    audit.record("budgeting.event_added", actor=actor, obj=event)
    return event


@service("budgeting.manage")
def issue_voter_codes(actor, process: Process, count: int, event: VotingEvent | None = None):
    """New single-use codes, to print and hand out one per voter."""
    if not 1 <= count <= 5000:
        raise ValidationError(_("Issue between 1 and 5,000 codes at a time."))
    codes = set()
    while len(codes) < count:
        codes.add("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))
    taken = set(VoterCode.objects.filter(code__in=codes).values_list("code", flat=True))
    made = VoterCode.objects.bulk_create(
        [VoterCode(process=process, event=event, code=c) for c in sorted(codes - taken)])
    audit.record("budgeting.codes_issued", actor=actor, obj=process,
                 detail={"count": len(made), "event": event.pk if event else None})
    return [c.code for c in made]


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


# A choice's points column holds eight digits before the point.
MOST_POINTS = 10**8


def check_choices(process: Process, choices) -> list[tuple[Bid, Decimal]]:
    """Check a ballot against the process's rules; return (bid, points) in ballot order.

    `choices` is a list of bid references (approval, ranked, basket) or a dict of reference
    to points (cumulative)."""
    bids = {b.reference: b for b in process.bids.filter(status=Bid.Status.ACCEPTED)}
    kind = process.ballot_kind
    if kind == BallotKind.CUMULATIVE:
        if not isinstance(choices, dict):
            raise VoteRefused(_("Give points to the bids you support."))
        picked = []
        for ref, points in choices.items():
            # Said beside the bid's box on the ballot, when the ballot has one.
            box = f"bid_{ref}" if ref in bids else None
            try:
                value = Decimal(str(points))
            except InvalidOperation:
                raise VoteRefused(_("Points must be whole numbers."), box) from None
            if not value.is_finite() or value < 0 or value != value.to_integral_value():
                raise VoteRefused(_("Points must be whole numbers of zero or more."), box)
            if value >= MOST_POINTS:
                raise VoteRefused(_("Give a bid fewer than %(most)s points.") % {
                    "most": f"{MOST_POINTS:,}"}, box)
            if value:
                picked.append((ref, value))
        total = sum((p for _, p in picked), Decimal(0))
        if process.max_points and total > process.max_points:
            raise VoteRefused(_("You can give %(most)d points at most; you gave %(given)s.") % {
                "most": process.max_points, "given": f"{total:g}"})
    else:
        refs = list(choices)
        if len(set(refs)) != len(refs):
            raise VoteRefused(_("Each bid can be chosen only once."))
        picked = [(ref, Decimal(1)) for ref in refs]
    unknown = [ref for ref, _ in picked if ref not in bids]
    if unknown:
        raise VoteRefused(_("The ballot names a bid that is not on this ballot."))
    n = len(picked)
    if n < process.min_choices:
        raise VoteRefused(ngettext("Choose at least %(fewest)d bid.",
                                   "Choose at least %(fewest)d bids.",
                                   process.min_choices) % {"fewest": process.min_choices})
    if process.max_choices and n > process.max_choices:
        raise VoteRefused(ngettext("Choose at most %(most)d bid.", "Choose at most %(most)d bids.",
                                   process.max_choices) % {"most": process.max_choices})
    if kind == BallotKind.BASKET:
        spent = sum((bids[ref].cost for ref, _ in picked), Decimal(0))
        if spent > process.budget:
            raise VoteRefused(_("Your choices cost %(spent)s %(currency)s, more than the budget of "
                                "%(budget)s.") % {"spent": f"{spent:,.0f}",
                                                   "currency": process.currency,
                                                   "budget": f"{process.budget:,.0f}"})
    return [(bids[ref], points) for ref, points in picked]


def _store_ballot(process, checked, *, code=None, event=None, channel="", voter_ref=""):
    ballot = Ballot.objects.create(process=process, voter_code=code, event=event,
                                   channel=channel, voter_ref=voter_ref)
    Choice.objects.bulk_create([Choice(ballot=ballot, bid=bid, position=i, points=points)
                                for i, (bid, points) in enumerate(checked)])
    # The first vote locks the rules; later votes find it already set.
    Process.objects.filter(pk=process.pk, rules_locked_at__isnull=True).update(
        rules_locked_at=timezone.now())
    return ballot


def cast_ballot(process: Process, code: str, choices, *, channel=VotingEvent.Kind.ONLINE,
                actor=None) -> Ballot:
    """Count one ballot for one voter code, exactly once.

    The code is marked used by a conditional UPDATE and the ballot stored in the same
    transaction: two ballots racing on one code cannot both see it unused, and the
    one-to-one ballot-to-code constraint refuses a second ballot in any case."""
    if process.status != Process.Status.VOTING:
        raise VoteRefused(_("Voting is not open for this process."))
    if not isinstance(code, str) or not normalise_code(code):
        raise VoteRefused(_("Enter your voter code."), "code")
    code = normalise_code(code)
    voter_code = VoterCode.objects.filter(process=process, code=code).first()
    if voter_code is None:
        raise VoteRefused(_("That voter code is not right. Check it and try again."), "code")
    # Said first so a voter whose code is spent is not asked to fix their choices; the
    # conditional update below is what actually guarantees one ballot per code.
    if voter_code.used_at is not None:
        raise VoteRefused(USED, "code")
    checked = check_choices(process, choices)
    try:
        with transaction.atomic():
            taken = VoterCode.objects.filter(pk=voter_code.pk, used_at__isnull=True).update(
                used_at=timezone.now())
            if taken != 1:
                raise VoteRefused(USED, "code")
            ballot = _store_ballot(process, checked, code=voter_code, event=voter_code.event,
                                   channel=channel)
            audit.record("budgeting.ballot_cast", actor=actor, obj=ballot,
                         detail={"process": process.pk, "channel": channel})
    except IntegrityError:
        raise VoteRefused(USED, "code") from None
    return ballot


@service("budgeting.manage")
def enter_paper_ballot(actor, process: Process, code: str, choices) -> Ballot:
    """Staff type in a paper ballot; its printed code is used up like any other."""
    return cast_ballot(process, code, choices, channel=VotingEvent.Kind.PAPER, actor=actor)


# Results -------------------------------------------------------------------------------------

def election_of(process: Process) -> pabulib.PbElection:
    """The process's accepted bids and ballots as a pabulib election."""
    vote_type = PABULIB_VOTE_TYPE[process.ballot_kind]
    meta = {"description": process.name, "num_projects": 0, "num_votes": 0,
            "budget": process.budget, "vote_type": vote_type, "rule": process.rule,
            "currency": process.currency}
    if process.min_choices > 1:
        meta["min_length"] = process.min_choices
    if process.max_choices:
        meta["max_length"] = process.max_choices
    if process.max_points:
        meta["max_sum_points"] = process.max_points
    if process.ballot_kind == BallotKind.BASKET:
        meta["max_sum_cost"] = process.budget
    bids = list(process.bids.filter(status=Bid.Status.ACCEPTED).order_by("pk"))
    projects = [pabulib.PbProject(b.reference, b.cost,
                                  {"name": b.title, **({"category": b.theme} if b.theme else {})})
                for b in bids]
    votes = []
    ballots = process.ballots.prefetch_related("choices__bid").order_by("pk")
    for ballot in ballots:
        choices = sorted(ballot.choices.all(), key=lambda c: c.position)
        points = [c.points for c in choices] if vote_type == "cumulative" else None
        votes.append(pabulib.PbVote(ballot.voter_ref or str(ballot.pk),
                                    [c.bid.reference for c in choices], points))
    meta["num_projects"], meta["num_votes"] = len(projects), len(votes)
    text = pabulib.write(meta, projects, votes)
    return pabulib.parse_string(text, f"{process.slug}.pb")


def export_pb(actor, process: Process) -> str:
    text = election_of(process).text
    audit.record("budgeting.exported", actor=actor, obj=process,
                 detail={"ballots": process.ballots.count()})
    return text


@service("budgeting.manage")
def compute_result(actor, process: Process) -> Result:
    from . import rules  # pabutools is slow to import; only a count needs it

    election = election_of(process)
    if not election.projects:
        raise ValidationError(_("There are no accepted bids to fund."))
    instance, profile = election.to_pabutools()
    capped = {}
    if process.category_limits:
        themes = {p.project_id: p.fields.get("category", "") for p in election.projects}
        funded, capped = rules.apply_category_limits(instance, profile, process.rule,
                                                     process.category_limits, themes)
    else:
        funded = rules.allocate(instance, profile, process.rule)
    outcome = rules.explain(instance, profile, process.rule, funded)
    for pid, theme in capped.items():
        limit = Decimal(str(process.category_limits[theme]))
        outcome.reasons[pid] = f"Not funded: the limit of {limit:,.0f} for {theme} was reached"
    result = Result.objects.create(
        process=process, rule=process.rule, ballots=len(election.votes), funded=funded,
        support={k: str(v) for k, v in outcome.support.items()}, reasons=outcome.reasons)
    audit.record("budgeting.result_computed", actor=actor, obj=result,
                 detail={"rule": process.rule, "funded": funded, "ballots": result.ballots})
    return result


@service("budgeting.manage")
def override_result(actor, result: Result, bid: Bid, *, funded: bool, reason: str) -> Override:
    # Keyed to the override form's boxes, whose bid list offers only this process's accepted bids.
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError({"reason": _("Give the reason for changing the result; it is shown "
                                         "publicly.")})
    if bid.process_id != result.process_id or bid.status != Bid.Status.ACCEPTED:
        raise ValidationError({"bid": _("Choose an accepted bid in this process.")})
    if not isinstance(funded, bool):
        raise ValidationError({"funded": _("Choose whether to fund the bid.")})
    override = Override.objects.create(result=result, bid=bid, funded=funded,
                                       reason=reason.strip(), by=actor)
    audit.record("budgeting.result_overridden", actor=actor, obj=result,
                 detail={"bid": bid.reference, "funded": funded, "reason": override.reason})
    return override


@service("budgeting.manage")
def publish_result(actor, result: Result) -> Result:
    Result.objects.filter(process=result.process).update(published=False)
    result.published = True
    result.save(update_fields=["published"])
    Process.objects.filter(pk=result.process_id).update(status=Process.Status.RESULTS)
    audit.record("budgeting.result_published", actor=actor, obj=result)
    return result


def funded_references(result: Result) -> list[str]:
    """The rule's choice with the coordinator's overrides applied, latest last."""
    funded = list(result.funded)
    for o in result.overrides.order_by("at", "pk"):
        if o.funded and o.bid.reference not in funded:
            funded.append(o.bid.reference)
        if not o.funded and o.bid.reference in funded:
            funded.remove(o.bid.reference)
    return funded


@service("budgeting.manage")
def add_update(actor, bid: Bid, *, text, spend=0, outputs="", photo=None,
               photo_description="") -> ProjectUpdate:
    errors = {}
    if not (text or "").strip():
        errors["text"] = "Say what has happened."
    # The spend column holds up to 12 digits before the point, in whole pence.
    if spend is None or not Decimal(0) <= Decimal(spend) < Decimal(10) ** 12 \
            or Decimal(spend) != Decimal(spend).quantize(Decimal("0.01")):
        errors["spend"] = "Give the spend so far in pounds and pence, 0 or more."
    if photo is not None and not photo_description.strip():
        errors["photo_description"] = "Describe the photo for people who cannot see it."
    if errors:
        raise ValidationError(errors)
    update = ProjectUpdate.objects.create(bid=bid, text=text.strip(), spend=spend,
                                          outputs=(outputs or "").strip(),
                                          photo=photo, photo_description=photo_description)
    audit.record("budgeting.project_updated", actor=actor, obj=bid,
                 detail={"spend": str(spend)})
    return update


# Retention ------------------------------------------------------------------------------------

# Bidders' addresses are kept only as long as the facilitator may need to reach them.
CONTACT_DAYS_AFTER_VOTING = 180


# Import --------------------------------------------------------------------------------------

def import_pb(path, *, actor=None, name=None, status=Process.Status.CLOSED) -> Process:
    """A pabulib file into a new process with its bids and ballots, all or nothing."""
    holder = {}

    def load(path, problems, progress):
        text = pabulib.read_text(path, problems)
        problems.raise_if_any()
        election = pabulib.parse_text(text, problems)
        problems.raise_if_any()
        meta = election.meta
        kind = {"approval": BallotKind.APPROVAL, "choose-1": BallotKind.APPROVAL,
                "ordinal": BallotKind.RANKED, "cumulative": BallotKind.CUMULATIVE,
                "scoring": None}[election.vote_type]
        if kind is None:
            problems.add("scoring ballots cannot be held in a process; only approval, ranked "
                         "and cumulative", field="vote_type")
            problems.raise_if_any()

        def whole(key):
            try:
                return int(Decimal(meta[key])) if meta.get(key) else None
            except InvalidOperation:
                problems.add(f"'{meta[key]}' is not a number", field=key)
                return None

        title = name or meta.get("description") or path.stem
        process = Process.objects.create(
            name=title[:200], slug=_unique_slug(title), budget=election.budget,
            currency=(meta.get("currency") or "GBP")[:3].upper(), ballot_kind=kind,
            min_choices=whole("min_length") or 0, max_choices=whole("max_length"),
            max_points=whole("max_sum_points"),
            rule=MES if meta.get("rule", "").startswith("equalshares") else GREEDY,
            status=status, imported_meta=meta)
        problems.raise_if_any()
        bids = {}
        for p in election.projects:
            bids[p.project_id] = Bid.objects.create(
                process=process, reference=p.project_id, title=(p.fields.get("name") or
                                                                f"Project {p.project_id}")[:200],
                cost=p.cost, theme=(p.fields.get("category") or "")[:100],
                status=Bid.Status.ACCEPTED,
                extra={k: v for k, v in p.fields.items() if k not in ("name",)})
        total = len(election.votes)
        for done, v in enumerate(election.votes, start=1):
            points = v.points or [Decimal(1)] * len(v.projects)
            ballot = Ballot.objects.create(process=process, voter_ref=v.voter_id[:60])
            Choice.objects.bulk_create([
                Choice(ballot=ballot, bid=bids[pid], position=i, points=pt)
                for i, (pid, pt) in enumerate(zip(v.projects, points, strict=True))])
            progress(done, total, "ballots")
        if total:
            process.rules_locked_at = timezone.now()
            process.save(update_fields=["rules_locked_at"])
        holder["process"] = process
        return ImportResult("pb", election.vote_type, path.name, rows=total,
                            counts={"projects": len(bids), "ballots": total})

    run("pb", path, load, actor=actor)
    return holder["process"]
