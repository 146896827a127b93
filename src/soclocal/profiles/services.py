"""Every write in profiles: build and save a profile, edit its texts, set harm weights."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from soclocal.core import audit
from soclocal.core.access import service
from soclocal.crime.store import CRIME_TYPES

from . import analytics, report
from .models import HarmWeight, ProfileVersion, SocFraction
from .selectors import current_fractions, current_weights, weighted_type_names


def field_name(crime_type):
    """The name of a crime type's box on the harm weight and SOC fraction forms."""
    return "w_" + "".join(c if c.isalnum() else "_" for c in crime_type.lower())


def _decimal(value):
    """A finite number from a box or a caller, or None: NaN and infinity are not numbers of
    days or per cent."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def validate_period(month_from: str, month_to: str):
    for month in (month_from, month_to):
        if not analytics.valid_month(month):
            raise ValidationError({"month_from" if month == month_from else "month_to":
                                   _("Enter a month as YYYY-MM, like 2024-12 (not "
                                     "'%(month)s').") % {"month": month}})
    if month_from > month_to:
        raise ValidationError({"month_to": _("The last month must be the same as or after the "
                                             "first month.")})
    if len(analytics.months_between(month_from, month_to)) > 60:
        raise ValidationError({"month_to": _("A profile covers at most 60 months.")})


@service("profiles.edit")
def build_profile(actor, area, month_from: str, month_to: str, *, progress=None, con=None):
    """Compute a profile and save it as a new version."""
    validate_period(month_from, month_to)
    weights = current_weights()
    figures = analytics.compute_profile(area, month_from, month_to, weights=weights,
                                        fractions=current_fractions(), progress=progress,
                                        con=con)
    version = _save(actor, area, month_from, month_to, figures, weights,
                    report.default_texts(figures), previous=None)
    audit.record("profile.built", actor=actor, obj=version,
                 detail={"area": area.code, "from": month_from, "to": month_to,
                         "version": version.version})
    return version


def _save(actor, area, month_from, month_to, figures, weights, texts, previous):
    latest = ProfileVersion.objects.filter(area=area, month_from=month_from,
                                           month_to=month_to).aggregate(n=Max("version"))["n"]
    return ProfileVersion.objects.create(
        area=area, month_from=month_from, month_to=month_to, version=(latest or 0) + 1,
        previous=previous, built_by=actor, weights=weights, source=figures["source"],
        texts=texts, figures=figures)


def run_build(actor, progress=None, *, area_id, month_from, month_to):
    """The background job that builds a profile."""
    from soclocal.areas.models import Area

    version = build_profile(actor, Area.objects.get(pk=area_id), month_from, month_to,
                            progress=progress)
    return {"url": reverse("profiles:profile", args=[version.pk]), "profile": version.pk}


# The longest text a profile section takes, as its box on the edit form.
TEXT_LIMIT = 20000


@service("profiles.edit")
def edit_texts(actor, version: ProfileVersion, texts: dict) -> ProfileVersion:
    """Save edited texts as a new version with the same figures."""
    unknown = set(texts) - set(report.SECTION_LABELS)
    if unknown:
        raise ValidationError(_("Unknown sections: %(keys)s.")
                              % {"keys": ", ".join(sorted(unknown))})
    # The texts live in a JSON column, so no column length guards them: the form's limit is
    # checked here for callers other than the form.
    errors = {}
    for key, value in texts.items():
        if value is not None and not isinstance(value, str):
            errors[key] = _("Enter the %(section)s as text.") % {
                "section": report.section_label(key).lower()}
        elif len((value or "").strip()) > TEXT_LIMIT:
            errors[key] = _("%(section)s must be %(limit)s characters or fewer.") % {
                "section": report.section_label(key), "limit": f"{TEXT_LIMIT:,}"}
    if errors:
        raise ValidationError(errors)
    merged = {**version.texts, **{k: (v or "").strip() for k, v in texts.items()}}
    new = _save(actor, version.area, version.month_from, version.month_to, version.figures,
                version.weights, merged, previous=version)
    new.built_at = version.built_at
    ProfileVersion.objects.filter(pk=new.pk).update(built_at=version.built_at)
    changed = sorted(k for k in texts if merged[k] != version.texts.get(k, ""))
    audit.record("profile.edited", actor=actor, obj=new,
                 detail={"from_version": version.version, "sections": changed})
    return new


@service("profiles.edit")
def save_harm_weights(actor, weights: dict):
    """Set the partnership's harm weight for each crime type (days, 0 or more)."""
    errors = {}
    clean = {}
    for crime_type in weighted_type_names():
        value = _decimal(weights.get(crime_type))
        if value is None:
            errors[field_name(crime_type)] = _("Enter a number of days for %(type)s.") % {
                "type": crime_type.lower()}
        elif not 0 <= value <= 100000:
            errors[field_name(crime_type)] = _("The weight for %(type)s must be 0 to "
                                               "100,000.") % {"type": crime_type.lower()}
        else:
            clean[crime_type] = value.quantize(Decimal("0.01"))
    if errors:
        raise ValidationError(errors)
    before = current_weights()
    for crime_type, value in clean.items():
        HarmWeight.objects.update_or_create(crime_type=crime_type,
                                            defaults={"weight": value, "updated_by": actor})
    changed = {t: [before[t], float(v)] for t, v in clean.items() if before[t] != float(v)}
    audit.record("profile.harm_weights_changed", actor=actor, object_type="profiles.harmweight",
                 detail={"changed": changed})


@service("profiles.edit")
def save_soc_fractions(actor, percentages: dict):
    """Set the partnership's SOC-attributable share of each crime type: {crime type: (low,
    central, high)} in per cent, 0 to 100, low <= central <= high."""
    errors, clean = {}, {}
    for crime_type in CRIME_TYPES:
        # Keyed to the row's low box on the form, where the row's message is shown.
        where = f"{field_name(crime_type)}_low"
        try:
            values = [_decimal(v) for v in percentages[crime_type]]
        except (KeyError, TypeError):
            values = [None]
        if None in values:
            errors[where] = _("Enter a low, central and high percentage for %(type)s.") % {
                "type": crime_type.lower()}
            continue
        if len(values) != 3 or any(v < 0 or v > 100 for v in values):
            errors[where] = _("The percentages for %(type)s must each be 0 to 100.") % {
                "type": crime_type.lower()}
        elif not values[0] <= values[1] <= values[2]:
            errors[where] = _("For %(type)s, the low percentage must be no more than the "
                              "central, and the central no more than the high.") % {
                "type": crime_type.lower()}
        else:
            clean[crime_type] = [(v / 100).quantize(Decimal("0.001")) for v in values]
    if errors:
        raise ValidationError(errors)
    before = current_fractions()
    for crime_type, (low, central, high) in clean.items():
        SocFraction.objects.update_or_create(crime_type=crime_type, defaults={
            "low": low, "central": central, "high": high, "updated_by": actor})
    changed = {t: [list(before[t]), [float(v) for v in new]] for t, new in clean.items()
               if list(before[t]) != [float(v) for v in new]}
    audit.record("profile.soc_fractions_changed", actor=actor, object_type="profiles.socfraction",
                 detail={"changed": changed})
