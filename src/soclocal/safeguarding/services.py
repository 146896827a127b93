"""Every write: indicator definitions, partner uploads, NRM referrals and their decisions."""

import shutil
import tempfile
from datetime import timedelta
from functools import wraps
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from soclocal.core import audit
from soclocal.core.access import service

from . import calendar
from .imports import import_indicators
from .models import (
    COUNTY_LINES_INDICATORS,
    AgencyInvolvement,
    Indicator,
    MaceAction,
    MaceHearing,
    MaceReferral,
    MaceSettings,
    MapLink,
    MapNode,
    NrmReferral,
    PanelMeeting,
    PeerGroupMap,
    Place,
    PlaceLink,
    Sighting,
    VulnerableAdult,
)

INDICATOR_FIELDS = ("code", "name", "kind", "owner_agency", "source", "detail", "counts",
                    "suppression_threshold", "weight")


@service("safeguarding.configure")
def save_indicator(actor, indicator: Indicator | None = None, **fields) -> Indicator:
    indicator = indicator or Indicator()
    for name in INDICATOR_FIELDS:
        if name in fields:
            setattr(indicator, name, fields[name])
    if isinstance(indicator.name, str):
        indicator.name = indicator.name.strip()
    _check_definition(indicator)
    _check_system(indicator)
    clash = Indicator.objects.filter(code=indicator.code).exclude(pk=indicator.pk)
    if clash.exists():
        raise ValidationError({"code": _("There is already an indicator called "
                                         "'%(code)s'.") % {"code": indicator.code}})
    created = indicator.pk is None
    indicator.save()
    audit.record("safeguarding.indicator." + ("defined" if created else "changed"),
                 actor=actor, obj=indicator, detail={"weight": indicator.weight,
                                                     "threshold": indicator.suppression_threshold})
    return indicator


def _check_definition(indicator):
    """What the form checks, for every caller: a slug code, a name, a kind offered, a whole
    threshold of 1 or more and a weight that is a number (NaN is kept as NULL by SQLite, so it
    would stop at the database)."""
    import math

    errors = {}
    try:
        # Converts what was typed ("7") as the form does; the clash of codes is checked after.
        indicator.full_clean(validate_unique=False)
    except ValidationError as e:
        errors.update(e.message_dict)
    if "suppression_threshold" not in errors and indicator.suppression_threshold < 1:
        errors["suppression_threshold"] = [_("The threshold must be 1 or more.")]
    if "weight" not in errors and not math.isfinite(indicator.weight):
        errors["weight"] = [_("Enter the weight as a number, for example 1 or 0.5.")]
    if errors:
        raise ValidationError(errors)


def _check_system(indicator):
    from soclocal.crime.store import CRIME_TYPES

    from .system import DOMAINS

    detail = indicator.detail.strip()
    if indicator.kind == Indicator.Kind.CRIME and detail and detail not in CRIME_TYPES:
        raise ValidationError({"detail": _("'%(detail)s' is not a police.uk crime type; "
                                           "leave it blank for every type.") % {"detail": detail}})
    if indicator.kind == Indicator.Kind.DEPRIVATION_DOMAIN and detail.lower() not in DOMAINS:
        raise ValidationError({"detail": "Name a deprivation domain: " + ", ".join(DOMAINS)
                                         + "."})
    if indicator.pk and indicator.kind != Indicator.Kind.UPLOADED \
            and indicator.values.exists():
        raise ValidationError({"kind": _("Figures have been uploaded for this indicator, so it "
                                       "stays an uploaded one.")})


@service("safeguarding.configure")
def upload_indicators(actor, name: str, data) -> object:
    """Import an uploaded file under its own name (so problems name it), all or nothing."""
    folder = Path(tempfile.mkdtemp(prefix="soclocal-indicators-"))
    try:
        path = folder / Path(name).name
        with open(path, "wb") as out:
            for chunk in (data.chunks() if hasattr(data, "chunks") else [data]):
                out.write(chunk)
        return import_indicators(path, actor=actor)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _due(referral_date, jurisdiction):
    try:
        return calendar.reasonable_grounds_due(referral_date, jurisdiction)
    except calendar.OutsideKnownYears as e:
        raise ValidationError({"referral_date": _("The deadline cannot be worked out: %(reason)s.")
                              % {"reason": e}}) \
            from None


