"""Every change to early intervention cases: checked, validated, written and audited."""

import re
import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from soclocal.core import audit
from soclocal.core.access import can, scope, service
from soclocal.core.models import Share
from soclocal.partnership import services as partnership_services

from . import star
from .models import (
    Assignment,
    Case,
    Closure,
    Contact,
    FamilyMember,
    Goal,
    OutreachAttempt,
    Plan,
    PlanAction,
    PlanReview,
    Referral,
    StarArea,
    StarInstrument,
    StarReading,
    StarScore,
    Transfer,
    YoungPerson,
)

AGE_MIN, AGE_MAX = 11, 18


def _reach(actor, capability, obj, queryset=None):
    """Refuse a write on a record the actor cannot reach (the view should have 404'd first)."""
    if actor is None:
        return
    queryset = queryset if queryset is not None else type(obj).objects.all()
    if not scope(actor, capability, queryset).filter(pk=obj.pk).exists():
        audit.record("access.denied", actor=actor, obj=obj, detail={"capability": capability})
        raise PermissionDenied


def _team_of(actor):
    return getattr(actor, "team", None)


# Young people -------------------------------------------------------------------------------

def _young_person_fields(fields):
    allowed = {"first_name", "last_name", "date_of_birth", "gender", "ethnicity", "home_area",
               "school", "police_id", "social_care_id", "education_id"}
    return {k: v for k, v in fields.items() if k in allowed}


