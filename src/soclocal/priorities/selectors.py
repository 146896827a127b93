"""Reading threats, assessments and the ranked list. Police-only threats reach only people of
a police agency who hold `priorities.view`; the sharing version never holds them."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from soclocal.accounts.models import Agency
from soclocal.core.access import can, get_scoped_or_404, scope

from . import scoring
from .models import Assessment, Decision, ScoringMethod, Threat


def current_method() -> dict:
    saved = ScoringMethod.objects.first()
    if saved is None:
        return scoring.DEFAULT_METHOD
    return {**scoring.DEFAULT_METHOD, **saved.method,
            "weights": {**scoring.DEFAULT_METHOD["weights"], **saved.method.get("weights", {})}}


def method_history():
    return ScoringMethod.objects.select_related("saved_by")[:20]


def sees_full_list(user) -> bool:
    return can(user, "priorities.view")


def sees_police_only(user) -> bool:
    agency = getattr(user, "agency", None)
    return sees_full_list(user) and agency is not None and agency.kind == Agency.Kind.POLICE


def threats(user, *, sharing: bool = False) -> QuerySet:
    full = sees_full_list(user) and not sharing
    qs = scope(user, "priorities.view" if full else "priorities.view_shared",
               Threat.objects.select_related("area", "raised_by", "owning_agency"))
    if not (full and sees_police_only(user)):
        qs = qs.filter(police_only=False)
    return qs


def visible_threat_ids(user, ids) -> set[str]:
    return {str(i) for i in threats(user).filter(pk__in=ids).values_list("pk", flat=True)}


def get_threat(user, pk) -> Threat:
    return get_scoped_or_404(user, "priorities.view", threats(user), pk=pk)


def latest_by_assessor(threat) -> list[Assessment]:
    seen, latest = set(), []
    for a in threat.assessments.select_related("assessor"):
        if a.assessor_id not in seen:
            seen.add(a.assessor_id)
            latest.append(a)
    return latest


def _mean(values) -> float:
    return round(sum(values) / len(values), 1)


def threat_score(assessments, method) -> dict | None:
    """The threat's score: the mean of each assessor's latest assessment score."""
    if not assessments:
        return None
    scored = [(a, scoring.score(a.scores, method)) for a in assessments]
    value = _mean([s.value for _, s in scored])
    return {"value": value, "priority": scoring.band(value, method),
            "assessments": [{"assessment": a, "score": s} for a, s in scored]}


def latest_decision(threat) -> Decision | None:
    return threat.decisions.select_related("owner", "decided_by").first()


def _filtered(user, sharing, kind, area):
    qs = threats(user, sharing=sharing)
    if kind:
        qs = qs.filter(kind=kind)
    if area:
        qs = qs.filter(area__name__icontains=area)
    return qs


def ranked_ids(user, *, sharing: bool = False, kind: str = "", area: str = "") -> list[int]:
    """The ids of every threat with a current assessment, highest score first (then by
    title): scored from the assessments' scores alone, so a page loads only its own threats."""
    method = current_method()
    qs = _filtered(user, sharing, kind, area)
    titles = dict(qs.values_list("pk", "title"))
    latest: dict = {}  # threat id -> assessor id -> the newest scores (Meta.ordering)
    for tid, assessor, scores in Assessment.objects.filter(threat_id__in=qs.values("pk")) \
            .order_by("-assessed_at", "-pk").values_list("threat_id", "assessor_id", "scores"):
        latest.setdefault(tid, {}).setdefault(assessor, scores)
    value = {tid: _mean([scoring.score(s, method).value for s in by.values()])
             for tid, by in latest.items()}
    return sorted(value, key=lambda tid: (-value[tid], titles[tid], tid))


def ranked_rows(user, ids, *, sharing: bool = False, first_rank: int = 1) -> list[dict]:
    """The rows of the ranked list for these threat ids, in their order, ranked from
    `first_rank`: the threats, their assessors' latest scores, decisions and evidence."""
    method = current_method()
    found = threats(user, sharing=sharing).filter(pk__in=ids).prefetch_related(
        "assessments__assessor", "decisions__owner").in_bulk()
    counts = evidence_counts(user, [found[i] for i in ids])
    rows = []
    for rank, tid in enumerate(ids, start=first_rank):
        t = found[tid]
        latest, seen = [], set()
        for a in t.assessments.all():  # newest first (Meta.ordering)
            if a.assessor_id not in seen:
                seen.add(a.assessor_id)
                latest.append(a)
        decisions = list(t.decisions.all())
        rows.append({"threat": t, **threat_score(latest, method), "rank": rank,
                     "decision": decisions[0] if decisions else None,
                     "snapshot": shared_snapshot(t.evidence_snapshot) if sharing
                     else t.evidence_snapshot,
                     "linked": shared_counts(counts[tid]) if sharing else counts[tid]})
    return rows