def _check_referral(referral):
    """What the referral form checks, for every caller, each beside its box: a reference, a
    date, and the jurisdiction, exploitation type and age band from those offered."""
    from datetime import date

    R = NrmReferral
    errors = {}
    if isinstance(referral.reference, str):
        referral.reference = referral.reference.strip()
    if not referral.reference:
        errors["reference"] = _("Enter the referral's NRM or case reference.")
    for name, offered, message in (
            ("jurisdiction", R.Jurisdiction.values, _("Choose where the referral is made.")),
            ("exploitation_type", R.Exploitation.values, _("Choose the kind of exploitation.")),
            ("age_band", R.AgeBand.values, _("Choose the person's age band."))):
        if getattr(referral, name) not in offered:
            errors[name] = message
    if not isinstance(referral.referral_date, date):
        errors["referral_date"] = _("Enter the date of the referral.")
    if errors:
        raise ValidationError(errors)


@service("nrm.record")
def record_referral(actor, **fields) -> NrmReferral:
    referral = NrmReferral(**fields)
    if actor is not None:
        referral.first_responder_agency = actor.agency
        referral.owning_team = referral.owning_team or actor.team
        referral.owner = referral.owner or actor
    _check_referral(referral)
    referral.reasonable_grounds_due = _due(referral.referral_date, referral.jurisdiction)
    referral.save()
    audit.record("nrm.referral.recorded", actor=actor, obj=referral,
                 detail={"due": referral.reasonable_grounds_due.isoformat()})
    return referral


@service("nrm.record")
def record_decisions(actor, referral: NrmReferral, *, reasonable_grounds,
                     reasonable_grounds_date=None, conclusive_grounds=NrmReferral.Decision.PENDING,
                     conclusive_grounds_date=None, support_offered="") -> NrmReferral:
    D = NrmReferral.Decision
    errors = {}
    for name, value in (("reasonable_grounds", reasonable_grounds),
                        ("conclusive_grounds", conclusive_grounds)):
        if value not in D.values:
            errors[name] = _("Choose a decision, or waiting for a decision.")
    if errors:
        raise ValidationError(errors)
    if reasonable_grounds != D.PENDING and not reasonable_grounds_date:
        errors["reasonable_grounds_date"] = "Enter the date of the reasonable-grounds decision."
    if conclusive_grounds != D.PENDING:
        if reasonable_grounds != D.POSITIVE:
            errors["conclusive_grounds"] = ("A conclusive-grounds decision follows a positive "
                                            "reasonable-grounds decision.")
        if not conclusive_grounds_date:
            errors["conclusive_grounds_date"] = "Enter the date of the conclusive-grounds decision."
    for name, value in (("reasonable_grounds_date", reasonable_grounds_date),
                        ("conclusive_grounds_date", conclusive_grounds_date)):
        if value and value < referral.referral_date:
            errors[name] = "A decision cannot come before the referral."
    if conclusive_grounds_date and reasonable_grounds_date and \
            conclusive_grounds_date < reasonable_grounds_date and \
            "conclusive_grounds_date" not in errors:
        errors["conclusive_grounds_date"] = ("The conclusive-grounds decision cannot come before "
                                             "the reasonable-grounds decision.")
    if errors:
        raise ValidationError(errors)
    referral.reasonable_grounds = reasonable_grounds
    referral.reasonable_grounds_date = reasonable_grounds_date
    referral.conclusive_grounds = conclusive_grounds
    referral.conclusive_grounds_date = conclusive_grounds_date
    referral.support_offered = support_offered
    referral.save()
    audit.record("nrm.referral.decisions", actor=actor, obj=referral,
                 detail={"reasonable_grounds": reasonable_grounds,
                         "conclusive_grounds": conclusive_grounds})
    return referral


