"""Agreements and the directory of services over the API, with the pages' access rules."""

from datetime import date

from ninja import Router, Schema
from ninja.errors import HttpError

from soclocal.areas.models import Area
from soclocal.core.access import demand

from . import selectors
from .models import Need

router = Router(tags=["partnership"])


class AgreementOut(Schema):
    id: int
    reference: str
    title: str
    status: str
    parties: list[str]
    purposes: list[str]
    lawful_bases: list[str]
    data_categories: list[str]
    retention: str
    starts_on: date | None
    review_on: date
    past_review: bool
    signatories: list[str]
    has_document: bool


class ServiceOut(Schema):
    id: int
    name: str
    agency: str
    description: str
    age_from: int | None
    age_to: int | None
    needs: list[str]
    whole_area: bool
    areas: list[str]
    how_to_refer: str
    contact_name: str
    contact_email: str
    contact_phone: str
    website: str
    active: bool


def _agreement(a):
    return {"id": a.pk, "reference": a.reference, "title": a.title, "status": a.status,
            "parties": sorted(p.name for p in a.parties.all()), "purposes": a.purpose_list,
            "lawful_bases": a.lawful_basis_list, "data_categories": a.data_category_list,
            "retention": a.retention_terms, "starts_on": a.starts_on, "review_on": a.review_on,
            "past_review": a.past_review, "signatories": a.signatory_list,
            "has_document": bool(a.document)}


def _service(s):
    return {"id": s.pk, "name": s.name, "agency": s.agency.name, "description": s.description,
            "age_from": s.age_from, "age_to": s.age_to, "needs": list(s.needs),
            "whole_area": s.whole_area, "areas": [a.code for a in s.areas.all()],
            "how_to_refer": s.how_to_refer, "contact_name": s.contact_name,
            "contact_email": s.contact_email, "contact_phone": s.contact_phone,
            "website": s.website, "active": s.active}


@router.get("/partnership/agreements", response=list[AgreementOut],
            summary="The partnership's information-sharing agreements")
def agreement_list(request, past_review: bool = False):
    demand(request, "agreements.view")
    qs = selectors.past_review(request.user) if past_review else selectors.agreements(
        request.user)
    return [_agreement(a) for a in qs]


@router.get("/partnership/agreements/{agreement_id}", response=AgreementOut,
            summary="One information-sharing agreement")
def agreement_detail(request, agreement_id: int):
    demand(request, "agreements.view")
    return _agreement(selectors.get_agreement(request.user, agreement_id))


@router.get("/partnership/services", response=list[ServiceOut],
            summary="Search the directory of services by words, area code, need and age")
def service_list(request, q: str = "", area: str = "", need: str = "", age: int | None = None):
    demand(request, "directory.view")
    place = None
    if area:
        place = Area.objects.filter(code=area).order_by("type").first()
        if place is None:
            raise HttpError(404, f"No area with the code '{area}'.")
    if need and need not in Need.values:
        raise HttpError(422, f"Unknown need '{need}'. Known needs: {', '.join(Need.values)}.")
    return [_service(s) for s in selectors.directory(request.user, text=q, area=place,
                                                      need=need, age=age)]


@router.get("/partnership/services/{service_id}", response=ServiceOut,
            summary="One service in the directory")
def service_detail(request, service_id: int):
    demand(request, "directory.view")
    return _service(selectors.get_service(request.user, service_id))