@service("cases.manage")
def merge_young_people(actor, *, keep: YoungPerson, duplicate: YoungPerson, reason=""):
    """Fold a duplicate record into another: its cases and family move; the row stays, marked."""
    # Refusals are keyed to the page's choice of which record stays.
    if keep.pk == duplicate.pk:
        raise ValidationError({"keep": _("Choose two different records to merge.")})
    if duplicate.merged_into_id or keep.merged_into_id:
        raise ValidationError({"keep": _("That record has already been merged.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why these records are the same young person")})
    _reach(actor, "cases.manage", keep)
    _reach(actor, "cases.manage", duplicate)
    moved = list(duplicate.cases.values_list("pk", flat=True))
    duplicate.cases.update(young_person=keep)
    duplicate.family.update(young_person=keep)
    for name in ("ethnicity", "school", "police_id", "social_care_id", "education_id",
                 "home_area"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    keep.save()
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into"])
    audit.record("cases.young_person.merged", actor=actor, obj=keep,
                 detail={"duplicate": duplicate.pk, "cases_moved": moved, "reason": reason})
    return keep


# Referral and triage ------------------------------------------------------------------------

def _check_consent(data):
    basis = data.get("lawful_basis") or Referral.LawfulBasis.CONSENT
    if basis == Referral.LawfulBasis.CONSENT:
        if not (data.get("young_person_consents_to_service")
                or data.get("caregiver_consents_to_service")):
            raise ValidationError({"lawful_basis": _("Record consent to the service from the young "
                                   "person or a caregiver, or choose the lawful basis you rely "
                                   "on instead")})
    elif not (data.get("lawful_basis_reason") or "").strip():
        raise ValidationError({"lawful_basis_reason": _("Say why consent is not the lawful basis")})


def _check_age(actor, young_person_dob, received_on, override_reason):
    age = YoungPerson(date_of_birth=young_person_dob).age_on(received_on)
    if AGE_MIN <= age <= AGE_MAX:
        return
    if not (override_reason or "").strip():
        raise ValidationError({"age_override_reason": _('The young person is %(age)s: the '
                                                        'service is for %(youngest)s to '
                                                        '%(oldest)s year olds. A manager '
                                                        'can accept them with a reason') % {"age": age,
                                                                                            "youngest": AGE_MIN,
                                                                                            "oldest": AGE_MAX}})
    if actor is not None and not can(actor, "cases.manage"):
        raise ValidationError({"age_override_reason": _('The young person is %(age)s: only '
                                                        'a manager can accept a referral '
                                                        'outside the age range') % {"age": age}})


REFERRAL_FIELDS = (
    "source", "referrer_name", "referrer_contact", "reasons", "indicators", "concerns", "risks",
    "young_person_consents_to_sharing", "young_person_consents_to_service",
    "caregiver_consents_to_sharing", "caregiver_consents_to_service", "lawful_basis",
    "lawful_basis_reason", "age_override_reason",
)


@service("cases.refer")
def record_referral(actor, *, young_person: YoungPerson | None = None, person=None,
                    family=(), received_at=None, agency=None, team=None, raised_from=None,
                    **data) -> Referral:
    """A referral for an existing young person (chosen after searching) or a new one.

    A young person has one case per agency: a referral for someone whose case is closed
    re-opens that case (a re-referral) so the history stays together.
    """
    received_at = received_at or timezone.now()
    agency = agency or actor.agency
    team = team if team is not None else _team_of(actor)
    if not data.get("reasons"):
        raise ValidationError({"reasons": _("Choose at least one reason for the referral")})
    _check_consent(data)
    if young_person is None:
        person = _young_person_fields(person or {})
        for name in ("first_name", "last_name", "date_of_birth"):
            if not person.get(name):
                raise ValidationError({name: "Enter the young person's " + name.replace("_", " ")})
        _check_age(actor, person["date_of_birth"], received_at.date(),
                   data.get("age_override_reason"))
        young_person = YoungPerson.objects.create(owning_agency=agency, owning_team=team, **person)
        for member in family:
            if member.get("name"):
                FamilyMember.objects.create(young_person=young_person, **member)
        audit.record("cases.young_person.created", actor=actor, obj=young_person)
    else:
        _check_age(actor, young_person.date_of_birth, received_at.date(),
                   data.get("age_override_reason"))
    case = Case.objects.filter(young_person=young_person, owning_agency=agency).first()
    rereferral = case is not None
    if case is None:
        case = Case.objects.create(young_person=young_person, owning_agency=agency,
                                   owning_team=team, opened_at=received_at)
    elif case.status in (Case.Status.AWAITING_TRIAGE, Case.Status.OPEN,
                         Case.Status.CLOSURE_REQUESTED):
        raise ValidationError({None: _('%(young_person)s already has a case here that is '
                                       '%(status)s: add to that case instead') % {"young_person": young_person,
                                                                                  "status": case.get_status_display().lower()}})
    else:
        _reach(actor, "cases.refer", case)
        case.status = Case.Status.AWAITING_TRIAGE
        case.closed_at = None
        case.save(update_fields=["status", "closed_at"])
    referral = Referral.objects.create(
        case=case, received_at=received_at, created_by=actor,
        **{k: v for k, v in data.items() if k in REFERRAL_FIELDS})
    audit.record("cases.referral.rereferred" if rereferral else "cases.referral.recorded",
                 actor=actor, obj=referral, detail={"case": case.pk})
    if raised_from is not None:
        # Started from another context (a plan's Divert action): the trail never names the
        # young person, so the other side reads only that a referral came of it.
        from django.urls import reverse

        from soclocal.core import origins

        origins.link(actor, raised_from, referral,
                     target_label=f"An early-intervention referral, {received_at:%-d %B %Y}",
                     target_url=reverse("cases:case", args=[case.pk]))
    return referral


@service("cases.refer")
def rerefer(actor, case: Case, **data) -> Referral:
    if case.status not in (Case.Status.CLOSED, Case.Status.SIGNPOSTED, Case.Status.DECLINED):
        raise ValidationError({None: _("Only a closed case can be referred again")})
    _reach(actor, "cases.refer", case)
    return record_referral(actor, young_person=case.young_person, agency=case.owning_agency,
                           team=case.owning_team, **data)


@service("cases.manage")
def triage(actor, referral: Referral, *, decision: str, reason: str = "", signposted_to: str = ""):
    case = referral.case
    _reach(actor, "cases.manage", case)
    if referral.decision:
        raise ValidationError({None: _("This referral has already been triaged")})
    if decision not in Referral.Decision.values:
        raise ValidationError({"decision": _("Choose accept, signpost or decline")})
    if decision != Referral.Decision.ACCEPT and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for signposting or declining")})
    if decision == Referral.Decision.SIGNPOST and not signposted_to.strip():
        raise ValidationError({"signposted_to": _("Say which service the young person was "
                               "signposted to")})
    referral.decision, referral.decision_reason = decision, reason
    referral.signposted_to = signposted_to
    referral.decided_at, referral.decided_by = timezone.now(), actor
    referral.save()
    case.status = {Referral.Decision.ACCEPT: Case.Status.OPEN,
                   Referral.Decision.SIGNPOST: Case.Status.SIGNPOSTED,
                   Referral.Decision.DECLINE: Case.Status.DECLINED}[decision]
    if decision != Referral.Decision.ACCEPT:
        case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at"])
    audit.record("cases.referral.triaged", actor=actor, obj=referral,
                 detail={"decision": decision, "case": case.pk})
    return referral


def agencies_working_on(case: Case) -> set:
    """The owning agency and every agency the case is shared with now: the only places its
    practitioner may come from, since the practitioner sees the whole case."""
    shared = Share.objects.filter(content_type=ContentType.objects.get_for_model(Case),
                                  object_id=case.pk, revoked_at__isnull=True)
    return {case.owning_agency_id, *shared.values_list("agency_id", flat=True)}


@service("cases.manage")
def allocate(actor, case: Case, *, practitioner=None, peer_mentor=None, reason=""):
    _reach(actor, "cases.manage", case)
    from soclocal.core.access import Role

    # Only people who still work here: an account that is closed cannot pick the case up.
    if practitioner is not None and not (practitioner.is_active and practitioner.role_grants.filter(
            role__in=[Role.PRACTITIONER, Role.MANAGER]).exists()):
        raise ValidationError({"practitioner": _("Choose a practitioner")})
    # Giving the case to another agency's practitioner would let that agency in without a
    # share under an agreement (an existing allocation is left as it is).
    if (practitioner is not None and practitioner.pk != case.practitioner_id
            and practitioner.agency_id not in agencies_working_on(case)):
        raise ValidationError({"practitioner": _(
            "Choose a practitioner from the agency that owns the case or one it is shared with")})
    if peer_mentor is not None and not (peer_mentor.is_active and peer_mentor.role_grants.filter(
            role=Role.PEER_MENTOR).exists()):
        raise ValidationError({"peer_mentor": _("Choose a peer mentor")})
    before = (case.practitioner_id, case.peer_mentor_id)
    if before[0] and (practitioner is None or before[0] != practitioner.pk) and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reassigning the case")})
    case.practitioner, case.peer_mentor = practitioner, peer_mentor
    case.save(update_fields=["practitioner", "peer_mentor"])
    Assignment.objects.create(case=case, practitioner=practitioner, peer_mentor=peer_mentor,
                              reason=reason, assigned_by=actor)
    audit.record("cases.case.allocated", actor=actor, obj=case, detail={
        "practitioner": practitioner.pk if practitioner else None,
        "peer_mentor": peer_mentor.pk if peer_mentor else None,
        "before": list(before), "reason": reason})
    return case


# Direct work --------------------------------------------------------------------------------

def _check_date(name, day):
    if day > timezone.localdate():
        raise ValidationError({name: _("The date must be today or in the past")})


@service("cases.record")
def record_outreach(actor, case: Case, *, attempted_on: date, method: str, engaged=False,
                    notes=""):
    _reach(actor, "cases.record", case)
    _check_date("attempted_on", attempted_on)
    if not case.is_active:
        raise ValidationError({None: "Outreach is recorded on an open case"})
    if method not in OutreachAttempt.Method.values:
        raise ValidationError({"method": "Choose how the young person was contacted"})
    attempt = OutreachAttempt.objects.create(case=case, attempted_on=attempted_on, method=method,
                                             engaged=engaged, notes=notes, recorded_by=actor)
    if engaged and (case.first_engaged_on is None or attempted_on < case.first_engaged_on):
        case.first_engaged_on = attempted_on
        case.save(update_fields=["first_engaged_on"])
    audit.record("cases.outreach.recorded", actor=actor, obj=attempt, detail={"case": case.pk})
    return attempt


@service("cases.record")
def record_contact(actor, case: Case, *, happened_on: date, duration_minutes: int, kind: str,
                   out_of_hours=False, place="", people_present="", notes="", goals=()):
    _reach(actor, "cases.record", case)
    _check_date("happened_on", happened_on)
    if case.status == Case.Status.AWAITING_TRIAGE:
        raise ValidationError({None: "Contacts are recorded once the referral is accepted"})
    if kind not in Contact.Kind.values:
        raise ValidationError({"kind": "Choose the kind of contact"})
    if case.status == Case.Status.CLOSED and kind != Contact.Kind.INFORMAL:
        raise ValidationError({"kind": _("After closure, record the contact as informal")})
    if duration_minutes is None or duration_minutes <= 0:
        raise ValidationError({"duration_minutes": _("Enter how long the contact lasted, in "
                               "minutes")})
    contact = Contact.objects.create(
        case=case, happened_on=happened_on, duration_minutes=duration_minutes, kind=kind,
        out_of_hours=out_of_hours or kind == Contact.Kind.OUT_OF_HOURS, place=place,
        people_present=people_present, notes=notes, recorded_by=actor,
        recorded_by_agency=getattr(actor, "agency", None))
    goal_ids = [g.pk for g in goals]
    if goal_ids:
        contact.goals.set(Goal.objects.filter(pk__in=goal_ids, plan__case=case))
    if kind != Contact.Kind.INFORMAL and (case.first_engaged_on is None
                                           or happened_on < case.first_engaged_on):
        case.first_engaged_on = happened_on
        case.save(update_fields=["first_engaged_on"])
    audit.record("cases.contact.recorded", actor=actor, obj=contact, detail={"case": case.pk})
    return contact


@service("cases.record")
def record_reading(actor, case: Case, *, taken_on: date, scores: dict, other_views=None,
                   action_plan="", instrument=None):
    """A star reading: `scores` maps StarArea pk to the agreed score (every area needed)."""
    _reach(actor, "cases.record", case)
    _check_date("taken_on", taken_on)
    instrument = instrument or star.active_instrument()
    other_views = other_views or {}
    areas = list(instrument.areas.all())
    errors = {}
    for area in areas:
        for label, value, required in (("score", scores.get(area.pk), True),
                                       ("other view", other_views.get(area.pk), False)):
            if value in (None, ""):
                if required:
                    errors[f"area_{area.pk}"] = _('Score %(name)s') % {"name": area.name}
                continue
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = None
            if value is None or not instrument.scale_min <= value <= instrument.scale_max:
                errors[f"area_{area.pk}"] = (f"The {label} for {area.name} must be from "
                                             f"{instrument.scale_min} to {instrument.scale_max}")
    if errors:
        raise ValidationError(errors)
    reading = StarReading.objects.create(case=case, instrument=instrument, taken_on=taken_on,
                                         recorded_by=actor, action_plan=action_plan)
    StarScore.objects.bulk_create([
        StarScore(reading=reading, area=a, score=int(scores[a.pk]),
                  other_view=int(other_views[a.pk]) if other_views.get(a.pk) not in (None, "")
                  else None) for a in areas])
    audit.record("cases.reading.recorded", actor=actor, obj=reading, detail={"case": case.pk})
    return reading


@service("cases.record")
def approve_reading(actor, reading: StarReading):
    """The worker signs off a reading; only approved readings count in reports."""
    _reach(actor, "cases.record", reading.case, Case.objects.all())
    from soclocal.core.access import Role

    if not actor.role_grants.filter(role__in=[Role.PRACTITIONER, Role.MANAGER]).exists():
        raise PermissionDenied
    if reading.approved:
        return reading
    reading.approved_at, reading.approved_by = timezone.now(), actor
    reading.save(update_fields=["approved_at", "approved_by"])
    audit.record("cases.reading.approved", actor=actor, obj=reading)
    return reading


@service("cases.record")
def save_plan(actor, case: Case, *, goals, actions, review_every_days=None):
    """A new version of the plan. `goals` is [(star_area or None, text)], `actions` is
    [dict(goal_index, for_whom, kind, description, owner, due_on, status)]."""
    _reach(actor, "cases.record", case)
    if not case.is_active:
        raise ValidationError({None: "Plans are made on an open case"})
    goals = list(goals)
    first_area = goals[0][0] if goals else None
    goals = [(a, t.strip()) for a, t in goals if t and t.strip()]
    if not goals:
        # Keyed to the plan form's first goal box, where the page asks for one.
        raise ValidationError({f"goal_{first_area.pk}" if first_area is not None else None:
                               "Add at least one goal"})
    errors = {}
    for i, action in enumerate(actions):
        # `row` is the action's row on the plan form (empty rows are skipped before this).
        row = action.get("row", i)
        if action.get("for_whom") not in (None, *PlanAction.For.values):
            errors[f"action_{row}_for"] = f"Action {row + 1}: choose who it is for"
        if action.get("status") not in (None, "", *PlanAction.Status.values):
            errors[None] = f"Action {row + 1}: unknown state '{action['status']}'"
        allowed = (PlanAction.FAMILY_KINDS if action.get("for_whom") == PlanAction.For.FAMILY
                   else PlanAction.YOUNG_PERSON_KINDS)
        if action.get("kind") not in allowed:
            errors[f"action_{row}_kind"] = (f"Action {row + 1}: choose a kind of support that "
                                            "fits who it is for")
        if not (action.get("owner") or "").strip():
            errors[f"action_{row}_owner"] = f"Action {row + 1}: say who owns it"
    if errors:
        raise ValidationError(errors)
    plan = Plan.objects.create(case=case, created_by=actor,
                               review_every_days=review_every_days or settings_review_days())
    made = [Goal.objects.create(plan=plan, star_area=a, description=t) for a, t in goals]
    for action in actions:
        index = action.get("goal_index")
        PlanAction.objects.create(
            plan=plan, goal=made[index] if index is not None and index < len(made) else None,
            for_whom=action.get("for_whom") or PlanAction.For.YOUNG_PERSON, kind=action["kind"],
            description=action.get("description", ""), owner=action["owner"],
            due_on=action.get("due_on"), status=action.get("status")
            or PlanAction.Status.NOT_STARTED)
    audit.record("cases.plan.saved", actor=actor, obj=plan, detail={"case": case.pk})
    return plan


def settings_review_days():
    return getattr(settings, "CASES_PLAN_REVIEW_DAYS", 42)


@service("cases.manage")
def approve_plan(actor, plan: Plan):
    _reach(actor, "cases.manage", plan.case, Case.objects.all())
    if not plan.approved:
        plan.approved_at, plan.approved_by = timezone.now(), actor
        plan.save(update_fields=["approved_at", "approved_by"])
        audit.record("cases.plan.approved", actor=actor, obj=plan)
    return plan


@service("cases.record")
def review_plan(actor, plan: Plan, *, reviewed_on: date, notes: str):
    _reach(actor, "cases.record", plan.case, Case.objects.all())
    _check_date("reviewed_on", reviewed_on)
    if not notes.strip():
        raise ValidationError({"notes": _("Say what the review found")})
    review = PlanReview.objects.create(plan=plan, reviewed_on=reviewed_on, notes=notes,
                                       reviewed_by=actor)
    audit.record("cases.plan.reviewed", actor=actor, obj=review, detail={"plan": plan.pk})
    return review


# Closure ------------------------------------------------------------------------------------

@service("cases.record")
def request_closure(actor, case: Case, *, reason: str, summary: str):
    _reach(actor, "cases.record", case)
    if case.status != Case.Status.OPEN:
        raise ValidationError({None: _("Only an open case can be closed")})
    if reason not in Closure.Reason.values:
        raise ValidationError({"reason": _("Choose the reason for closing")})
    if not summary.strip():
        raise ValidationError({"summary": _("Write a summary of the work and where it ended")})
    closure = Closure.objects.create(case=case, reason=reason, summary=summary,
                                     requested_by=actor)
    case.status = Case.Status.CLOSURE_REQUESTED
    case.save(update_fields=["status"])
    audit.record("cases.closure.requested", actor=actor, obj=closure, detail={"case": case.pk})
    return closure


@service("cases.manage")
def decide_closure(actor, closure: Closure, *, approve: bool):
    case = closure.case
    _reach(actor, "cases.manage", case)
    if case.status != Case.Status.CLOSURE_REQUESTED or closure.approved_at:
        raise ValidationError({None: _("There is no closure waiting for approval")})
    if approve:
        closure.approved_at, closure.approved_by = timezone.now(), actor
        closure.save(update_fields=["approved_at", "approved_by"])
        case.status, case.closed_at = Case.Status.CLOSED, closure.approved_at
    else:
        case.status = Case.Status.OPEN
    case.save(update_fields=["status", "closed_at"])
    audit.record("cases.closure.approved" if approve else "cases.closure.returned", actor=actor,
                 obj=closure, detail={"case": case.pk})
    return closure


# Sharing ------------------------------------------------------------------------------------

# A manager's reason to share without consent is recorded as the share's lawful basis.
OVERRIDE_PREFIX = "Override: "
OVERRIDE_REASON_MAX = Share._meta.get_field("lawful_basis").max_length - len(OVERRIDE_PREFIX)


def _sharing_basis(actor, case, override_reason):
    """The recorded basis for sharing, or an override a manager gives with a reason."""
    referral = case.current_referral
    basis = referral.sharing_basis if referral else ""
    if basis:
        return basis, False
    if not (override_reason or "").strip():
        raise ValidationError({"override_reason": _("Neither consent to share nor another lawful "
                               "basis is recorded for this case. Record consent first, or a "
                               "manager can share with a reason")})
    if not can(actor, "cases.share_override"):
        raise ValidationError({"override_reason": _("Only a manager can share without recorded "
                               "consent or another lawful basis")})
    if len(override_reason.strip()) > OVERRIDE_REASON_MAX:
        raise ValidationError({"override_reason": _("Keep the reason to %(most)s characters or "
                                                    "fewer") % {"most": OVERRIDE_REASON_MAX}})
    return OVERRIDE_PREFIX + override_reason.strip(), True


def active_shares(case):
    return Share.objects.filter(content_type=ContentType.objects.get_for_model(Case),
                                object_id=case.pk, revoked_at__isnull=True)


@service("cases.share")
def share_case(actor, case: Case, *, agency, purpose: str, agreement=None, override_reason=""):
    """Refer a case to another agency: that agency can see and work on it; ownership stays.
    The share names the information-sharing agreement it relies on, which both agencies
    must be party to and which must be in force."""
    _reach(actor, "cases.share", case)
    if agency.pk == case.owning_agency_id:
        raise ValidationError({"agency": _("The case is already owned by that agency")})
    if not agency.active:
        raise ValidationError({"agency": _("%(agency)s is no longer an active agency of the "
                                           "partnership") % {"agency": agency}})
    if not purpose.strip():
        raise ValidationError({"purpose": _("Say why the case is being shared")})
    if active_shares(case).filter(agency=agency).exists():
        raise ValidationError({"agency": _('The case is already shared with %(agency)s') % {"agency": agency}})
    partnership_services.check_share(agreement, [case.owning_agency, agency])
    basis, overridden = _sharing_basis(actor, case, override_reason)
    share = Share.objects.create(content_type=ContentType.objects.get_for_model(Case),
                                 object_id=case.pk, agency=agency, purpose=purpose,
                                 lawful_basis=basis, agreement=agreement, created_by=actor)
    audit.record("cases.case.shared", actor=actor, obj=case, purpose=purpose,
                 detail={"agency": agency.pk, "share": share.pk, "lawful_basis": basis,
                         "agreement": agreement.reference, "override": overridden})
    return share


@service("cases.share")
def revoke_share(actor, share: Share, *, reason: str):
    case = Case.objects.get(pk=share.object_id)
    _reach(actor, "cases.share", case)
    if share.agency_id == getattr(actor, "agency_id", None):
        raise PermissionDenied  # a receiving agency cannot revoke its own access to widen it
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for ending the sharing")})
    if len(reason) > REVOKE_REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason to %(most)s characters or fewer")
                               % {"most": REVOKE_REASON_MAX}})
    if share.revoked_at:
        return share
    share.revoked_at, share.revoked_by, share.revoked_reason = timezone.now(), actor, reason
    share.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    Transfer.objects.filter(share=share, status=Transfer.Status.PENDING).update(
        status=Transfer.Status.WITHDRAWN, decided_by=actor, decided_at=share.revoked_at)
    audit.record("cases.case.share_revoked", actor=actor, obj=case,
                 detail={"agency": share.agency_id, "share": share.pk, "reason": reason})
    return share