# Places of concern, what is seen there, and what is linked to them --------------------------

def _indicator_code(code):
    from soclocal.cases import selectors as cases

    if code not in cases.indicator_labels():
        raise ValidationError({"indicator": _("Choose an indicator from the list.")})
    return code


@service("places.record")
def record_place(actor, *, name, kind, area=None, description="") -> Place:
    if not name.strip():
        raise ValidationError({"name": _("Enter the place's name.")})
    if kind not in Place.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of place it is.")})
    place = Place.objects.create(name=name.strip(), kind=kind, area=area,
                                 description=description,
                                 owning_agency=actor.agency if actor else _system_agency(),
                                 created_by=actor)
    audit.record("safeguarding.place.recorded", actor=actor, obj=place,
                 detail={"kind": kind, "area": area.code if area else ""})
    return place


def _system_agency():
    from soclocal.accounts.models import Agency

    return Agency.objects.order_by("pk").first()


@service("places.record")
def record_sighting(actor, *, indicator, seen_on, place=None, case=None, note="",
                    today=None) -> Sighting:
    """An indicator seen at a place, for a case, or both. A case must be one the person
    records on (the caller resolves it through cases' selectors)."""
    from django.utils import timezone

    _indicator_code(indicator)
    if place is None and case is None:
        raise ValidationError(_("Say where the indicator was seen, whose case it is, or both."))
    if seen_on > (today or timezone.localdate()):
        raise ValidationError({"seen_on": _("The date cannot be in the future.")})
    sighting = Sighting.objects.create(
        place=place, case=case, indicator=indicator, seen_on=seen_on, note=note,
        recorded_by=actor,
        recording_agency=actor.agency if actor else (case.owning_agency if case else
                                                     place.owning_agency))
    audit.record("safeguarding.sighting.recorded", actor=actor, obj=sighting,
                 detail={"indicator": indicator, "place": place.pk if place else None,
                         "case": case.pk if case else None})
    return sighting


@service("places.record")
def link_to_place(actor, place: Place, *, case=None, report=None) -> PlaceLink:
    """Link a case or an intelligence report (already resolved within the person's reach)."""
    if (case is None) == (report is None):
        raise ValidationError(_("Link either a case or an intelligence report."))
    existing = PlaceLink.objects.filter(place=place, case=case, report=report).first()
    if existing:
        raise ValidationError(_("That is already linked to this place."))
    link = PlaceLink.objects.create(place=place, case=case, report=report, linked_by=actor)
    audit.record("safeguarding.place.linked", actor=actor, obj=place,
                 detail={"case": case.pk if case else None,
                         "report": report.reference if report else None})
    return link


# Adults at risk of cuckooing ---------------------------------------------------------------

@service("cuckooing.record")
def record_adult(actor, *, first_name, last_name, date_of_birth=None, home=None,
                 vulnerabilities="", risk=VulnerableAdult.Risk.MEDIUM, agency=None,
                 team=None) -> VulnerableAdult:
    errors = {}
    if not first_name.strip():
        errors["first_name"] = "Enter their first name."
    if not last_name.strip():
        errors["last_name"] = "Enter their last name."
    if home is not None and home.kind != Place.Kind.ADDRESS:
        errors["home"] = "Their home must be a place of concern that is an address."
    if risk not in VulnerableAdult.Risk.values:
        errors["risk"] = "Choose the risk of cuckooing."
    if errors:
        raise ValidationError(errors)
    adult = VulnerableAdult.objects.create(
        first_name=first_name.strip(), last_name=last_name.strip(), date_of_birth=date_of_birth,
        home=home, vulnerabilities=vulnerabilities, risk=risk,
        owning_agency=actor.agency if actor else agency,
        owning_team=actor.team if actor else team, owner=actor)
    AgencyInvolvement.objects.create(adult=adult, agency=adult.owning_agency,
                                     role="Recorded the risk")
    audit.record("safeguarding.adult.recorded", actor=actor, obj=adult, detail={"risk": risk})
    return adult


