"""Every write: indicator definitions, partner uploads, NRM referrals and their decisions."""

import shutil
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError

from soclocal.core import audit
from soclocal.core.access import service

from . import calendar
from .imports import import_indicators
from .models import (
    AgencyInvolvement,
    Indicator,
    NrmReferral,
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
    if indicator.suppression_threshold < 1:
        raise ValidationError({"suppression_threshold": "The threshold must be 1 or more."})
    _check_system(indicator)
    clash = Indicator.objects.filter(code=indicator.code).exclude(pk=indicator.pk)
    if clash.exists():
        raise ValidationError({"code": f"There is already an indicator called "
                                       f"'{indicator.code}'."})
    created = indicator.pk is None
    indicator.save()
    audit.record("safeguarding.indicator." + ("defined" if created else "changed"),
                 actor=actor, obj=indicator, detail={"weight": indicator.weight,
                                                     "threshold": indicator.suppression_threshold})
    return indicator


def _check_system(indicator):
    from soclocal.crime.store import CRIME_TYPES

    from .system import DOMAINS

    detail = indicator.detail.strip()
    if indicator.kind == Indicator.Kind.CRIME and detail and detail not in CRIME_TYPES:
        raise ValidationError({"detail": f"'{detail}' is not a police.uk crime type; leave it "
                                         "blank for every type."})
    if indicator.kind == Indicator.Kind.DEPRIVATION_DOMAIN and detail.lower() not in DOMAINS:
        raise ValidationError({"detail": "Name a deprivation domain: " + ", ".join(DOMAINS)
                                         + "."})
    if indicator.pk and indicator.kind != Indicator.Kind.UPLOADED \
            and indicator.values.exists():
        raise ValidationError({"kind": "Figures have been uploaded for this indicator, so it "
                                       "stays an uploaded one."})


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
        raise ValidationError({"referral_date": f"The deadline cannot be worked out: {e}."}) \
            from None


@service("nrm.record")
def record_referral(actor, **fields) -> NrmReferral:
    referral = NrmReferral(**fields)
    if actor is not None:
        referral.first_responder_agency = actor.agency
        referral.owning_team = referral.owning_team or actor.team
        referral.owner = referral.owner or actor
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
        raise ValidationError({"indicator": "Choose an indicator from the list."})
    return code


@service("places.record")
def record_place(actor, *, name, kind, area=None, description="") -> Place:
    if not name.strip():
        raise ValidationError({"name": "Enter the place's name."})
    if kind not in Place.Kind.values:
        raise ValidationError({"kind": "Choose what kind of place it is."})
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
        raise ValidationError("Say where the indicator was seen, whose case it is, or both.")
    if seen_on > (today or timezone.localdate()):
        raise ValidationError({"seen_on": "The date cannot be in the future."})
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
        raise ValidationError("Link either a case or an intelligence report.")
    existing = PlaceLink.objects.filter(place=place, case=case, report=report).first()
    if existing:
        raise ValidationError("That is already linked to this place.")
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
    if not role.strip():
        raise ValidationError({"role": "Say what the agency does for them."})
    if AgencyInvolvement.objects.filter(adult=adult, agency=agency).exists():
        raise ValidationError({"agency": f"{agency.name} is already recorded as involved."})
    involvement = AgencyInvolvement.objects.create(adult=adult, agency=agency,
                                                   role=role.strip(), contact=contact)
    audit.record("safeguarding.adult.agency_added", actor=actor, obj=adult,
                 detail={"agency": agency.name})
    return involvement