# What a share or its end records about a transfer: a prefix, then the reason given, which
# must leave room for it in the share's column (the forms carry these limits).
TRANSFER_PREFIX = "Transfer: "
TRANSFER_REASON_MAX = Share._meta.get_field("purpose").max_length - len(TRANSFER_PREFIX)
REVOKE_REASON_MAX = Share._meta.get_field("revoked_reason").max_length
REJECTED_PREFIX = "Transfer rejected: "
REJECTION_REASON_MAX = REVOKE_REASON_MAX - len(REJECTED_PREFIX)


@service("cases.share")
def offer_transfer(actor, case: Case, *, agency, reason: str, agreement=None,
                   override_reason=""):
    """Offer the case to another agency; it can see it now and owns it once it accepts."""
    # Keyed to the share page's purpose box, where the reason for a transfer is written.
    if not (reason or "").strip():
        raise ValidationError({"purpose": _("Say why the case is being transferred")})
    if len(reason) > TRANSFER_REASON_MAX:
        raise ValidationError({"purpose": _("Keep the reason for a transfer to %(most)s "
                                            "characters or fewer") % {"most": TRANSFER_REASON_MAX}})
    share = share_case(actor, case, agency=agency, purpose=f"{TRANSFER_PREFIX}{reason}",
                       agreement=agreement, override_reason=override_reason)
    transfer = Transfer.objects.create(case=case, share=share, from_agency=case.owning_agency,
                                       to_agency=agency, reason=reason, created_by=actor)
    audit.record("cases.transfer.offered", actor=actor, obj=transfer, detail={"case": case.pk})
    return transfer