@service("cuckooing.record")
def add_involvement(actor, adult: VulnerableAdult, *, agency, role, contact=""):
    errors = {}
    if agency is None:
        errors["agency"] = _("Choose the agency.")
    if not (role or "").strip():
        errors["role"] = _("Say what the agency does for them.")
    if errors:
        raise ValidationError(errors)
    if AgencyInvolvement.objects.filter(adult=adult, agency=agency).exists():
        raise ValidationError({"agency": _("%(agency)s is already recorded as involved.")
                              % {"agency": agency.name}})
    involvement = AgencyInvolvement.objects.create(adult=adult, agency=agency,
                                                   role=role.strip(),
                                                   contact=(contact or "").strip())
    audit.record("safeguarding.adult.agency_added", actor=actor, obj=adult,
                 detail={"agency": agency.name})
    return involvement


# Peer-group maps and MACE panels (decision 0040) ---------------------------------------------

LOCAL_AUTHORITY_KINDS = ("childrens_services", "youth_justice", "community_safety")


def _reaches(actor, capability, obj) -> None:
    """Refuse (audited) a write to a map or panel record the actor may not reach."""
    from soclocal.core.access import scope

    if actor is None:
        return
    if not scope(actor, capability, type(obj).objects.all()).filter(pk=obj.pk).exists():
        audit.record("access.denied", actor=actor, obj=obj, detail={"capability": capability})
        raise PermissionDenied


def _member(actor, meeting) -> None:
    """Only the panel's co-chairs and members record what the panel does."""
    if actor is not None and not meeting.is_member(actor):
        audit.record("access.denied", actor=actor, obj=meeting,
                     detail={"capability": "mace.manage", "reason": "not a panel member"})
        raise PermissionDenied


def _guarded(capability, check):
    """Like @service, with a check on the record (the first argument after the actor) made
    before the transaction, so an audited refusal is never rolled back."""

    def decorator(fn):
        inner = service(capability)(fn)

        @wraps(fn)
        def wrapped(actor, record, *args, **kwargs):
            from soclocal.core.access import can

            if actor is not None and can(actor, capability):
                check(actor, record)
            return inner(actor, record, *args, **kwargs)

        return wrapped

    return decorator


def _on_panel(get_meeting):
    return lambda actor, record: _member(actor, get_meeting(record))


def _on_map(actor, peer_map):
    _reaches(actor, "peermap.view", peer_map)


def review_weeks() -> int:
    held = MaceSettings.objects.first()
    return held.review_weeks if held else 12


def review_due_for(held_on, weeks: int | None = None):
    """The date a child heard at a panel on `held_on` is reviewed: the partnership's number of
    weeks later (12 unless it is changed)."""
    return held_on + timedelta(weeks=review_weeks() if weeks is None else weeks)


@service("mace.configure")
def set_review_weeks(actor, weeks: int) -> MaceSettings:
    if not weeks or weeks < 1 or weeks > 52:
        raise ValidationError({"review_weeks": _("Enter a number of weeks from 1 to 52.")})
    held = MaceSettings.objects.first() or MaceSettings()
    before = held.review_weeks if held.pk else None
    held.review_weeks = weeks
    held.save()
    audit.record("mace.settings.changed", actor=actor, obj=held,
                 detail={"review_weeks": weeks, "was": before})
    return held


