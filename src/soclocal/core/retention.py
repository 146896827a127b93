"""Retention: every model that holds personal data says how long it keeps it, and why.

A model declares `retention = Rule(...)` (or a tuple of rules) beside its `ownership`:

    retention = Rule(
        "bid-contacts", purpose="Reach a bidder about their bid", lawful_basis=CONSENT,
        categories=("contact details",), days=180, after="process__voting_close",
        action=ANONYMISE, clear={"contact_email": "", "contact_phone": ""})

`due(rule)` is the records whose period has run out; `apply(rule)` deletes, anonymises or
(for REVIEW) lists them for a person to decide, in batches, each batch in one transaction with
its own audit event. What is due is worked out from the records themselves, so a run that
stops part way is finished by running again, and a second run changes nothing.

The record of processing (`processing_record()`) is generated from the same declarations.
`test_every_personal_model_declares_a_rule` fails for a model with personal fields and no rule
unless it is listed in `NOT_PERSONAL` with the reason.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

DELETE, ANONYMISE, REVIEW = "delete", "anonymise", "review"
ACTIONS = {DELETE: "Delete", ANONYMISE: "Anonymise", REVIEW: "Review"}

# Lawful bases, written once so the record of processing reads consistently.
PUBLIC_TASK = "UK GDPR Article 6(1)(e) public task"
SAFEGUARDING = ("UK GDPR Article 6(1)(e) public task; special category: Article 9(2)(g) "
                "substantial public interest (DPA 2018 Schedule 1, paragraph 18, "
                "safeguarding of children and individuals at risk)")
LAW_ENFORCEMENT = "DPA 2018 Part 3 (law enforcement processing), section 35: necessary for a " \
                  "law enforcement purpose"
CONSENT = "UK GDPR Article 6(1)(a) consent"
LEGITIMATE = "UK GDPR Article 6(1)(f) legitimate interests (security of the system)"
CONTRACT = "UK GDPR Article 6(1)(b) employment contract; Article 6(1)(e) public task"

BATCH = 200


@dataclass(frozen=True)
class Rule:
    name: str  # short and unique, e.g. "bid-contacts"
    purpose: str
    lawful_basis: str
    categories: tuple[str, ...]
    days: int = 0  # the retention period
    after: str = ""  # the date field (a lookup path) the period runs from
    action: str = REVIEW
    period: str = ""  # the period in words, when `days` and `after` do not say it well
    recipients: tuple[str, ...] = ()  # kinds of agency or people it is disclosed to
    clear: dict = field(default_factory=dict)  # ANONYMISE: field -> the value it becomes
    stamp: str = ""  # ANONYMISE: a date-time field set when a record is anonymised
    where: Q | None = None  # only these records
    select: str = ""  # dotted path to fn(queryset, cutoff) -> queryset, for rules a Q cannot say
    erase: str = ""  # DELETE: dotted path to fn(queryset) deleting records with their dependants
    kept_with: str = ""  # kept as long as another record (app_label.model): never due itself
    subject: str = "people"  # whose data: "young people", "bidders", "staff"...

    def __hash__(self):
        return hash(self.name)


@dataclass(frozen=True)
class Bound:
    """A rule with the model that declared it."""

    model: type
    rule: Rule

    @property
    def label(self):
        return self.model._meta.label_lower

    @property
    def verbose_name(self):
        return str(self.model._meta.verbose_name_plural).capitalize()

    @property
    def period_text(self) -> str:
        r = self.rule
        if r.period:
            return r.period
        if r.kept_with:
            other = apps.get_model(r.kept_with)._meta.verbose_name
            return f"as long as its {other}"
        when = r.after.split("__")[-1].replace("_", " ")
        return f"{_days_text(r.days)} after {when}"

    @property
    def action_text(self):
        return ACTIONS[self.rule.action]


def _days_text(days: int) -> str:
    if days and days % 365 == 0:
        years = days // 365
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


def rules_of(model) -> tuple[Rule, ...]:
    declared = model.__dict__.get("retention")
    if declared is None:
        return ()
    return declared if isinstance(declared, tuple) else (declared,)


def rules() -> list[Bound]:
    """Every declared rule, by app and model."""
    found = []
    for model in apps.get_models():
        found += [Bound(model, r) for r in rules_of(model)]
    names = [b.rule.name for b in found]
    if len(names) != len(set(names)):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"retention rule names must be unique: {', '.join(dupes)}")
    return sorted(found, key=lambda b: (b.model._meta.app_label, b.rule.name))


def get(name: str) -> Bound:
    for bound in rules():
        if bound.rule.name == name:
            return bound
    raise KeyError(name)


def _date_field(model, path: str):
    """The model field at the end of a lookup path."""
    current = model
    target = None
    for part in path.split("__"):
        target = current._meta.get_field(part)
        if target.is_relation:
            current = target.related_model
    return target


def cutoff_for(bound: Bound, now=None):
    now = now or timezone.now()
    cutoff = now - timedelta(days=bound.rule.days)
    target = _date_field(bound.model, bound.rule.after)
    if isinstance(target, models.DateField) and not isinstance(target, models.DateTimeField):
        return timezone.localtime(cutoff).date()
    return cutoff


def due(bound: Bound, now=None):
    """The records whose period has run out and that the rule has not yet dealt with."""
    rule, qs = bound.rule, bound.model._default_manager.all()
    if rule.kept_with or not rule.after:
        return qs.none()
    cutoff = cutoff_for(bound, now)
    qs = qs.filter(**{f"{rule.after}__lt": cutoff})
    if rule.where is not None:
        qs = qs.filter(rule.where)
    if rule.action == ANONYMISE:
        if rule.stamp:
            qs = qs.filter(**{f"{rule.stamp}__isnull": True})
        else:
            qs = qs.exclude(Q(**rule.clear))
    if rule.select:
        qs = import_string(rule.select)(qs, cutoff)
    return bound.model._default_manager.filter(pk__in=qs.values("pk")).order_by("pk")


@dataclass
class Outcome:
    rule: str
    action: str
    count: int
    batches: int = 0


def apply(bound: Bound, *, actor=None, now=None, batch: int = BATCH,
          on_batch: Callable | None = None) -> Outcome:
    """Deal with what is due under one rule, a batch at a time (each committed with its audit
    event). REVIEW rules change nothing: the records are listed in the audit trail for a person
    to decide on."""
    from . import audit

    now = now or timezone.now()
    rule = bound.rule
    if rule.action == REVIEW:
        ids = list(due(bound, now).values_list("pk", flat=True))
        if ids:
            audit.record("retention.review_due", actor=actor, object_type=bound.label,
                         detail={"rule": rule.name, "count": len(ids), "ids": ids[:1000]})
        return Outcome(rule.name, rule.action, len(ids), 1 if ids else 0)
    done = batches = 0
    last = None
    while True:
        with transaction.atomic():
            ids = list(due(bound, now).values_list("pk", flat=True)[:batch])
            if not ids:
                break
            if ids == last:  # the rule does not change what it selects: stop, do not spin
                raise RuntimeError(f"retention rule {rule.name} selects the same records again")
            last = ids
            records = bound.model._default_manager.filter(pk__in=ids)
            if rule.action == DELETE:
                if rule.erase:
                    import_string(rule.erase)(records)
                else:
                    records.delete()
                forget_links(bound.model, ids)
            else:
                changes = dict(rule.clear)
                if rule.stamp:
                    changes[rule.stamp] = now
                records.update(**changes)
            audit.record(f"retention.{rule.action}d" if rule.action != ANONYMISE
                         else "retention.anonymised", actor=actor, object_type=bound.label,
                         detail={"rule": rule.name, "count": len(ids), "ids": ids})
        done += len(ids)
        batches += 1
        if on_batch:
            on_batch(bound, done)
    return Outcome(rule.name, rule.action, done, batches)


def forget_links(model, ids):
    """Shares and origin links that point at deleted records go with them (their labels can
    carry a name)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Origin, Share

    ct = ContentType.objects.get_for_model(model)
    Share.objects.filter(content_type=ct, object_id__in=ids).delete()
    text_ids = [str(i) for i in ids]
    Origin.objects.filter(Q(source_type=ct, source_id__in=text_ids)
                          | Q(target_type=ct, target_id__in=text_ids)).delete()