@service("cases.manage")
def respond_to_transfer(actor, transfer: Transfer, *, accept: bool, reason=""):
    if transfer.to_agency_id != getattr(actor, "agency_id", None):
        raise PermissionDenied
    if transfer.status != Transfer.Status.PENDING:
        raise ValidationError({None: _("This transfer has already been answered")})
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for rejecting the transfer")})
    if not accept and len(reason) > REJECTION_REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason to %(most)s characters or fewer")
                               % {"most": REJECTION_REASON_MAX}})
    case = transfer.case
    now = timezone.now()
    transfer.status = Transfer.Status.ACCEPTED if accept else Transfer.Status.REJECTED
    transfer.decided_by, transfer.decided_at = actor, now
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    share = transfer.share
    share.revoked_at, share.revoked_by = now, actor
    share.revoked_reason = "Transfer accepted" if accept else f"{REJECTED_PREFIX}{reason}"
    share.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    if accept:
        case.owning_agency, case.owning_team = actor.agency, actor.team
        case.practitioner = case.peer_mentor = None
        case.save(update_fields=["owning_agency", "owning_team", "practitioner", "peer_mentor"])
    audit.record("cases.transfer.accepted" if accept else "cases.transfer.rejected", actor=actor,
                 obj=transfer, detail={"case": case.pk, "reason": reason})
    return transfer


