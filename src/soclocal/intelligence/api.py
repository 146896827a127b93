"""Intelligence over the API, with the same access rules as the pages."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from soclocal.core import audit
from soclocal.core.access import demand

from . import selectors, services

router = Router(tags=["intelligence"])


class SubmissionOut(Schema):
    id: int
    reference: str
    submitted_at: datetime
    where: str
    urgency: str
    status: str


class Grade(Schema):
    source_grade: str
    intelligence_grade: str
    handling: str
    handling_conditions: str


class ReportOut(Grade):
    id: int
    reference: str
    title: str
    text: str
    source_type: str
    outcome: str
    outcome_reasons: str
    review_on: date | None
    submission_id: int | None


class ReceivedOut(Grade):
    id: int
    report_reference: str
    text: str
    purpose: str
    released_at: datetime


class EntityOut(Schema):
    id: int
    reference: str
    kind: str
    name: str
    forenames: str
    surname: str
    date_of_birth: date | None
    address: str
    postcode: str
    phone: str
    source: str
    organised_crime_group: bool
    lsoa: str | None
    ward: str | None

    @staticmethod
    def resolve_lsoa(obj):
        return obj.lsoa.code if obj.lsoa_id else None

    @staticmethod
    def resolve_ward(obj):
        return obj.ward.code if obj.ward_id else None


class LinkOut(Schema):
    id: int
    from_: str = Field(..., alias="from")
    to: str
    kind: str
    start: date | None
    end: date | None
    source: str
    reports: list[str]


def _one(fn, *args):
    try:
        return fn(*args)
    except Http404:
        raise HttpError(404, "Not found.") from None


def _write(fn, *args, **kwargs):
    """Call a service; its refusal comes back as a 422 naming each field and what is wrong."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as e:
        problems = (e.message_dict.items() if hasattr(e, "error_dict")
                    else [("__all__", e.messages)])
        raise HttpError(422, "; ".join(f"{field if field != '__all__' else 'record'}: "
                                       f"{' '.join(messages)}"
                                       for field, messages in problems)) from None
    except PermissionDenied:
        raise HttpError(403, "You do not have access to this.") from None


class SubmissionIn(Schema):
    what: str
    where: str
    when: str
    how_known: str
    who: str = ""
    urgency: str = "routine"
    child_at_risk: bool = False
    adult_at_risk: bool = False


class ReportIn(Schema):
    title: str
    text: str
    source_type: str
    source_grade: str
    intelligence_grade: str
    handling: str
    handling_conditions: str = ""
    outcome: str = ""
    outcome_reasons: str = ""
    review_on: date | None = None
    submission_id: int | None = None


class EntityIn(Schema):
    kind: str
    reference: str = ""
    name: str = ""
    forenames: str = ""
    surname: str = ""
    date_of_birth: date | None = None
    address: str = ""
    postcode: str = ""
    phone: str = ""
    source: str = ""
    organised_crime_group: bool = False
    latitude: float | None = None
    longitude: float | None = None
    description: str = ""
    report_id: int | None = None


class LinkIn(Schema):
    from_: str = Field(..., alias="from", description="the reference of the entity it is from")
    to: str = Field(..., description="the reference of the entity it is to")
    kind: str
    start: date | None = None
    end: date | None = None
    source: str = ""
    report_id: int | None = None


def _entity_by_reference(request, reference):
    found = selectors.entities_for(request.user).filter(reference=reference).first()
    if found is None:
        raise HttpError(422, f"No entity with the reference {reference!r}")
    return found


@router.post("/intelligence/submissions", response={201: SubmissionOut},
             summary="Share intelligence with the force's intelligence officers")
def create_submission(request, payload: SubmissionIn):
    demand(request, "intel.submit")
    return Status(201, _write(services.submit, request.user, **payload.dict()))


@router.post("/intelligence/reports", response={201: ReportOut},
             summary="Record and grade an intelligence report (3x5x2)")
