"""Every write: indicator definitions, partner uploads, NRM referrals and their decisions."""

import shutil
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError

from soclocal.core import audit
from soclocal.core.access import service

from . import calendar
from .imports import import_indicators
from .models import Indicator, NrmReferral

INDICATOR_FIELDS = ("code", "name", "kind", "owner_agency", "source", "counts",
                    "suppression_threshold", "weight")


@service("safeguarding.configure")
def save_indicator(actor, indicator: Indicator | None = None, **fields) -> Indicator:
    indicator = indicator or Indicator()
    for name in INDICATOR_FIELDS:
        if name in fields:
            setattr(indicator, name, fields[name])
    if indicator.suppression_threshold < 1:
        raise ValidationError({"suppression_threshold": "The threshold must be 1 or more."})
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