def summary(now=None) -> list[dict]:
    """Each rule with how many records are due now."""
    return [{"bound": b, "rule": b.rule, "due": due(b, now).count()} for b in rules()]


def run(*, apply_changes: bool, actor=None, now=None, only=None,
        batch: int = BATCH, on_batch=None) -> list[dict]:
    """Every rule's due records (a dry run), or apply them; audited either way."""
    from . import audit

    now = now or timezone.now()
    results = []
    for bound in rules():
        if only and bound.rule.name not in only:
            continue
        ids = list(due(bound, now).values_list("pk", flat=True))
        entry = {"rule": bound.rule.name, "model": bound.label, "action": bound.rule.action,
                 "period": bound.period_text, "due": len(ids), "ids": ids, "done": 0}
        if apply_changes and ids:
            entry["done"] = apply(bound, actor=actor, now=now, batch=batch,
                                  on_batch=on_batch).count
        results.append(entry)
    audit.record("retention.run" if apply_changes else "retention.dry_run", actor=actor,
                 detail={"rules": {r["rule"]: {"due": r["due"], "done": r["done"]}
                                   for r in results if r["due"]}})
    return results


# Which models hold personal data -------------------------------------------------------------

PERSONAL_FIELD = re.compile(
    r"(^|_)(name|first_name|last_name|surname|forenames|date_of_birth|dob|email|phone|"
    r"address|postcode|contact|ip_address|voter_ref)($|_)")

