"""Every write about priorities: raising threats, assessing, the method, decisions."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from soclocal.core import audit, origins
from soclocal.core.access import service

from . import scoring
from .models import Assessment, Decision, ScoringMethod, Threat, ThreatLink


def profile_snapshot(version, crime_type: str) -> dict:
    """The figures a threat is raised on, read through the profiles app's selectors."""
    from soclocal.profiles import selectors as profiles

    doc = profiles.document(version, sharing=False)
    counts = doc.get("counts_by_crime_type", {})
    if crime_type not in counts:
        raise ValidationError({"crime_type": _('The profile has no crime type '
                                               '“%(crime_type)s”.') % {"crime_type": crime_type}})
    population = (doc.get("area") or {}).get("population") or 0
    harm = (doc.get("harm") or {}).get("by_crime_type", {}).get(crime_type)
    trend = next((r for r in (doc.get("trend") or {}).get("year_on_year", [])
                  if r.get("crime_type") == crime_type), {})
    names = {r["code"]: r["name"] for r in doc.get("lsoas", [])}
    hot = (doc.get("hotspots") or {}).get("hot", [])
    return {
        "profile_id": version.pk, "profile_version": version.version,
        "profile_title": version.title, "area": (doc.get("area") or {}).get("name", ""),
        "period": f"{version.month_from} to {version.month_to}", "crime_type": crime_type,
        "count": counts[crime_type], "rate": (doc.get("rates_per_1000") or {}).get(crime_type),
        "harm_per_1000": round(harm * 1000 / population, 2) if harm is not None and population
        else None,
        "trend": trend.get("flag") or "", "trend_change_pct": trend.get("change_pct"),
        "hotspots": [names.get(c, c) for c in hot][:10],
    }


@service("priorities.raise")
def raise_threat(actor, *, kind, title, evidence_text="", area=None, crime_type="",
                 police_only=False, profile=None, evidence=None) -> Threat:
    """`evidence` is kept beside the profile figures, such as a suspected group's counts."""
    errors = {}
    if kind not in Threat.Kind.values:
        errors["kind"] = "Choose what kind of threat it is."
    if not title.strip():
        errors["title"] = "Enter what the threat is."
    if errors:
        raise ValidationError(errors)
    if kind == Threat.Kind.PERSON:
        police_only = True  # a named person is never shared beyond the police
    snapshot = {}
    if profile is not None:
        snapshot = profile_snapshot(profile, crime_type)
        area = area or profile.area
    snapshot.update(evidence or {})
    threat = Threat.objects.create(
        kind=kind, title=title.strip(), area=area, crime_type=crime_type,
        police_only=police_only, evidence_snapshot=snapshot, evidence_text=evidence_text,
        owning_agency=actor.agency, raised_by=actor)
    if profile is not None:
        origins.link(actor, profile, threat,
                     source_label=f"{crime_type} in {profile.title} (version {profile.version})")
    audit.record("threat.raised", actor=actor, obj=threat,
                 detail={"kind": kind, "police_only": police_only,
                         "profile": profile.pk if profile else None})
    return threat


def validate_scores(scores: dict, method: dict) -> dict:
    top = len(method["scale"]) - 1
    clean, errors = {}, {}
    for key in scoring.KEYS:
        try:
            value = int(scores[key])
        except (KeyError, TypeError, ValueError):
            errors[key] = _('Choose a score for %(factor)s.') % {
                "factor": scoring.factor_label(key).lower()}
            continue
        if not 0 <= value <= top:
            errors[key] = _('%(factor)s must be between 0 and %(top)s.') % {
                "factor": scoring.factor_label(key), "top": top}
        clean[key] = value
    if errors:
        raise ValidationError(errors)
    return clean


@service("priorities.assess")
def assess(actor, threat: Threat, scores: dict, rationale: str = "") -> Assessment:
    from .selectors import current_method

    method = current_method()
    assessment = Assessment.objects.create(threat=threat, assessor=actor,
                                           scores=validate_scores(scores, method),
                                           rationale=rationale)
    result = scoring.score(assessment.scores, method)
    audit.record("threat.assessed", actor=actor, obj=threat,
                 detail={"assessment": assessment.pk, "scores": assessment.scores,
                         "score": result.value})
    return assessment