# The outcomes star instruments --------------------------------------------------------------

def _shape(instrument):
    return {"scale": [instrument.scale_min, instrument.scale_max],
            "stages": [{"name": st["name"], "from": st["from"], "to": st["to"]}
                       for st in instrument.stages],
            "areas": [a.name for a in instrument.areas.all()]}


def _check_instrument(instrument, *, name, scale_min, scale_max, stages, areas,
                      reassess_every_days):
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Enter a name for the star")
    elif StarInstrument.objects.filter(name__iexact=name).exclude(
            pk=getattr(instrument, "pk", None)).exists():
        errors["name"] = _("There is already a star called '%(name)s': choose another name") % {"name": name}
    if not star.whole(reassess_every_days) or not 7 <= reassess_every_days <= 365:
        errors["reassess_every_days"] = _("Reassess every 7 to 365 days")
    errors.update(star.check_structure(scale_min=scale_min, scale_max=scale_max, stages=stages,
                                       areas=areas))
    if errors:
        raise ValidationError(errors)
    return name


def _clean_stages(stages):
    return [{"name": st["name"].strip(), "from": int(st["from"]), "to": int(st["to"])}
            for st in stages]


@service("cases.configure")
def create_instrument(actor, *, name, scale_min, scale_max, stages, areas,
                      reassess_every_days=90) -> StarInstrument:
    """A new star: its scale, the stages of the journey with their score ranges, its areas."""
    name = _check_instrument(None, name=name, scale_min=scale_min, scale_max=scale_max,
                             stages=stages, areas=areas, reassess_every_days=reassess_every_days)
    instrument = StarInstrument.objects.create(
        name=name, scale_min=scale_min, scale_max=scale_max, stages=_clean_stages(stages),
        reassess_every_days=reassess_every_days)
    for i, label in enumerate(areas, start=1):
        StarArea.objects.create(instrument=instrument, position=i, name=label.strip())
    audit.record("cases.star.created", actor=actor, obj=instrument,
                 detail={"name": name, **_shape(instrument),
                         "reassess_every_days": reassess_every_days})
    return instrument


