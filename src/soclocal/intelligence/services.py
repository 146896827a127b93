"""Every change to intelligence: checked, validated, written and audited.

Entity and link writes (`create_person`, `create_entity`, `create_link`) are the interface
bulk imports and matching use; each runs in a transaction, so an import can wrap many in one.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soclocal.accounts.models import Agency
from soclocal.core import audit, origins
from soclocal.core.access import Role, roles_of, scope, service
from soclocal.partnership import services as partnership_services

from .grading import check_grading
from .models import (
    Entity,
    IntelligenceReport,
    Link,
    Merge,
    PairReview,
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


# Community submissions ----------------------------------------------------------------------

# A resident may send a few an hour from one address, and the public pages take only so many
# an hour in all, so a program cannot bury the officers' queue. Contact details are kept
# COMMUNITY_CONTACT_DAYS after sending (decision 0037); the address key a day.
COMMUNITY_PER_ADDRESS_HOUR = 3
COMMUNITY_PER_HOUR = 30
COMMUNITY_CONTACT_DAYS = 30
COMMUNITY_LIMITS = {"what": 5000, "where": 300, "when": 200, "who": 3000, "identifying": 2000,
                    "contact_name": 100, "contact": 254}
BUSY = gettext_lazy("We cannot take any more reports through this page for the moment. "
                    "Please try again in an hour, or call 101 (999 in an emergency).")


def client_key(address) -> str:
    """A keyed hash of the sender's network address: enough to count, not to trace."""
    if not address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), str(address).encode(),
                    hashlib.sha256).hexdigest()


def submit_community(*, what, where, when, who="", identifying="", how_known="",
                     urgency=Submission.Urgency.ROUTINE, child_at_risk=False,
                     adult_at_risk=False, contact_name="", contact="", client_address=None,
                     now=None, language=None) -> Submission:
    """A resident's report from the public pages: no account, ungraded, on the officers'
    queue like a partner's (urgent if someone is at risk now), within the hourly limits."""
    from soclocal.engagement.services import normalise_contact

    now = now or timezone.now()
    given = {"what": what, "where": where, "when": when, "who": who,
             "identifying": identifying, "contact_name": contact_name, "contact": contact}
    errors = {}
    # Each box as typed, without the blanks around it; a box left out (None) is empty, and
    # anything but text is refused, never kept as its name ("None").
    data = {}
    for name, value in given.items():
        if value is not None and not isinstance(value, str):
            errors[name] = _("Enter this as text")
        data[name] = value.replace("\x00", "").strip() if isinstance(value, str) else ""
    _required(errors, data, {"what": _("Say what is happening"), "where": _("Say where"),
                             "when": _("Say when, as closely as you can")})
    for name, most in COMMUNITY_LIMITS.items():
        if len(data[name]) > most:
            errors[name] = _("Keep this to %(most)s characters or fewer") % {"most": f"{most:,}"}
    # "From our records" is a partner's way of knowing, not a resident's: the form never
    # offers it.
    if how_known and (how_known not in Submission.HowKnown.values
                      or how_known == Submission.HowKnown.RECORDS):
        errors["how_known"] = _("Choose how you know")
    if urgency not in Submission.Urgency.values:
        errors["urgency"] = _("Choose how urgent it is")
    if data["contact"] and "contact" not in errors:
        try:
            data["contact"] = normalise_contact(data["contact"])
        except ValidationError as e:
            errors["contact"] = e.messages[0]
    if errors:
        raise ValidationError(errors)
    to_agency = intelligence_agency()
    key = client_key(client_address)
    recent = Submission.objects.filter(source=Submission.From.COMMUNITY,
                                       submitted_at__gte=now - timedelta(hours=1))
    if to_agency is None or recent.count() >= COMMUNITY_PER_HOUR or (
            key and recent.filter(client_key=key).count() >= COMMUNITY_PER_ADDRESS_HOUR):
        audit.record("intelligence.community.refused", detail={
            "reason": "no force" if to_agency is None else "hourly limit"})
        raise ValidationError(str(BUSY))
    from soclocal.core.language import current, normalise

    # The report and its audit events are kept together or not at all.
    with transaction.atomic():
        submission = Submission.objects.create(
            reference=_next_reference(Submission, "C"), source=Submission.From.COMMUNITY,
            to_agency=to_agency, what=data["what"], where=data["where"], when=data["when"],
            who=data["who"], identifying=data["identifying"], how_known=how_known or "",
            urgency=urgency, child_at_risk=bool(child_at_risk), adult_at_risk=bool(adult_at_risk),
            contact_name=data["contact_name"], contact=data["contact"], client_key=key,
            submitted_at=now, language=normalise(language or current()))
        audit.record("intelligence.community.received", obj=submission, detail={
            "to_agency": to_agency.pk, "urgency": urgency, "with_contact": bool(data["contact"]),
            "urgent_safeguarding": submission.urgent_safeguarding})
        if submission.urgent_safeguarding:
            audit.record("intelligence.submission.routed_urgently", obj=submission,
                         detail={"to": ["intelligence officers"]})
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
    if not isinstance(identity, str) or not identity.strip():
        raise ValidationError({"identity": "Say who the source is"})
    handlers = set(handlers or ()) | {actor}
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
    text = (text if isinstance(text, str) else "").strip()
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


