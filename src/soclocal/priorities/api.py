"""Threats and their assessments over the API, scored by the partnership's current method."""

from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Router, Schema

from soclocal.core import audit
from soclocal.core.access import demand
from soclocal.core.language import ENGLISH

from . import scoring, selectors

router = Router(tags=["priorities"])


class AssessmentOut(Schema):
    id: int
    threat_id: int
    assessor: str
    assessed_at: str
    scores: dict
    score: float
    priority: str
    parts: dict
    formula: str


class ThreatOut(Schema):
    id: int
    rank: int | None
    kind: str
    title: str
    area: str | None
    police_only: bool
    score: float | None
    priority: str | None
    decision: str | None
    evidence_snapshot: dict
    linked: dict
    assessments: list[AssessmentOut]


def _assessment(entry) -> dict:
    a, s = entry["assessment"], entry["score"]
    return {"id": a.pk, "threat_id": a.threat_id, "assessor": a.assessor.get_username(),
            "assessed_at": a.assessed_at.isoformat(), "scores": a.scores, "score": s.value,
            "priority": s.priority, "parts": s.parts, "formula": s.formula}


def _threat(row) -> dict:
    t = row["threat"]
    return {"id": t.pk, "rank": row.get("rank"), "kind": t.kind, "title": t.title,
            "area": t.area.name if t.area else None, "police_only": t.police_only,
            "score": row.get("value"), "priority": row.get("priority"),
            "decision": row["decision"].outcome if row.get("decision") else None,
            "evidence_snapshot": row.get("snapshot", {}),
            # Counts of linked cases, and of intelligence for the police only (else null).
            "linked": row.get("linked", {}),
            "assessments": [_assessment(e) for e in row.get("assessments", [])]}


@router.get("/priorities/threats", response=list[ThreatOut],
            summary="Assessed threats in priority order: each assessor's latest scores, the "
                    "score the current method gives them, and the threat's mean score; the "
                    "sharing version unless your roles see the full list")
def ranked(request, kind: str = "", area: str = "", sharing: bool = False):
    demand(request, "priorities.view_shared")
    sharing = sharing or not selectors.sees_full_list(request.user)
    rows = selectors.ranked(request.user, sharing=sharing, kind=kind, area=area)
    audit.record("priorities.read", detail={"via": "api", "sharing": sharing})
    return [_threat(r) for r in rows]


@router.get("/priorities/threats/{threat_id}", response=ThreatOut,
            summary="One threat with its whole assessment history")
def threat(request, threat_id: int):
    demand(request, "priorities.view")
    t = get_object_or_404(selectors.threats(request.user), pk=threat_id)
    method = selectors.current_method()
    current = selectors.threat_score(selectors.latest_by_assessor(t), method) or {}
    history = [{"assessment": a, "score": scoring.score(a.scores, method)}
               for a in t.assessments.select_related("assessor")]
    audit.record("threat.viewed", obj=t, detail={"via": "api"})
    return _threat({"threat": t, **current, "assessments": history,
                    "linked": selectors.evidence_counts(request.user, [t])[t.pk],
                    "decision": selectors.latest_decision(t), "snapshot": t.evidence_snapshot})


@router.get("/priorities/method", summary="The scoring method in use: scale, weights, "
            "formula and bands, with the formula in words")
def method(request):
    demand(request, "priorities.view_shared")
    m = selectors.current_method()
    with translation.override(ENGLISH):  # the API's words are English, whoever asks
        return {**m, "description": scoring.describe(m)}