@service("mace.refer")
def refer_to_mace(actor, case, *, indicators, evidence, concerns, strengths="") -> MaceReferral:
    """Refer a case the actor may reach to the MACE panel, with each county-lines indicator
    ticked and what was seen."""
    from soclocal.cases import selectors as cases

    if actor is not None and not cases.cases_for(actor, "cases.refer").filter(pk=case.pk).exists():
        audit.record("access.denied", actor=actor, object_type="cases.case",
                     object_id=str(case.pk), detail={"capability": "mace.refer"})
        raise PermissionDenied
    known = dict(COUNTY_LINES_INDICATORS)
    indicators = [c for c in indicators if c]
    evidence = {c: (evidence.get(c) or "").strip() for c in indicators}
    errors = {}
    unknown = [c for c in indicators if c not in known]
    if unknown:
        errors["indicators"] = f"Unknown indicator: {', '.join(unknown)}."
    elif not indicators:
        errors["indicators"] = "Tick at least one county-lines indicator you have seen."
    for c in indicators:
        # Keyed to the referral form's box for that indicator, beside what was (not) typed.
        if c in known and not evidence[c]:
            errors[f"evidence_{c}"] = f"Say what was seen: {known[c].lower()}."
    if not (concerns or "").strip():
        errors["concerns"] = "Say what worries you about the child's safety."
    if errors:
        raise ValidationError(errors)
    referral = MaceReferral.objects.create(
        case_id=case.pk, case_reference=f"Case {case.pk}", case_owner=case.practitioner,
        referred_by=actor, referring_agency=actor.agency, indicators=indicators,
        evidence=evidence, concerns=concerns.strip(), strengths=(strengths or "").strip())
    audit.record("mace.referral.made", actor=actor, obj=referral, purpose="MACE referral",
                 detail={"case": case.pk, "indicators": indicators})
    return referral


@service("mace.manage")
def schedule_panel(actor, *, held_on, police_chair, local_authority_chair, members=(),
                   location="") -> PanelMeeting:
    errors = {}
    if not held_on:
        errors["held_on"] = "Enter the date of the panel."
    if police_chair is None or police_chair.agency.kind != "police":
        errors["police_chair"] = "The police co-chair must work for a police force."
    if local_authority_chair is None or \
            local_authority_chair.agency.kind not in LOCAL_AUTHORITY_KINDS:
        errors["local_authority_chair"] = ("The local-authority co-chair must work for "
                                           "children's services, youth justice or community "
                                           "safety.")
    if errors:
        raise ValidationError(errors)
    meeting = PanelMeeting.objects.create(
        held_on=held_on, location=(location or "").strip(), police_chair=police_chair,
        local_authority_chair=local_authority_chair, created_by=actor)
    chosen = set(members)
    if actor is not None:
        chosen.add(actor)  # whoever runs the panel needs to reach its agenda
    meeting.members.set(chosen)
    audit.record("mace.panel.scheduled", actor=actor, obj=meeting,
                 detail={"held_on": held_on.isoformat(), "members": sorted(u.pk for u in chosen),
                         "police_chair": police_chair.pk,
                         "local_authority_chair": local_authority_chair.pk})
    return meeting


@_guarded("mace.manage", _on_panel(lambda meeting: meeting))
def list_child(actor, meeting: PanelMeeting, referral: MaceReferral,
               review_of: MaceHearing | None = None) -> MaceHearing:
    """Put a referred child on a panel's agenda, as a first hearing or as a review."""
    if review_of is not None:
        if review_of.referral_id != referral.pk:
            raise ValidationError({"referral": _("A review is of the same child's referral.")})
        if review_of.outcome != MaceHearing.Outcome.REVIEW:
            raise ValidationError({"referral": _("Only a hearing the panel kept for review is "
                                                 "reviewed.")})
        if review_of.reviews.exists():
            raise ValidationError({"referral": _("That hearing has already been reviewed.")})
    elif referral.status != MaceReferral.Status.WAITING:
        raise ValidationError({"referral": _("That referral is not waiting for a panel.")})
    if meeting.hearings.filter(referral=referral).exists():
        raise ValidationError({"referral": _("That child is already on this panel's agenda.")})
    hearing = MaceHearing.objects.create(
        meeting=meeting, referral=referral, review_of=review_of,
        position=meeting.hearings.count() + 1)
    referral.status = MaceReferral.Status.LISTED
    referral.save(update_fields=["status"])
    audit.record("mace.hearing.listed", actor=actor, obj=hearing,
                 detail={"meeting": meeting.pk, "referral": referral.pk,
                         "review_of": review_of.pk if review_of else None})
    return hearing