RELEASE_PURPOSE_LIMIT = 200


@service("intel.assess")
def release(actor, version: SanitisedVersion, *, agency, purpose, agreement=None) -> Release:
    """Release an approved sanitised version to a named agency for a recorded purpose, under
    an information-sharing agreement in force that the force and the agency are party to."""
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
    if not isinstance(purpose, str) or not purpose.strip():
        errors["purpose"] = "Say what it is released for"
    elif len(purpose.strip()) > RELEASE_PURPOSE_LIMIT:
        # The purpose is also the audit event's purpose, whose column is the shorter.
        errors["purpose"] = (f"Say what it is released for in {RELEASE_PURPOSE_LIMIT} "
                             "characters or fewer")
    try:
        partnership_services.check_share(agreement, [version.report.owning_agency, agency])
    except ValidationError as e:
        errors.update({k: v[0] for k, v in e.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    shared = Release.objects.create(sanitised=version, agency=agency, purpose=purpose.strip(),
                                    agreement=agreement, released_by=actor)
    audit.record("intelligence.release.made", actor=actor, obj=shared, purpose=shared.purpose,
                 detail={"sanitised": version.pk, "report": version.report_id,
                         "agency": agency.pk, "handling": version.handling,
                         "agreement": agreement.reference})
    return shared


@service("intel.assess")
def withdraw_release(actor, shared: Release, *, reason) -> Release:
    """End a release: the agency's next request for the version is a 404."""
    _reach(actor, "intel.assess", shared.sanitised.report)
    if not isinstance(reason, str) or not reason.strip():
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


def given(fields: dict) -> dict:
    """The fields of a form or API call that were filled in. An empty box or an unticked box
    is left out, but a zero is a value: longitude 0 runs through Greenwich."""
    return {k: v for k, v in fields.items() if v is not None and v != "" and v is not False}


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


# Bulk import ---------------------------------------------------------------------------------

@service("intel.entities")
def import_bulk(actor, *, people=None, links=None, mapping_people=None, mapping_links=None,
                owning_agency=None, progress=None) -> dict:
    """People and links from spreadsheets (`bulk.parse_bulk`: each a (content or path, name)
    pair), all or nothing: every row is checked first, and ImportFailed lists every problem
    by file, line and field; only a clean import is written, in one transaction, through
    `create_person` and `create_link`. The records belong to the actor's force (the system:
    the partnership's police force). A reference already held is a problem on its line:
    an import adds records and never changes those held. A link may name a person merged
    into another; it joins the person they were merged into."""
    from soclocal.core.imports import ImportFailed, ImportProblem

    from . import bulk

    owning_agency = owning_agency or getattr(actor, "agency", None) or intelligence_agency()
    held = Entity.objects.filter(owning_agency=owning_agency)
    if actor is not None:
        held = scope(actor, "intel.entities", held)
    held = {e.reference: e for e in held}
    found_people, found_links = bulk.parse_bulk(
        people=people, links=links, known_references=held, mapping_people=mapping_people,
        mapping_links=mapping_links)
    taken = set(Entity.objects.filter(reference__in=[p.reference for p in found_people])
                .values_list("reference", flat=True))
    if taken:
        name = bulk._bytes_and_name(*people)[1]
        raise ImportFailed([ImportProblem(
            name, f"the reference '{p.reference}' is already used by a record held; an import "
                  "only adds new records, so give this person a new reference or leave the "
                  "row out", line=p.line, field="reference")
            for p in found_people if p.reference in taken])
    total, done = len(found_people) + len(found_links), 0
    made = {}
    for row in found_people:
        made[row.reference] = create_person(
            actor, owning_agency=owning_agency, reference=row.reference,
            forenames=row.forenames, surname=row.surname, date_of_birth=row.date_of_birth,
            address=row.address, postcode=row.postcode, phone=row.phone, source=row.source)
        done += 1
        if progress and done % 100 == 0:
            progress(done, total, "people")

    def entity(reference):
        found = made.get(reference) or held[reference]
        while found.merged_into_id:
            found = found.merged_into
        return found

    for row in found_links:
        create_link(actor, entity(row.from_reference), entity(row.to_reference), row.kind,
                    start=row.start, end=row.end, source=row.source)
        done += 1
        if progress and done % 100 == 0:
            progress(done, total, "links")
    if progress:
        progress(total, total, "saved")
    result = {"people": len(found_people), "links": len(found_links)}
    audit.record("intelligence.import.done", actor=actor, detail={
        **result, "owning_agency": owning_agency.pk,
        "files": [bulk._bytes_and_name(*f)[1] for f in (people, links) if f is not None]})
    return result


# Same person twice: clerical review and reversible merges ------------------------------------

def _pair_order(a: Entity, b: Entity):
    return (a, b) if a.reference < b.reference else (b, a)


def _check_people(actor, a: Entity, b: Entity):
    _reach(actor, "intel.entities", a)
    _reach(actor, "intel.entities", b)
    errors = {}
    if a.kind != Entity.Kind.PERSON or b.kind != Entity.Kind.PERSON:
        errors[None] = "Only people can be compared and merged"
    elif a.pk == b.pk:
        errors[None] = "Choose two different people"
    elif a.owning_agency_id != b.owning_agency_id:
        errors[None] = "Both people must belong to the same force"
    if errors:
        raise ValidationError(errors)


@service("intel.entities")
def review_pair(actor, a: Entity, b: Entity, decision, *, probability=None, comparisons=None,
                note="", survivor=None) -> PairReview:
    """Record an officer's decision on a suggested pair. "same" merges them at once into
    `survivor` (by default the record with the lower reference); "not_same" means the pair
    is not suggested again; "unsure" leaves it on the list, marked."""
    _check_people(actor, a, b)
    if decision not in PairReview.Decision.values:
        raise ValidationError({"decision": "Choose the same person, not the same, or unsure"})
    if note is not None and not isinstance(note, str):
        raise ValidationError({"note": "Write the note as text"})
    left, right = _pair_order(a, b)
    keep = survivor or left
    if decision == PairReview.Decision.SAME:
        if left.merged_into_id or right.merged_into_id:
            raise ValidationError({None: "One of them is already merged into another record"})
        # Checked before anything is written, so a refusal leaves no decision behind.
        if keep.pk not in (left.pk, right.pk):
            raise ValidationError({"survivor": "Keep one of the two records"})
    review = PairReview.objects.create(
        owning_agency=left.owning_agency, left=left, right=right, decision=decision,
        probability=probability, comparisons=comparisons or {}, note=(note or "").strip(),
        decided_by=actor)
    audit.record("intelligence.pair.reviewed", actor=actor, obj=review, detail={
        "left": left.reference, "right": right.reference, "decision": decision,
        "probability": probability})
    if decision == PairReview.Decision.SAME:
        merge_people(actor, keep, right if keep.pk == left.pk else left, review=review)
    return review


@service("intel.entities")
def merge_people(actor, survivor: Entity, merged: Entity, *, review=None) -> Merge:
    """Merge one person record into another. The merged record is kept, marked as merged
    into the survivor, with its own details as they were; its links and its report
    attachments move to the survivor, and what moved is recorded so `undo_merge` puts
    everything back exactly. A link between the two stays where it is."""
    _check_people(actor, survivor, merged)
    if survivor.merged_into_id or merged.merged_into_id:
        raise ValidationError({None: "One of them is already merged into another record"})
    links_from = list(Link.objects.filter(from_entity=merged).exclude(to_entity=survivor)
                      .order_by("pk").values_list("pk", flat=True))
    links_to = list(Link.objects.filter(to_entity=merged).exclude(from_entity=survivor)
                    .order_by("pk").values_list("pk", flat=True))
    Link.objects.filter(pk__in=links_from).update(from_entity=survivor)
    Link.objects.filter(pk__in=links_to).update(to_entity=survivor)
    reports = sorted(merged.reports.values_list("pk", flat=True))
    had = set(survivor.reports.values_list("pk", flat=True))
    added = [pk for pk in reports if pk not in had]
    survivor.reports.add(*added)
    merged.reports.clear()
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])
    merge = Merge.objects.create(
        owning_agency=survivor.owning_agency, survivor=survivor, merged=merged, review=review,
        merged_by=actor, moved={"links_from": links_from, "links_to": links_to,
                                "reports": reports, "reports_added": added})
    audit.record("intelligence.entity.merged", actor=actor, obj=merge, detail={
        "survivor": survivor.reference, "merged": merged.reference, "moved": merge.moved})
    return merge


