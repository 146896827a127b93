"""Every change to intelligence: checked, validated, written and audited.

Entity and link writes (`create_person`, `create_entity`, `create_link`) are the interface
bulk imports and matching use; each runs in a transaction, so an import can wrap many in one.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import timezone

from soclocal.accounts.models import Agency
from soclocal.core import audit
from soclocal.core.access import Role, roles_of, scope, service

from .grading import check_grading
from .models import (
    Entity,
    IntelligenceReport,
    Link,
    Release,
    Requirement,
    SanitisedVersion,
    Source,
    Submission,
)


def _reach(actor, capability, obj):
    """Refuse a write on a record the actor cannot reach (the view should have 404'd first)."""
    if actor is None:
        return
    if not scope(actor, capability, type(obj).objects.all()).filter(pk=obj.pk).exists():
        audit.record("access.denied", actor=actor, obj=obj, detail={"capability": capability})
        raise PermissionDenied


def _next_reference(model, prefix):
    """PREFIX-000123, one past the highest number issued with that prefix."""
    taken = model.objects.filter(reference__regex=rf"^{prefix}-[0-9]{{6}}$").aggregate(
        m=Max("reference"))["m"]
    number = int(taken.rsplit("-", 1)[1]) + 1 if taken else 1
    return f"{prefix}-{number:06d}"


def _required(errors, data, labels):
    for name, message in labels.items():
        if not str(data.get(name) or "").strip():
            errors[name] = message


# Partner submissions ------------------------------------------------------------------------

def intelligence_agency():
    """The force whose intelligence officers receive partners' submissions."""
    return Agency.objects.filter(kind=Agency.Kind.POLICE, active=True).order_by("pk").first()


@service("intel.submit")
def submit(actor, *, what, where, when, how_known, who="", urgency=Submission.Urgency.ROUTINE,
           child_at_risk=False, adult_at_risk=False, to_agency=None) -> Submission:
    """A partner's note to the force's intelligence officers. An urgent concern for a child
    or vulnerable adult goes at once to the top of their work queue and the submitter's
    manager's (see work.py)."""
    data = {"what": what, "where": where, "when": when, "how_known": how_known}
    errors = {}
    _required(errors, data, {"what": "Say what you saw or heard", "where": "Say where",
                             "when": "Say when, as closely as you can",
                             "how_known": "Say how you know"})
    if how_known and how_known not in Submission.HowKnown.values:
        errors["how_known"] = "Choose how you know"
    if urgency not in Submission.Urgency.values:
        errors["urgency"] = "Choose how urgent it is"
    to_agency = to_agency or intelligence_agency()
    if to_agency is None:
        errors[None] = "No police force is set up in the partnership to receive intelligence"
    if errors:
        raise ValidationError(errors)
    submission = Submission.objects.create(
        reference=_next_reference(Submission, "S"), submitted_by=actor,
        submitter_agency=getattr(actor, "agency", None),
        submitter_team=getattr(actor, "team", None), to_agency=to_agency,
        what=what.strip(), where=where.strip(), when=when.strip(), who=(who or "").strip(),
        how_known=how_known, urgency=urgency, child_at_risk=bool(child_at_risk),
        adult_at_risk=bool(adult_at_risk))
    audit.record("intelligence.submission.made", actor=actor, obj=submission,
                 detail={"to_agency": to_agency.pk, "urgency": urgency,
                         "urgent_safeguarding": submission.urgent_safeguarding})
    if submission.urgent_safeguarding:
        audit.record("intelligence.submission.routed_urgently", actor=actor, obj=submission,
                     detail={"to": ["intelligence officers", "submitter's manager"]})
    return submission


# Reports and grading ------------------------------------------------------------------------

REPORT_FIELDS = ("title", "text", "source_type", "source", "source_grade", "intelligence_grade",
                 "handling", "handling_conditions", "outcome", "outcome_reasons", "review_on")


def _check_report(actor, data):
    errors = {}
    _required(errors, data, {"title": "Give the report a short title",
                             "text": "Write the intelligence"})
    if data.get("source_type") not in IntelligenceReport.SourceType.values:
        errors["source_type"] = "Choose the type of source"
    errors.update(check_grading(data.get("source_grade"), data.get("intelligence_grade"),
                                data.get("handling"), data.get("handling_conditions")))
    outcome = data.get("outcome") or ""
    if outcome and outcome not in IntelligenceReport.Outcome.values:
        errors["outcome"] = "Choose develop, disseminate, file or no further action"
    if outcome and not (data.get("outcome_reasons") or "").strip():
        errors["outcome_reasons"] = "Give the reasons for the assessment"
    source = data.get("source")
    if source is not None and actor is not None and not source.handlers.filter(
            pk=actor.pk).exists():
        errors["source"] = "You can only link a source you handle"
    if errors:
        raise ValidationError(errors)


def _clean_report(data):
    data = {k: v for k, v in data.items() if k in REPORT_FIELDS}
    data["handling_conditions"] = (data.get("handling_conditions") or "").strip()
    data.setdefault("outcome", "")
    return data


def _advance_submission(report):
    if report.submission_id:
        status = (Submission.Status.ASSESSED if report.outcome
                  else Submission.Status.ASSESSING)
        Submission.objects.filter(pk=report.submission_id).update(status=status)


@service("intel.assess")
def create_report(actor, *, submission=None, owning_agency=None, **data) -> IntelligenceReport:
    """A graded report, from a partner's submission or recorded directly."""
    data = _clean_report(data)
    if submission is not None:
        _reach(actor, "intel.assess", submission)
    _check_report(actor, data)
    report = IntelligenceReport.objects.create(
        reference=_next_reference(IntelligenceReport, "IR"),
        owning_agency=owning_agency or actor.agency, owning_team=getattr(actor, "team", None),
        submission=submission, created_by=actor, **data)
    _advance_submission(report)
    audit.record("intelligence.report.created", actor=actor, obj=report,
                 detail={"grade": report.grade, "submission": getattr(submission, "pk", None),
                         "outcome": report.outcome})
    return report


@service("intel.assess")
def update_report(actor, report: IntelligenceReport, **data) -> IntelligenceReport:
    """Re-grade or assess a report; the old and new grade and outcome are in the audit trail."""
    _reach(actor, "intel.assess", report)
    before = {"grade": report.grade, "outcome": report.outcome}
    data = _clean_report({**{f: getattr(report, f) for f in REPORT_FIELDS}, **data})
    _check_report(actor, data)
    for name, value in data.items():
        setattr(report, name, value)
    report.save()
    _advance_submission(report)
    audit.record("intelligence.report.updated", actor=actor, obj=report,
                 detail={"before": before, "after": {"grade": report.grade,
                                                     "outcome": report.outcome}})
    return report


# The source register ------------------------------------------------------------------------

@service("intel.sources")
def create_source(actor, *, identity, contact="", notes="", handlers=()) -> Source:
    """A source register entry; the officer who makes it is always one of its handlers."""
    if not (identity or "").strip():
        raise ValidationError({"identity": "Say who the source is"})
    handlers = set(handlers) | {actor}
    for handler in handlers:
        if (Role.INTELLIGENCE_OFFICER not in roles_of(handler)
                or handler.agency_id != actor.agency_id):
            raise ValidationError({"handlers": f"{handler.get_full_name() or handler} is not an "
                                               "intelligence officer at your force"})
    source = Source.objects.create(reference=_next_reference(Source, "SRC"),
                                   owning_agency=actor.agency, identity=identity.strip(),
                                   contact=contact, notes=notes, created_by=actor)
    source.handlers.set(handlers)
    audit.record("intelligence.source.created", actor=actor, obj=source,
                 detail={"handlers": sorted(h.pk for h in handlers)})
    return source


# Sanitised dissemination --------------------------------------------------------------------

@service("intel.assess")
def sanitise(actor, report: IntelligenceReport, *, text) -> SanitisedVersion:
    """A version of the report to share: the text edited to remove what identifies the
    source; the grading and handling conditions are copied and travel with it."""
    _reach(actor, "intel.assess", report)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the sanitised text"})
    if report.source_id and report.source.identity.strip().lower() in text.lower():
        raise ValidationError({"text": "The sanitised text names the source: remove it"})
    version = SanitisedVersion.objects.create(
        report=report, text=text, source_grade=report.source_grade,
        intelligence_grade=report.intelligence_grade, handling=report.handling,
        handling_conditions=report.handling_conditions, author=actor)
    audit.record("intelligence.sanitised.created", actor=actor, obj=version,
                 detail={"report": report.pk, "grade": version.grade})
    return version


@service("intel.assess")
def approve_sanitised(actor, version: SanitisedVersion) -> SanitisedVersion:
    """A second officer, not the author, confirms the version gives nothing of the source."""
    _reach(actor, "intel.assess", version.report)
    if version.author_id == actor.pk:
        raise ValidationError({None: "A second officer must review the sanitised version: "
                                     "you wrote it"})
    if version.approved_at:
        raise ValidationError({None: "This sanitised version is already approved"})
    version.approved_by, version.approved_at = actor, timezone.now()
    version.save(update_fields=["approved_by", "approved_at"])
    audit.record("intelligence.sanitised.approved", actor=actor, obj=version,
                 detail={"report": version.report_id, "author": version.author_id})
    return version


@service("intel.assess")
def release(actor, version: SanitisedVersion, *, agency, purpose) -> Release:
    """Release an approved sanitised version to a named agency for a recorded purpose."""
    _reach(actor, "intel.assess", version.report)
    errors = {}
    if not version.approved_at:
        errors[None] = "A second officer must approve the sanitised version before release"
    if agency is None:
        errors["agency"] = "Choose the agency to release it to"
    elif agency.pk == version.report.owning_agency_id:
        errors["agency"] = "The report is already your force's own"
    elif version.releases.filter(agency=agency, withdrawn_at__isnull=True).exists():
        errors["agency"] = f"It is already released to {agency}"
    if not (purpose or "").strip():
        errors["purpose"] = "Say what it is released for"
    if errors:
        raise ValidationError(errors)
    shared = Release.objects.create(sanitised=version, agency=agency, purpose=purpose.strip(),
                                    released_by=actor)
    audit.record("intelligence.release.made", actor=actor, obj=shared, purpose=shared.purpose,
                 detail={"sanitised": version.pk, "report": version.report_id,
                         "agency": agency.pk, "handling": version.handling})
    return shared


@service("intel.assess")
def withdraw_release(actor, shared: Release, *, reason) -> Release:
    """End a release: the agency's next request for the version is a 404."""
    _reach(actor, "intel.assess", shared.sanitised.report)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason for withdrawing it"})
    if shared.withdrawn_at:
        raise ValidationError({None: "This release is already withdrawn"})
    shared.withdrawn_at, shared.withdrawn_by = timezone.now(), actor
    shared.withdrawn_reason = reason.strip()
    shared.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    audit.record("intelligence.release.withdrawn", actor=actor, obj=shared,
                 detail={"sanitised": shared.sanitised_id, "agency": shared.agency_id,
                         "reason": shared.withdrawn_reason})
    return shared


# Entities and links -------------------------------------------------------------------------

ENTITY_FIELDS = {"name", "forenames", "surname", "date_of_birth", "address", "postcode", "phone",
                 "source", "organised_crime_group", "latitude", "longitude", "description",
                 "notes"}


def _place(entity):
    """Put an address in its LSOA and ward when it has a point."""
    if entity.latitude is None or entity.longitude is None:
        return
    from soclocal.areas.selectors import lsoa_at

    lsoa = lsoa_at(entity.longitude, entity.latitude)
    if lsoa is not None:
        entity.lsoa, entity.ward = lsoa, lsoa.ward


@service("intel.entities")
def place_entities(actor, entities) -> int:
    """Place many entities with points in their LSOA and ward at once (for bulk imports,
    which create them with place=False). Returns how many were placed."""
    from soclocal.areas.selectors import lsoas_at

    entities = [e for e in entities if e.latitude is not None and e.longitude is not None]
    for entity in entities:
        _reach(actor, "intel.entities", entity)
    placed = 0
    for entity, lsoa in zip(entities, lsoas_at((e.longitude, e.latitude) for e in entities),
                            strict=True):
        entity.lsoa, entity.ward = lsoa, lsoa.ward if lsoa else None
        placed += lsoa is not None
    Entity.objects.bulk_update(entities, ["lsoa", "ward"])
    audit.record("intelligence.entity.placed", actor=actor,
                 detail={"entities": [e.pk for e in entities], "placed": placed})
    return placed


@service("intel.entities")
def create_entity(actor, kind, *, reference="", report=None, owning_agency=None, place=True,
                  **fields) -> Entity:
    """An entity of `kind` (Entity.Kind); a reference like P-000123 is made when none is given.
    With a report, the entity is recorded as coming from it. A point is placed in its LSOA and
    ward unless place=False (a bulk import places them together with `place_entities`)."""
    unknown = set(fields) - ENTITY_FIELDS
    if unknown:
        raise ValidationError({None: f"Unknown fields for an entity: {', '.join(sorted(unknown))}"})
    errors = {}
    if kind not in Entity.Kind.values:
        errors["kind"] = f"Unknown kind of entity '{kind}'"
    elif kind == Entity.Kind.PERSON:
        if not (fields.get("forenames") or fields.get("surname") or fields.get("name")):
            errors["surname"] = "Give the person's name, or as much of it as is known"
    elif kind == Entity.Kind.ADDRESS:
        if not (fields.get("address") or fields.get("postcode") or fields.get("name")):
            errors["address"] = "Give the address or its postcode"
    elif not (fields.get("name") or "").strip():
        errors["name"] = "Give a name, registration, number or handle"
    if (fields.get("latitude") is None) != (fields.get("longitude") is None):
        errors["latitude"] = "Give both latitude and longitude, or neither"
    reference = (reference or "").strip()
    if reference and Entity.objects.filter(reference=reference).exists():
        errors["reference"] = f"The reference {reference} is already used"
    owning_agency = owning_agency or getattr(actor, "agency", None)
    if owning_agency is None:
        errors[None] = "Say which agency owns the entity"
    if errors:
        raise ValidationError(errors)
    if kind != Entity.Kind.ORGANISATION:
        fields.pop("organised_crime_group", None)
    if "postcode" in fields:
        fields["postcode"] = " ".join((fields["postcode"] or "").upper().split())
    entity = Entity(kind=kind, owning_agency=owning_agency, created_by=actor,
                    reference=reference or _next_reference(Entity, Entity.PREFIX[kind]),
                    **{k: ("" if v is None and k not in ("date_of_birth", "latitude",
                                                          "longitude") else v)
                       for k, v in fields.items()})
    if place:
        _place(entity)
    entity.save()
    if report is not None:
        _reach(actor, "intel.assess", report)
        entity.reports.add(report)
    audit.record("intelligence.entity.created", actor=actor, obj=entity,
                 detail={"kind": kind, "reference": entity.reference,
                         "report": getattr(report, "pk", None)})
    return entity


def create_person(actor, **fields) -> Entity:
    """A person: reference, forenames, surname, date_of_birth, address, postcode, phone, source."""
    return create_entity(actor, Entity.Kind.PERSON, **fields)


@service("intel.entities")
def add_to_report(actor, report: IntelligenceReport, entity: Entity) -> Entity:
    """Record that an existing entity (found by searching first) is in a report."""
    _reach(actor, "intel.assess", report)
    _reach(actor, "intel.entities", entity)
    if not entity.reports.filter(pk=report.pk).exists():
        entity.reports.add(report)
        audit.record("intelligence.entity.added_to_report", actor=actor, obj=entity,
                     detail={"report": report.pk})
    return entity


@service("intel.entities")
def create_link(actor, from_entity: Entity, to_entity: Entity, kind, start=None, end=None,
                source="", report=None) -> Link:
    """A link of `kind` (Link.Kind) from one entity to another, held from `start` to `end`."""
    errors = {}
    if kind not in Link.Kind.values:
        errors["kind"] = f"Unknown kind of link '{kind}'"
    if from_entity.pk == to_entity.pk:
        errors["to_entity"] = "Choose two different entities to link"
    if start and end and end < start:
        errors["end"] = "The end date must be on or after the start date"
    if from_entity.owning_agency_id != to_entity.owning_agency_id:
        errors["to_entity"] = "Both entities must belong to the same force"
    if errors:
        raise ValidationError(errors)
    if actor is not None:
        _reach(actor, "intel.entities", from_entity)
        _reach(actor, "intel.entities", to_entity)
        if report is not None:
            _reach(actor, "intel.assess", report)
    link = Link.objects.create(owning_agency=from_entity.owning_agency, from_entity=from_entity,
                               to_entity=to_entity, kind=kind, start=start, end=end,
                               source=source or "", created_by=actor)
    if report is not None:
        link.reports.add(report)
        for entity in (from_entity, to_entity):
            entity.reports.add(report)
    audit.record("intelligence.link.created", actor=actor, obj=link,
                 detail={"kind": kind, "from": from_entity.reference,
                         "to": to_entity.reference, "report": getattr(report, "pk", None)})
    return link


@service("intel.entities")
def record_suspected_group(actor, name, members) -> Entity:
    """A suspected group from the network recorded as an organisation flagged as an organised
    crime group, each person in it linked as a member."""
    name = (name or "").strip()
    people = [m for m in members if m.kind == Entity.Kind.PERSON]
    errors = {}
    if not name:
        errors["name"] = "Give the group a name"
    if not people:
        errors["member"] = "A group needs at least one person in it"
    if errors:
        raise ValidationError(errors)
    group = create_entity(actor, Entity.Kind.ORGANISATION, name=name,
                          organised_crime_group=True,
                          notes="Suspected group suggested by the network's communities")
    for person in people:
        create_link(actor, person, group, Link.Kind.MEMBER_OF, source="network")
    audit.record("intelligence.network.group_recorded", actor=actor, obj=group,
                 detail={"members": [p.pk for p in people]})
    return group



# Intelligence requirements -------------------------------------------------------------------

@service("intel.requirements")
def set_requirement(actor, *, question, tasked_agency, due_on, area=None,
                    priority="") -> Requirement:
    """Ask a partner agency a question, for an area and a priority, to answer by a date."""
    errors = {}
    _required(errors, {"question": question, "tasked_agency": tasked_agency, "due_on": due_on},
              {"question": "Write the question you need answered",
               "tasked_agency": "Choose the agency to ask",
               "due_on": "Give the date you need the answer by"})
    if due_on and due_on < timezone.localdate():
        errors["due_on"] = "The date to answer by must be today or later"
    if errors:
        raise ValidationError(errors)
    requirement = Requirement.objects.create(
        reference=_next_reference(Requirement, "R"), owning_agency=actor.agency,
        question=question.strip(), area=area, priority=(priority or "").strip(),
        tasked_agency=tasked_agency, due_on=due_on, set_by=actor)
    audit.record("intelligence.requirement.set", actor=actor, obj=requirement,
                 detail={"tasked_agency": tasked_agency.pk, "due_on": due_on.isoformat()})
    return requirement


@service("intel.tasked")
def answer_requirement(actor, requirement: Requirement, **fields) -> Submission:
    """An answer from the tasked agency: a submission to the force that asked, linked to the
    requirement, which is then answered."""
    _reach(actor, "intel.tasked", requirement)
    if requirement.status == Requirement.Status.CLOSED:
        raise ValidationError({None: "This requirement is closed and takes no more answers"})
    answer = submit(actor, to_agency=requirement.owning_agency, **fields)
    answer.requirement = requirement
    answer.save(update_fields=["requirement"])
    if requirement.status == Requirement.Status.OPEN:
        requirement.status = Requirement.Status.ANSWERED
        requirement.answered_at = timezone.now()
        requirement.save(update_fields=["status", "answered_at"])
    audit.record("intelligence.requirement.answered", actor=actor, obj=requirement,
                 detail={"submission": answer.pk})
    return answer


@service("intel.requirements")
def close_requirement(actor, requirement: Requirement) -> Requirement:
    if requirement.owning_agency_id != actor.agency_id:
        audit.record("access.denied", actor=actor, obj=requirement,
                     detail={"capability": "intel.requirements"})
        raise PermissionDenied
    requirement.status = Requirement.Status.CLOSED
    requirement.save(update_fields=["status"])
    audit.record("intelligence.requirement.closed", actor=actor, obj=requirement)
    return requirement