@service("cases.configure")
def update_instrument(actor, instrument: StarInstrument, *, name, scale_min, scale_max, stages,
                      areas, reassess_every_days) -> StarInstrument:
    """Change a star. Once readings use it, only its name and reassessment interval may
    change: a different scale, stage or area would change what the past scores mean."""
    name = _check_instrument(instrument, name=name, scale_min=scale_min, scale_max=scale_max,
                             stages=stages, areas=areas, reassess_every_days=reassess_every_days)
    stages = _clean_stages(stages)
    areas = [a.strip() for a in areas]
    before = _shape(instrument)
    after = {"scale": [scale_min, scale_max], "stages": stages, "areas": areas}
    changed = [what for what in ("scale", "stages", "areas") if before[what] != after[what]]
    readings = StarReading.objects.filter(instrument=instrument).count()
    if changed and readings:
        raise ValidationError({None: (
            _('%(readings)s reading%(reading_s)s already '
              'use%(use_s)s this star, so its %(changed)s cannot '
              'change: that would change what the past scores mean. Make a new version '
              'instead; the past readings keep this one.') % {"readings": readings,
                                                              "reading_s": 's' if readings != 1 else '',
                                                              "use_s": 's' if readings == 1 else '',
                                                              "changed": ' and '.join(changed)})})
    existing = {a.position: a for a in instrument.areas.all()}
    removed = [a for pos, a in existing.items() if pos > len(areas)]
    linked = Goal.objects.filter(star_area__in=removed).first()
    if linked is not None:
        raise ValidationError({None: _('A plan has a goal for %(name)s, so that area '
                                          'cannot be removed. Make a new version instead') % {"name": linked.star_area.name}})
    if "areas" in changed:
        for area in removed:
            area.delete()
        for i, label in enumerate(areas, start=1):
            area = existing.get(i)
            if area is None:
                StarArea.objects.create(instrument=instrument, position=i, name=label)
            elif area.name != label:
                area.name = label
                area.save(update_fields=["name"])
    if "stages" in changed:
        # Text written for a stage that is gone no longer has a place to show.
        names = {st["name"] for st in stages}
        for area in instrument.areas.all():
            kept = {k: v for k, v in area.stage_descriptors.items() if k in names}
            if kept != area.stage_descriptors:
                area.stage_descriptors = kept
                area.save(update_fields=["stage_descriptors"])
    old = {"name": instrument.name, "reassess_every_days": instrument.reassess_every_days}
    instrument.name, instrument.scale_min, instrument.scale_max = name, scale_min, scale_max
    instrument.stages, instrument.reassess_every_days = stages, reassess_every_days
    instrument.save()
    audit.record("cases.star.changed", actor=actor, obj=instrument,
                 detail={"before": {**before, **old}, "after": {
                     **after, "name": name, "reassess_every_days": reassess_every_days}})
    return instrument