@service("intel.entities")
def undo_merge(actor, merge: Merge) -> Merge:
    """Put both records back as they were before the merge: the links and report
    attachments that moved go back, and the merged record stands on its own again."""
    _reach(actor, "intel.entities", merge.survivor)
    if merge.undone_at:
        raise ValidationError({None: "This merge is already undone"})
    survivor, merged = merge.survivor, merge.merged
    if survivor.merged_into_id:
        raise ValidationError({None: f"{survivor.reference} has since been merged into "
                                     f"{survivor.merged_into.reference}: undo that merge first"})
    moved = merge.moved
    Link.objects.filter(pk__in=moved["links_from"], from_entity=survivor).update(
        from_entity=merged)
    Link.objects.filter(pk__in=moved["links_to"], to_entity=survivor).update(to_entity=merged)
    merged.reports.add(*moved["reports"])
    survivor.reports.remove(*moved["reports_added"])
    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    merge.undone_by, merge.undone_at = actor, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    audit.record("intelligence.entity.merge_undone", actor=actor, obj=merge, detail={
        "survivor": survivor.reference, "merged": merged.reference, "moved": moved})
    return merge
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
                    priority="", raised_from=None) -> Requirement:
    """Ask a partner agency a question, for an area and a priority, to answer by a date.
    `raised_from` is the record it came of (a threat whose gaps it fills), kept on the trail."""
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
    if raised_from is not None:
        origins.link(actor, raised_from, requirement,
                     target_label=f"Intelligence requirement {requirement.reference}")
    audit.record("intelligence.requirement.set", actor=actor, obj=requirement,
                 detail={"tasked_agency": tasked_agency.pk, "due_on": due_on.isoformat(),
                         "raised_from": str(raised_from.pk) if raised_from else None})
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