def ranked(user, *, sharing: bool = False, kind: str = "", area: str = "",
           limit: int | None = None) -> list[dict]:
    """Every threat with a current assessment (or the first `limit`), highest score first."""
    ids = ranked_ids(user, sharing=sharing, kind=kind, area=area)
    return ranked_rows(user, ids[:limit], sharing=sharing)


def shared_counts(linked: dict) -> dict:
    """Linked counts for the sharing version: no intelligence, and a count of cases from 1 to
    4 hidden as in every shared aggregate."""
    from soclocal.core import disclosure

    published, _ = disclosure.suppress_series({"cases": linked["cases"]})
    return {"cases": published["cases"].shown, "intelligence": None}


def shared_snapshot(snapshot: dict) -> dict:
    """The profile figures for the sharing version: a count under 5 and the figures worked
    out from it are hidden, as in the profiles' sharing version."""
    if not snapshot:
        return {}
    count = snapshot.get("count")
    if isinstance(count, int) and 0 < count < 5:
        return {**snapshot, "count": "[c]", "rate": "[c]", "harm_per_1000": "[c]"}
    return snapshot


def compare(assessments) -> list[dict]:
    """Each factor with every assessor's score beside it, and whether they differ by 2+."""
    rows = []
    for key in scoring.KEYS:
        values = [int(a.scores.get(key, 0)) for a in assessments]
        rows.append({"label": scoring.factor_label(key), "values": values,
                     "differ": bool(values) and max(values) - min(values) >= 2})
    return rows


def reviews_due(user, within_days: int = 7):
    soon = timezone.localdate() + timedelta(days=within_days)
    decisions = Decision.objects.filter(owner=user, review_date__lte=soon,
                                        threat__in=threats(user)).select_related("threat")
    # Only each threat's latest decision is live.
    return [d for d in decisions if latest_decision(d.threat).pk == d.pk]


# The evidence a threat rests on besides the profile: intelligence and cases linked to it.

def sees_intelligence_counts(user) -> bool:
    """Counts of linked intelligence are for the police and intelligence roles only."""
    return sees_police_only(user) or can(user, "intel.assess")


def _cases_via_origins(threat_ids) -> dict:
    """Per threat, the cases reached along the trail: a plan's action raised a referral."""
    from django.contrib.contenttypes.models import ContentType

    from soclocal.cases import selectors as cases
    from soclocal.core.models import Origin
    from soclocal.responses import selectors as responses

    try:
        action_ct = ContentType.objects.get_by_natural_key("responses", "action")
        referral_ct = ContentType.objects.get_by_natural_key("cases", "referral")
    except ContentType.DoesNotExist:
        return {}
    threat_of = responses.threats_of_actions(threat_ids)
    if not threat_of:
        return {}
    trails = [(int(action), int(referral)) for action, referral in Origin.objects.filter(
        source_type=action_ct, source_id__in=[str(a) for a in threat_of],
        target_type=referral_ct).values_list("source_id", "target_id")
        if str(action).isdigit() and str(referral).isdigit()]
    case_of = cases.cases_of_referrals({referral for _, referral in trails})
    out: dict = {}
    for action, referral in trails:
        if referral in case_of:
            out.setdefault(threat_of[action], set()).add(case_of[referral])
    return out


def evidence_counts(user, threats_) -> dict:
    """Per threat id: {"cases": n, "intelligence": n or None when the user may not see it}."""
    from .models import ThreatLink

    ids = [t.pk for t in threats_]
    cases: dict = {i: set() for i in ids}
    intel: dict = {i: 0 for i in ids}
    for tid, kind, record in ThreatLink.objects.filter(threat_id__in=ids).values_list(
            "threat_id", "kind", "record_id"):
        if kind == ThreatLink.Kind.CASE:
            cases[tid].add(record)
        else:
            intel[tid] += 1
    for tid, found in _cases_via_origins(ids).items():
        cases[tid] |= found
    show_intel = sees_intelligence_counts(user)
    return {i: {"cases": len(cases[i]), "intelligence": intel[i] if show_intel else None}
            for i in ids}


def links(user, threat) -> list:
    """The records linked to a threat, intelligence only for those who may see it."""
    qs = threat.links.select_related("linked_by")
    if not sees_intelligence_counts(user):
        qs = qs.exclude(kind="intelligence")
    return list(qs)
