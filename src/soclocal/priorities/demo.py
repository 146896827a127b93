"""Demo priorities: about a dozen assessed threats for Nottingham's partnership, raised from
the demo profiles (the city's busiest crime types and the wards where drugs, weapons and
robbery are most recorded), a place, a vulnerable group, a named nominal (police only) and,
once the intelligence network is loaded, a suspected group from it (police only). Two
assessors score each; the top threat has a decision to respond and a plan with actions for the
police, the council's partnership and the housing association. Synthetic throughout; nothing
happens without a profile, and nothing is added once there are threats.
"""

from datetime import timedelta

from django.utils import timezone

from soclocal.accounts.models import Agency, User

from . import services
from .models import Threat

# (scores for the analyst, the intelligence officer's changes to them)
SCORES = [
    ({"harm_physical": 4, "harm_psychological": 3, "harm_financial": 1, "harm_community": 3,
      "harm_environmental": 1, "scale": 3, "vulnerability": 3, "likelihood": 4, "confidence": 3,
      "capacity": 2, "capability": 2}, {"confidence": 2, "scale": 2}),
    ({"harm_physical": 2, "harm_psychological": 2, "harm_financial": 3, "harm_community": 3,
      "harm_environmental": 2, "scale": 2, "vulnerability": 2, "likelihood": 3, "confidence": 3,
      "capacity": 1, "capability": 1}, {"harm_community": 4}),
    ({"harm_physical": 1, "harm_psychological": 2, "harm_financial": 2, "harm_community": 2,
      "harm_environmental": 0, "scale": 1, "vulnerability": 1, "likelihood": 2, "confidence": 2,
      "capacity": 1, "capability": 0}, {}),
]


# Crime types for which the ward recording most of them is raised as a threat of its own.
WARD_TYPES = ["Drugs", "Possession of weapons", "Robbery"]


def _varied(i: int) -> tuple[dict, dict]:
    """Scores for the i-th further threat: varied but fixed, so the demo ranks the same."""
    base = {k: (i * 7 + n * 3) % 4 + (1 if k in ("likelihood", "confidence") else 0)
            for n, k in enumerate(SCORES[0][0])}
    return {k: min(v, 4) for k, v in base.items()}, {"confidence": max(base["confidence"] - 1, 0)}


def _assess(analyst, intel, threat, scores, second):
    services.assess(analyst, threat, scores, "Scored on the profile figures.")
    services.assess(intel, threat, {**scores, **second}, "Scored with current intelligence.")


def load_demo_priorities(progress=None):
    from soclocal.profiles.models import ProfileVersion
    from soclocal.responses import services as responses

    if Threat.objects.exists():
        return []
    profile = ProfileVersion.objects.order_by("area__type", "-built_at").first()
    people = {u.username: u for u in User.objects.filter(
        username__in=["analyst", "intel", "admin", "housing.officer"])}
    if profile is None or len(people) < 4:
        return []
    analyst, intel, admin = people["analyst"], people["intel"], people["admin"]
    counts = profile.figures.get("counts_by_crime_type", {})
    busiest = [t for t, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n][:3]
    threats = []
    for crime_type, (scores, second) in zip(busiest, SCORES, strict=False):
        threat = services.raise_threat(
            analyst, kind=Threat.Kind.CRIME_PROBLEM, title=f"{crime_type} in {profile.area.name}",
            crime_type=crime_type, profile=profile,
            evidence_text="Raised from the demo profile (synthetic demo).")
        services.assess(analyst, threat, scores, "Scored on the profile figures.")
        services.assess(intel, threat, {**scores, **second}, "Scored with current intelligence.")
        threats.append(threat)
    # More of the city's busiest crime types, then the wards where some types are most common.
    more = [t for t, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n][3:5]
    extra = 0
    for crime_type in more:
        threat = services.raise_threat(
            analyst, kind=Threat.Kind.CRIME_PROBLEM, title=f"{crime_type} in {profile.area.name}",
            crime_type=crime_type, profile=profile,
            evidence_text="Raised from the demo profile (synthetic demo).")
        _assess(analyst, intel, threat, *_varied(extra))
        threats.append(threat)
        extra += 1
    wards = [v for v in ProfileVersion.objects.filter(area__type="ward").exclude(
        area=profile.area).select_related("area").order_by("area__name", "-built_at")]
    for crime_type in WARD_TYPES:
        best = max(wards, default=None,
                   key=lambda v: v.figures.get("counts_by_crime_type", {}).get(crime_type, 0))
        if best is None or not best.figures.get("counts_by_crime_type", {}).get(crime_type):
            continue
        threat = services.raise_threat(
            analyst, kind=Threat.Kind.CRIME_PROBLEM, title=f"{crime_type} in {best.area.name}",
            crime_type=crime_type, profile=best,
            evidence_text="The ward records more of this than any other (synthetic demo).")
        _assess(analyst, intel, threat, *_varied(extra))
        threats.append(threat)
        extra += 1
    area = wards[0].area if wards else profile.area
    for kind, title, text in (
            (Threat.Kind.PLACE, f"Flats taken over for drug dealing in {area.name}",
             "Synthetic: housing and police reports of tenants' homes being used by dealers."),
            (Threat.Kind.VULNERABLE_GROUP, "Children missing from school and at risk of "
             "criminal exploitation", "Synthetic: schools and youth workers report children "
             "missing lessons who are being groomed to carry drugs.")):
        threat = services.raise_threat(analyst, kind=kind, title=title, area=area,
                                       evidence_text=text)
        _assess(analyst, intel, threat, *_varied(extra))
        threats.append(threat)
        extra += 1
    nominal = services.raise_threat(
        intel, kind=Threat.Kind.PERSON, title="Suspected line holder (synthetic demo nominal)",
        evidence_text="Synthetic: three intelligence reports link the line to local addresses.")
    services.assess(intel, nominal, {**SCORES[0][0], "confidence": 2})
    services.assess(analyst, nominal, {**SCORES[0][0], "confidence": 1})
    threats.append(nominal)
    if not busiest:
        return threats
    today = timezone.localdate()
    top = threats[0]
    services.decide(admin, top, outcome="respond", owner=analyst,
                    reasons="High harm and frequent; the partners can act together.",
                    review_date=today + timedelta(days=5))
    plan = responses.create_plan(admin, top, title=f"Response to {top.title}", framework="4ds",
                                 objectives="Fewer incidents in the hotspots within a year; "
                                            "young people at risk offered support.")
    agencies = {a.kind: a for a in Agency.objects.filter(name__in=[
        "Nottinghamshire Police", "Nottingham Community Safety Partnership",
        "Trentside Housing Association"])}
    for strand, title, kind, days in (
            ("disrupt", "Targeted patrols in the hotspots", Agency.Kind.POLICE, 30),
            ("divert", "Detached youth work on weekend evenings", Agency.Kind.COMMUNITY_SAFETY, -3),
            ("deter", "Secure the communal entrances", Agency.Kind.HOUSING, 4)):
        action = responses.add_action(admin, plan, strand=strand, title=title,
                                      owning_agency=agencies[kind],
                                      due_date=today + timedelta(days=days))
        if kind == Agency.Kind.HOUSING:
            responses.update_action(people["housing.officer"], action, status="at_risk",
                                    note="The contractor cannot start until next month.")
    return threats