@_guarded("mace.manage", _on_panel(lambda hearing: hearing.meeting))
def record_hearing(actor, hearing: MaceHearing, *, presentation, risk_tier, minutes, outcome,
                   outcome_notes="", review_due=None) -> MaceHearing:
    """The panel's record of one child: presentation, risk tier, minutes, outcome; a child kept
    at the panel is reviewed `review_weeks` after it unless the panel sets another date."""
    Out = MaceHearing.Outcome
    errors = {}
    if risk_tier not in MaceHearing.Tier.values:
        errors["risk_tier"] = "Choose the risk tier the panel agreed."
    if outcome not in (Out.REVIEW, Out.STEP_DOWN):
        errors["outcome"] = "Choose what happens next."
    if not (minutes or "").strip():
        errors["minutes"] = "Write the minutes of the discussion of this child."
    held_on = hearing.meeting.held_on
    if outcome == Out.REVIEW and review_due is not None and review_due <= held_on:
        errors["review_due"] = "The review must come after the panel."
    if errors:
        raise ValidationError(errors)
    hearing.presentation = (presentation or "").strip()
    hearing.risk_tier = risk_tier
    hearing.minutes = minutes.strip()
    hearing.outcome = outcome
    hearing.outcome_notes = (outcome_notes or "").strip()
    hearing.review_due = (review_due or review_due_for(held_on)) if outcome == Out.REVIEW else None
    hearing.recorded_at = timezone.now()
    hearing.save()
    audit.record("mace.hearing.recorded", actor=actor, obj=hearing,
                 detail={"risk_tier": risk_tier, "outcome": outcome,
                         "review_due": hearing.review_due.isoformat() if hearing.review_due
                         else None})
    return hearing


@_guarded("mace.manage", _on_panel(lambda hearing: hearing.meeting))
def add_mace_action(actor, hearing: MaceHearing, *, kind, description, owning_agency,
                    due_on) -> MaceAction:
    errors = {}
    if kind not in MaceAction.Kind.values:
        errors["kind"] = "Choose whether the action protects the child or disrupts exploiters."
    if not (description or "").strip():
        errors["description"] = "Say what will be done."
    if owning_agency is None:
        errors["owning_agency"] = "Choose the agency that will do it."
    if not due_on:
        errors["due_on"] = "Enter the date it is due."
    if errors:
        raise ValidationError(errors)
    action = MaceAction.objects.create(hearing=hearing, kind=kind,
                                       description=description.strip(),
                                       owning_agency=owning_agency, due_on=due_on)
    audit.record("mace.action.agreed", actor=actor, obj=action,
                 detail={"hearing": hearing.pk, "kind": kind, "agency": owning_agency.pk})
    return action


@_guarded("mace.manage", _on_panel(lambda action: action.hearing.meeting))
def raise_disruption(actor, action: MaceAction, *, as_: str, plan=None, strand: str = ""):
    """Turn an action to disrupt the exploiters into an intelligence requirement (for the force
    to task the owning agency) or an action on a response plan. The other context's own service
    checks that the actor may do that; the new record says it came from the panel."""
    from soclocal.core import origins
    from soclocal.intelligence import services as intelligence
    from soclocal.responses import services as responses

    if action.kind != MaceAction.Kind.DISRUPT:
        raise ValidationError({None: _("Only an action to disrupt the exploiters can be raised.")})
    if origins.came_of(action).exists():
        raise ValidationError({None: _("This action has already been raised.")})
    label = f"MACE disruption action ({action.hearing.meeting})"
    if as_ == "requirement":
        made = intelligence.set_requirement(
            actor, question=action.description, tasked_agency=action.owning_agency,
            due_on=max(action.due_on, timezone.localdate()),
            priority="Disrupting the exploitation of children (MACE)")
    elif as_ == "plan_action":
        if plan is None:
            raise ValidationError({"plan": _("Choose the response plan.")})
        made = responses.add_action(actor, plan, strand=strand, title=action.description[:200],
                                    owning_agency=action.owning_agency, due_date=action.due_on)
    else:
        raise ValidationError({None: _("Choose a requirement or a plan action.")})
    origins.link(actor, action, made, source_label=label)
    audit.record("mace.action.raised", actor=actor, obj=action,
                 detail={"as": as_, "record": made._meta.label_lower, "id": made.pk})
    return made


