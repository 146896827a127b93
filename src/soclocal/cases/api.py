"""Early intervention over the API, with the same access rules as the pages."""

from datetime import date, datetime

from ninja import Router, Schema

from soclocal.core import audit
from soclocal.core.access import demand

from . import selectors
from .models import Referral, YoungPerson

router = Router(tags=["cases"])


class YoungPersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    date_of_birth: date
    school: str


class CaseOut(Schema):
    id: int
    young_person: YoungPersonOut
    status: str
    owning_agency: str
    practitioner: str | None
    opened_at: datetime
    first_engaged_on: date | None
    closed_at: datetime | None


class ReferralOut(Schema):
    id: int
    case_id: int
    received_at: datetime
    source: str
    reasons: list[str]
    decision: str


def _case(c):
    return {"id": c.pk, "young_person": c.young_person, "status": c.status,
            "owning_agency": c.owning_agency.name,
            "practitioner": c.practitioner.get_full_name() if c.practitioner else None,
            "opened_at": c.opened_at, "first_engaged_on": c.first_engaged_on,
            "closed_at": c.closed_at}


@router.get("/cases", response=list[CaseOut], summary="Cases you may see")
def list_cases(request):
    demand(request, "cases.view")
    return [_case(c) for c in selectors.cases_for(request.user)[:500]]


@router.get("/cases/{case_id}", response=CaseOut, summary="One case (the read is audited)")
def get_case(request, case_id: int):
    demand(request, "cases.view")
    from django.http import Http404
    from ninja.errors import HttpError

    try:
        case = selectors.get_case(request.user, case_id)
    except Http404:
        raise HttpError(404, "Not found.") from None
    audit.record("cases.case.viewed", actor=request.user, obj=case, purpose="API")
    return _case(case)


@router.get("/young-people", response=list[YoungPersonOut], summary="Young people you may see")
def list_young_people(request):
    demand(request, "cases.view")
    cases = selectors.cases_for(request.user)
    return list(YoungPerson.objects.filter(cases__in=cases.values("pk")).distinct()[:500])


@router.get("/referrals", response=list[ReferralOut], summary="Referrals on cases you may see")
def list_referrals(request):
    demand(request, "cases.view")
    # A referral is reachable through its case, which carries ownership and sharing.
    cases = selectors.cases_for(request.user)
    return list(Referral.objects.filter(case__in=cases.values("pk"))[:500])