# Models with a field named like a personal one, or an ownership declaration, that hold no
# personal data: the reason is the exemption.
NOT_PERSONAL = {
    "accounts.partnership": "the partnership: an organisation",
    "accounts.agency": "an organisation",
    "accounts.team": "a team of an organisation",
    "accounts.apitoken": "a token's label; the token belongs to an account, deleted with it",
    "areas.area": "a geography",
    "areas.lsoalookup": "a lookup between geographies",
    "areas.indicator": "a published figure for a small area (open data)",
    "budgeting.ballot": "a ballot: its voter reference is a code handed out anonymously",
    "engagement.communitygroup": "a community group; its members are engagement.member",
    "areas.neighbourhood": "a named group of areas",
    "budgeting.process": "a participatory budgeting process",
    "budgeting.votingevent": "a voting event (a place and time)",
    "cases.starinstrument": "an outcomes star instrument",
    "cases.stararea": "an area of an outcomes star",
    "core.job": "a background job's progress",
    "engagement.codingframe": "a coding frame for community input",
    "engagement.event": "an engagement event (a place and time)",
    "priorities.threat": "a threat to a place or from a group, not a person",
    "responses.plan": "a partnership's response plan",
    "responses.action": "an action owned by an agency",
    "responses.meeting": "a tasking meeting",
    "safeguarding.indicator": "an aggregate indicator",
    "intelligence.requirement": "an intelligence gap tasked to an agency (no named person)",
    "crime.crimeimport": "a record of an import of police.uk open data (anonymised by police.uk)",
    "profiles.harmweight": "a harm weight",
    "django_tasks_database.dbtaskresult": "a background task's arguments and result",
}


def has_personal_fields(model) -> bool:
    if "ownership" in model.__dict__:
        return True
    return any(PERSONAL_FIELD.search(f.name) for f in model._meta.concrete_fields)


def undeclared() -> list[str]:
    """Models that look personal and declare no rule and are not exempt."""
    ours = {c.label for c in apps.get_app_configs() if c.name.startswith("soclocal.")}
    missing = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label not in ours or label in NOT_PERSONAL:
            continue
        if has_personal_fields(model) and not rules_of(model):
            missing.append(label)
    return sorted(missing)


# The record of processing ---------------------------------------------------------------------

def processing_record() -> list[dict]:
    """The data protection officer's record of processing, from the declarations: one entry per
    rule, grouped by purpose in the page and PDF."""
    entries = []
    for b in rules():
        r = b.rule
        entries.append({
            "rule": r.name, "model": b.label, "records": b.verbose_name,
            "context": apps.get_app_config(b.model._meta.app_label).verbose_name,
            "purpose": r.purpose, "lawful_basis": r.lawful_basis,
            "categories": list(r.categories), "subjects": r.subject,
            "recipients": list(r.recipients) + [x for x in extra_recipients(b)],
            "retention": b.period_text, "then": ACTIONS[r.action].lower()})
    return entries


_recipient_sources: list[Callable] = []


def recipients_source(fn):
    """Register `fn(bound) -> iterable of recipient descriptions` (for example the agencies an
    information-sharing agreement names), added to the record of processing."""
    if fn not in _recipient_sources:
        _recipient_sources.append(fn)
    return fn


def extra_recipients(bound):
    for fn in _recipient_sources:
        yield from fn(bound)