def create_report(request, payload: ReportIn):
    demand(request, "intel.assess")
    data = payload.dict()
    submission_id = data.pop("submission_id")
    submission = (_one(selectors.get_submission, request.user, submission_id)
                  if submission_id else None)
    return Status(201, _write(services.create_report, request.user, submission=submission, **data))


@router.post("/intelligence/entities", response={201: EntityOut},
             summary="Record a person, organisation, address, vehicle, phone, online account "
                     "or business")
def create_entity(request, payload: EntityIn):
    demand(request, "intel.entities")
    data = payload.dict()
    report_id = data.pop("report_id")
    report = _one(selectors.get_report, request.user, report_id) if report_id else None
    kind = data.pop("kind")
    fields = services.given(data)
    return Status(201, _write(services.create_entity, request.user, kind, report=report, **fields))


@router.post("/intelligence/links", response={201: LinkOut}, by_alias=True,
             summary="Link two entities, by their references")
def create_link(request, payload: LinkIn):
    demand(request, "intel.entities")
    report = (_one(selectors.get_report, request.user, payload.report_id)
              if payload.report_id else None)
    link = _write(services.create_link, request.user,
                  _entity_by_reference(request, payload.from_),
                  _entity_by_reference(request, payload.to), payload.kind,
                  start=payload.start, end=payload.end, source=payload.source, report=report)
    return Status(201, _link(link))


@router.get("/intelligence/submissions", response=list[SubmissionOut],
            summary="Intelligence you shared, and its status")
def list_submissions(request):
    demand(request, "intel.submit")
    return list(selectors.my_submissions(request.user)[:500])


@router.get("/intelligence/reports", response=list[ReportOut],
            summary="Intelligence reports of your force, with their grading")
def list_reports(request):
    demand(request, "intel.assess")
    return list(selectors.reports_for(request.user)[:500])


@router.get("/intelligence/reports/{report_id}", response=ReportOut,
            summary="One intelligence report (the read is audited)")
def get_report(request, report_id: int):
    demand(request, "intel.assess")
    report = _one(selectors.get_report, request.user, report_id)
    audit.record("intelligence.report.viewed", actor=request.user, obj=report, purpose="API")
    return report


def _received(r):
    v = r.sanitised
    return {"id": v.pk, "report_reference": v.report.reference, "text": v.text,
            "source_grade": v.source_grade,
            "intelligence_grade": v.intelligence_grade, "handling": v.handling,
            "handling_conditions": v.handling_conditions, "purpose": r.purpose,
            "released_at": r.released_at}


@router.get("/intelligence/received", response=list[ReceivedOut],
            summary="Sanitised intelligence released to your agency")
def list_received(request):
    demand(request, "intel.receive")
    return [_received(r) for r in selectors.received_for(request.user)[:500]]


@router.get("/intelligence/received/{sanitised_id}", response=ReceivedOut,
            summary="One sanitised version released to your agency (the read is audited)")
def get_received(request, sanitised_id: int):
    demand(request, "intel.receive")
    shared = _one(selectors.get_received, request.user, sanitised_id)
    audit.record("intelligence.sanitised.read", actor=request.user, obj=shared.sanitised,
                 purpose=shared.purpose, detail={"release": shared.pk, "via": "API"})
    return _received(shared)


@router.get("/intelligence/entities", response=list[EntityOut],
            summary="People, places and things your force holds")
def list_entities(request, q: str = ""):
    demand(request, "intel.entities")
    found = (selectors.search_entities(request.user, q, limit=500) if q
             else selectors.entities_for(request.user)[:500])
    return list(found)


@router.get("/intelligence/links", response=list[LinkOut], by_alias=True,
            summary="Links between entities, with the reports they come from")
def list_links(request):
    demand(request, "intel.entities")
    links = selectors.links_for(request.user).prefetch_related("reports")[:500]
    return [_link(k) for k in links]


def _link(k):
    return {"id": k.pk, "from": k.from_entity.reference, "to": k.to_entity.reference,
            "kind": k.kind, "start": k.start, "end": k.end, "source": k.source,
            "reports": [r.reference for r in k.reports.all()]}