def _number(value):
    """A number from a box, or None for one that is empty or not a number."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def validate_method(settings: dict) -> dict:
    errors = {}
    scale = [s.strip() for s in settings.get("scale", []) if s.strip()]
    if not 3 <= len(scale) <= 11:
        errors["levels"] = _("Give between 3 and 11 levels, lowest first.")
    weights = {}
    for key in scoring.KEYS:
        try:
            weights[key] = float(settings["weights"][key])
        except (KeyError, TypeError, ValueError):
            errors[f"weight_{key}"] = _('Enter a weight for %(factor)s.') % {
                "factor": scoring.factor_label(key).lower()}
            continue
        if not 0 <= weights[key] <= 100:
            errors[f"weight_{key}"] = _("A weight must be between 0 and 100.")
    if settings.get("formula") not in dict(scoring.FORMULAS):
        errors["formula"] = "Choose how the scores combine."
    floor, uplift = _number(settings.get("confidence_floor")), \
        _number(settings.get("position_uplift"))
    if floor is None or not 0 <= floor <= 1:
        errors["confidence_floor"] = "The confidence floor must be between 0 and 1."
    if uplift is None or not 0 <= uplift <= 5:
        errors["position_uplift"] = "The position uplift must be between 0 and 5."
    bands = settings.get("bands") or {}
    high, medium = _number(bands.get("high")), _number(bands.get("medium"))
    if high is None or medium is None or not 0 <= medium <= high <= 100:
        errors["band_high"] = "Bands must run 0 ≤ medium ≤ high ≤ 100."
    if errors:
        raise ValidationError(errors)
    return {"scale": scale, "weights": weights, "formula": settings["formula"],
            "confidence_floor": float(floor), "position_uplift": float(uplift),
            "bands": {"high": float(high), "medium": float(medium)}}


@service("priorities.configure")
def save_method(actor, settings: dict) -> ScoringMethod:
    saved = ScoringMethod.objects.create(method=validate_method(settings), saved_by=actor)
    audit.record("priorities.method_saved", actor=actor, obj=saved, detail=saved.method)
    return saved


@service("priorities.decide")
def decide(actor, threat: Threat, *, outcome, reasons, owner, review_date,
           referred_to="") -> Decision:
    from django.utils import timezone

    errors = {}
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = "Choose the decision."
    if not reasons.strip():
        errors["reasons"] = "Give the reasons for the decision."
    if owner is None:
        errors["owner"] = "Choose who owns the decision and reviews it."
    if review_date is None:
        errors["review_date"] = "Enter the date the decision is reviewed."
    if outcome == Decision.Outcome.REFER and not referred_to.strip():
        errors["referred_to"] = _("Say who it is referred to.")
    if review_date and review_date < timezone.localdate():
        errors["review_date"] = _("The review date must be today or later.")
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(threat=threat, outcome=outcome, reasons=reasons.strip(),
                                       referred_to=referred_to.strip(), owner=owner,
                                       review_date=review_date, decided_by=actor)
    audit.record("threat.decided", actor=actor, obj=threat,
                 detail={"decision": decision.pk, "outcome": outcome, "owner": owner.pk,
                         "review_date": review_date.isoformat(), "referred_to": referred_to})
    return decision


# Evidence linked to a threat: intelligence reports and cases, found through their own apps'
# selectors, so the person linking must be able to open the record.

@service("priorities.raise")
def link_evidence(actor, threat: Threat, *, kind, reference) -> ThreatLink:
    from soclocal.core.access import can

    if kind == ThreatLink.Kind.INTELLIGENCE:
        from soclocal.intelligence import selectors as intelligence

        found = intelligence.find_report(actor, reference) if can(actor, "intel.assess") \
            else None
        if found is None:
            raise ValidationError({"reference": _('No intelligence report “%(reference)s” '
                                                  'that you can open.') % {"reference": reference}})
        record_id, ref = found.pk, found.reference
    elif kind == ThreatLink.Kind.CASE:
        from soclocal.cases import selectors as cases

        found = cases.find_case(actor, reference) if can(actor, "cases.view") else None
        if found is None:
            raise ValidationError({"reference": _('No case number “%(reference)s” that you '
                                                  'can open.') % {"reference": reference}})
        record_id, ref = found.pk, f"Case {found.pk}"
    else:
        raise ValidationError({"kind": _("Choose an intelligence report or a case.")})
    link, created = ThreatLink.objects.get_or_create(
        threat=threat, kind=kind, record_id=record_id,
        defaults={"reference": ref, "linked_by": actor})
    if not created:
        raise ValidationError({"reference": _('%(ref)s is already linked to this threat.') % {"ref": ref}})
    audit.record("threat.evidence_linked", actor=actor, obj=threat,
                 detail={"kind": kind, "record": record_id})
    return link


@service("priorities.raise")
def raise_threat_from_group(actor, *, name, members) -> Threat:
    """A suspected group from the intelligence network, raised as a police-only threat in one
    step: recorded as a suspected organised crime group, with its members, links and the
    reports that mention them kept as evidence, and the group as its origin."""
    from soclocal.intelligence import selectors as intelligence
    from soclocal.intelligence import services as intel_services

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    group = intel_services.record_suspected_group(actor, name, members)
    found = intelligence.group_evidence(actor, members)
    evidence = {"group": {"name": name, "reference": group.reference,
                          "members": found["people"], "entities": found["entities"],
                          "links": found["links"], "reports": len(found["reports"])}}
    threat = raise_threat(
        actor, kind=Threat.Kind.GROUP, title=name, police_only=True, evidence=evidence,
        evidence_text=f"Suspected group from the intelligence network: {found['people']} "
                      f"people, {found['links']} links among them, {len(found['reports'])} "
                      "intelligence reports mention them.")
    for pk, reference in found["reports"]:
        ThreatLink.objects.create(threat=threat, kind=ThreatLink.Kind.INTELLIGENCE,
                                  record_id=pk, reference=reference, linked_by=actor)
    audit.record("threat.evidence_linked", actor=actor, obj=threat,
                 detail={"kind": ThreatLink.Kind.INTELLIGENCE,
                         "records": [pk for pk, _ in found["reports"]], "group": group.pk})
    origins.link(actor, group, threat, source_label=f"Suspected group {group.reference}",
                 source_url=reverse("intelligence:entity", args=[group.pk]))
    return threat