def _versioned(base, n):
    suffix = f" (version {n})"
    limit = StarInstrument._meta.get_field("name").max_length - len(suffix)
    return base[:limit].rstrip() + suffix


@service("cases.configure")
def new_instrument_version(actor, instrument: StarInstrument) -> StarInstrument:
    """A copy to change, for a star readings already use; the original stays as it was."""
    # A version of a version is named after the first star, not "(version 2) (version 2)",
    # and cut short where needed so the name fits.
    base = re.sub(r" \(version \d+\)$", "", instrument.name)
    n = 2
    while StarInstrument.objects.filter(name__iexact=_versioned(base, n)).exists():
        n += 1
    copy = StarInstrument.objects.create(
        name=_versioned(base, n), scale_min=instrument.scale_min,
        scale_max=instrument.scale_max, stages=instrument.stages,
        reassess_every_days=instrument.reassess_every_days,
        licensed_text_loaded=instrument.licensed_text_loaded, previous=instrument)
    for area in instrument.areas.all():
        StarArea.objects.create(instrument=copy, position=area.position, name=area.name,
                                descriptors=area.descriptors,
                                stage_descriptors=area.stage_descriptors)
    audit.record("cases.star.versioned", actor=actor, obj=copy,
                 detail={"previous": instrument.pk})
    return copy