@service("peermap.edit")
def create_map(actor, *, title, summary="", members=(), panel=None) -> PeerGroupMap:
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the map a name (not a child's name).")})
    if panel is not None:
        _member(actor, panel)
    peer_map = PeerGroupMap.objects.create(title=title.strip(), summary=(summary or "").strip(),
                                           owning_agency=actor.agency, created_by=actor,
                                           panel=panel)
    peer_map.members.set(set(members) | {actor})
    audit.record("peermap.created", actor=actor, obj=peer_map,
                 detail={"members": sorted(u.pk for u in peer_map.members.all()),
                         "panel": panel.pk if panel else None})
    return peer_map


@_guarded("peermap.edit", _on_map)
def add_node(actor, peer_map: PeerGroupMap, *, kind, label, case=None, risk="",
             notes="") -> MapNode:
    """Someone or somewhere on the map. A child may be tied to their case, which lets the
    case's owner see the map."""
    errors = {}
    if kind not in MapNode.Kind.values:
        errors["kind"] = "Choose what this is."
    if not (label or "").strip():
        errors["label"] = "Give a name, an initial or a description."
    if case is not None and kind != MapNode.Kind.CHILD:
        errors["case"] = "Only a child is tied to a case."
    if risk not in MapNode.Risk.values:
        errors["risk"] = "Choose the assessed risk."
    if errors:
        raise ValidationError(errors)
    node = MapNode.objects.create(
        map=peer_map, kind=kind, label=label.strip(), risk=risk, notes=(notes or "").strip(),
        case_id=case.pk if case else None, case_owner=case.practitioner if case else None)
    peer_map.save(update_fields=["updated_at"])
    audit.record("peermap.node.added", actor=actor, obj=peer_map,
                 detail={"node": node.pk, "kind": kind, "case": node.case_id})
    return node


@_guarded("peermap.edit", _on_map)
def add_link(actor, peer_map: PeerGroupMap, *, source, target, kind, reliability,
             source_of_information="", risks="", strengths="", action="",
             no_action_reason="") -> MapLink:
    """A link between two on the map. Every link leads to an action, or says why none."""
    errors = {}
    if source is None or source.map_id != peer_map.pk:
        errors["source"] = "Choose someone or somewhere on this map."
    if target is None or target.map_id != peer_map.pk:
        errors["target"] = "Choose someone or somewhere on this map."
    elif source is not None and source.pk == target.pk:
        errors["target"] = "A link joins two different people or places."
    if kind not in MapLink.Kind.values:
        errors["kind"] = "Choose the kind of link."
    if reliability not in MapLink.Reliability.values:
        errors["reliability"] = "Say how reliable the source is."
    action, no_action_reason = (action or "").strip(), (no_action_reason or "").strip()
    if not action and not no_action_reason:
        errors["action"] = "Every link needs an action, or a reason why there is none."
    elif action and no_action_reason:
        # Neither is dropped unseen: the person says which holds.
        errors["no_action_reason"] = ("Give an action or a reason why there is none, not both.")
    if errors:
        raise ValidationError(errors)
    link = MapLink.objects.create(
        map=peer_map, source=source, target=target, kind=kind, reliability=reliability,
        source_of_information=(source_of_information or "").strip(),
        risks=(risks or "").strip(), strengths=(strengths or "").strip(), action=action,
        no_action_reason=no_action_reason)
    peer_map.save(update_fields=["updated_at"])
    audit.record("peermap.link.added", actor=actor, obj=peer_map,
                 detail={"link": link.pk, "kind": kind, "reliability": reliability,
                         "action": bool(action)})
    return link