def load_demo_group_threat(progress=None):
    """The network's largest suspected group raised as a (police-only) threat, once the demo
    intelligence is loaded. Nothing is added once there is a group threat."""
    from soclocal.core import networks
    from soclocal.intelligence import selectors as intelligence

    intel = User.objects.filter(username="intel").first()
    analyst = User.objects.filter(username="analyst").first()
    if intel is None or analyst is None or Threat.objects.filter(
            kind=Threat.Kind.GROUP).exists():
        return None
    net = intelligence.network(intel)
    groups = networks.suspected_groups(net.graph)
    if not groups:
        return None
    members = [net.entities[pk] for pk in groups[0]]
    threat = services.raise_threat_from_group(
        intel, name="Suspected group from the network (synthetic demo)", members=members)
    scores, second = SCORES[0]
    _assess(intel, analyst, threat, {**scores, "confidence": 2, "scale": 2}, second)
    return threat


def load_demo_linked_case(progress=None):
    """A referral started from the top plan's Divert action, so the top threat counts a linked
    case along the trail. Synthetic; nothing is added once such a referral exists."""
    from datetime import date

    from django.contrib.contenttypes.models import ContentType

    from soclocal.cases import services as cases
    from soclocal.core.models import Origin
    from soclocal.responses import selectors as responses

    practitioner = User.objects.filter(username="practitioner").first()
    top = Threat.objects.filter(police_only=False, plans__isnull=False).order_by(
        "raised_at", "pk").first()
    if practitioner is None or top is None:
        return None
    divert = next((a for a in responses.actions(User.objects.get(username="admin"))
                   .filter(plan__threat=top, strand="divert")), None)
    action_ct = ContentType.objects.get_by_natural_key("responses", "action")
    if divert is None or Origin.objects.filter(source_type=action_ct,
                                               target_type__model="referral").exists():
        return None
    today = timezone.localdate()
    return cases.record_referral(
        practitioner, raised_from=divert,
        person={"first_name": "Casey", "last_name": "Example (synthetic demo)",
                "date_of_birth": date(today.year - 15, 5, 1), "gender": "boy"},
        source="other", referrer_name="Detached youth worker (synthetic demo)",
        reasons=["criminal_exploitation"], indicators=["phones"],
        concerns="Met on the weekend detached youth work; older people are giving him phones.",
        young_person_consents_to_service=True, caregiver_consents_to_service=True,
        young_person_consents_to_sharing=True, caregiver_consents_to_sharing=True,
        lawful_basis="consent")