@service("cases.configure")
def activate_instrument(actor, instrument: StarInstrument) -> StarInstrument:
    """New readings use this star from now on; past readings keep the one they were made with."""
    if not instrument.areas.exists():
        raise ValidationError({None: _("A star needs at least one area before it is used")})
    previous = star.active_instrument()
    StarInstrument.objects.exclude(pk=instrument.pk).filter(active=True).update(active=False)
    instrument.active = True
    instrument.save(update_fields=["active"])
    audit.record("cases.star.activated", actor=actor, obj=instrument,
                 detail={"previous": previous.pk})
    return instrument


STAGE_DESCRIPTOR_MAX = 500


@service("cases.configure")
def set_stage_descriptors(actor, instrument: StarInstrument, descriptors: dict):
    """Our own text for each stage of each area: `descriptors` maps area pk to
    {stage name: text}; empty text removes it."""
    stages = [st["name"] for st in instrument.stages]
    changed, errors = {}, {}
    for area in instrument.areas.all():
        given = descriptors.get(area.pk, {})
        new = {st: given[st].strip() for st in stages if (given.get(st) or "").strip()}
        for j, stage in enumerate(stages):
            # Keyed to the page's box for this area and stage.
            if len(new.get(stage, "")) > STAGE_DESCRIPTOR_MAX:
                errors[f"d_{area.pk}_{j}"] = _("Keep this to %(most)s characters or fewer") % {
                    "most": STAGE_DESCRIPTOR_MAX}
        if errors:
            continue
        if new != area.stage_descriptors:
            changed[area.name] = {"before": area.stage_descriptors, "after": new}
            area.stage_descriptors = new
            area.save(update_fields=["stage_descriptors"])
    if errors:
        raise ValidationError(errors)
    if changed:
        audit.record("cases.star.descriptors_changed", actor=actor, obj=instrument,
                     detail={"areas": changed})
    return len(changed)


@service("cases.configure")
def upload_descriptors(actor, instrument: StarInstrument, *, filename: str, content: bytes):
    """A licensee's descriptors from an uploaded CSV, through the same all-or-nothing loader
    as the command line; raises ImportFailed naming the line and field of each problem."""
    # Keep the name people know the file by (errors name it), but never a path they chose.
    safe = Path(filename or "").name
    if safe in ("", ".", "..") or not safe.isprintable():
        safe = "descriptors.csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / safe
        path.write_bytes(content)
        count = star.load_descriptors(path, instrument)
    audit.record("cases.star.descriptors_loaded", actor=actor, obj=instrument,
                 detail={"file": safe, "descriptors": count})
    return count
